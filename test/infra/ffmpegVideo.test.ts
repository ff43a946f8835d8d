import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettings } from '../../infra/settings';
import { iamStatements, synthesize, type Synthesized } from './synthesize';

/** The video proxy left on ffmpeg in the workers (-c video=ffmpeg), synthesized once. */
describe('the deployed lake with -c video=ffmpeg', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthesize({ video: 'ffmpeg' });
  }, 180_000);
  afterAll(() => synthesized?.remove());
  const resources = (type: string) => Object.values(synthesized.template.findResources(type));

  it('makes no MediaConvert role, queue or rule, and grants no MediaConvert action or PassRole', () => {
    expect(resources('AWS::MediaConvert::Queue')).toEqual([]);
    expect(resources('AWS::Events::Rule')).toEqual([]);
    expect(resources('AWS::IAM::Role').filter((role) => JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('mediaconvert'))).toEqual([]);
    expect(iamStatements(synthesized.template).filter((s) => [s.Action].flat().some((action) => /^mediaconvert:|^iam:PassRole$/.test(action)))).toEqual([]);
    expect(synthesized.nagViolations).toEqual([]);
  });

  it('tells the tasks to make proxies with ffmpeg, with no MediaConvert settings', () => {
    for (const task of resources('AWS::ECS::TaskDefinition')) {
      const names = task.Properties.ContainerDefinitions[0].Environment.map(({ Name }: { Name: string }) => Name);
      const environment = Object.fromEntries(task.Properties.ContainerDefinitions[0].Environment.map(({ Name, Value }: { Name: string; Value: unknown }) => [Name, Value]));
      expect(environment.MEDIALAKE_VIDEO_BACKEND).toBe('ffmpeg');
      expect(names.filter((name: string) => name.startsWith('MEDIALAKE_MEDIACONVERT_'))).toEqual([]);
    }
  });

  it('refuses a video backend it does not know, in one line that names the option', () => {
    expect(() => readSettings({ video: 'gstreamer' })).toThrow(/^invalid context value video: .*(mediaconvert|ffmpeg).* \(docs\/deploy\.md lists the options\)$/);
  });
});
