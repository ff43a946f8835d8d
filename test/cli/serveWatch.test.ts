import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../support/fixtures';
import { medialake } from './medialakeProcess';

describe('serve --watch on a role that takes no media in', () => {
  const data = temporaryDirectory();
  const folder = temporaryDirectory();
  afterAll(() => {
    data.remove();
    folder.remove();
  });

  it.each([
    ['--role processors', ['--role', 'processors'], {}],
    ['--role projections', ['--role', 'projections'], {}],
    ['MEDIALAKE_ROLE=processors', [], { MEDIALAKE_ROLE: 'processors' }],
  ])('refuses with one line and a non-zero exit (%s)', async (_, role, env) => {
    const outcome = await medialake(['--data', data.path, 'serve', '--port', '0', ...role, '--watch', folder.path], { MEDIALAKE_LOG_LEVEL: 'silent', ...env });
    expect(outcome.code).not.toBe(0);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^medialake: --watch expects the role api or all, .*role is (processors|projections)/)]);
  }, 70_000);
});
