import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createMediaLakeApp } from '../../infra/mediaLakeApp';
import type { MediaLakeStack } from '../../infra/mediaLakeStack';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Synthesized {
  stack: MediaLakeStack;
  template: Template;
  /** Where the cloud assembly was written (under cdk.out/, so a bundle there resolves the repository's node_modules). */
  outdir: string;
  /** cdk-nag's AwsSolutions findings that no acknowledgement covers, as rule ids. */
  nagViolations: string[];
  remove(): void;
}

/**
 * The app as `cdk synth` makes it, offline: cdk-nag's AwsSolutions pack runs
 * as a validation plugin, so an unacknowledged error fails here.
 */
export function synthesize(context: Record<string, unknown> = {}): Synthesized {
  mkdirSync(join(ROOT, 'cdk.out'), { recursive: true });
  const outdir = mkdtempSync(join(ROOT, 'cdk.out', 'test-'));
  // Path metadata, as the cdk CLI asks for it: the tests find resources by their construct paths.
  const { app, stack } = createMediaLakeApp({ 'aws:cdk:enable-path-metadata': true, ...context }, outdir);
  app.synth();
  const read = (name: string) => JSON.parse(readFileSync(join(outdir, name), 'utf8'));
  return {
    stack,
    template: Template.fromJSON(read(stack.templateFile)),
    outdir,
    nagViolations: new AwsSolutionsChecks(app).validateScope(app).violations.map((violation) => violation.ruleName),
    remove: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** The cdk-nag acknowledgements written into each resource's metadata, by construct path below the stack. */
export function acknowledgements(template: Template): Map<string, { id: string; reason: string }[]> {
  const resources = Object.values(template.toJSON().Resources as Record<string, { Metadata?: Record<string, any> }>);
  return new Map(
    resources
      .filter((resource) => resource.Metadata?.cdk_nag)
      .map((resource) => [String(resource.Metadata!['aws:cdk:path']).replace(/^[^/]+\//, ''), resource.Metadata!.cdk_nag.rules_to_suppress]),
  );
}

/** Every IAM statement of the template's policies and roles. */
export function iamStatements(template: Template): { Effect: string; Action: string | string[]; Resource: unknown }[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).map((policy) => policy.Properties.PolicyDocument);
  const inline = Object.values(template.findResources('AWS::IAM::Role')).flatMap((role) => (role.Properties.Policies ?? []).map((policy: { PolicyDocument: unknown }) => policy.PolicyDocument));
  return [...policies, ...inline].flatMap((document) => document.Statement);
}
