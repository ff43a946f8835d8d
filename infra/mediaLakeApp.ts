import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MediaLakeStack } from './mediaLakeStack';
import { acknowledgeReviewedFindings } from './nagSuppressions';
import { readSettings, SETTINGS } from './settings';

/**
 * The CDK app: the stack (named by the setting stackName), checked by
 * cdk-nag's AwsSolutions pack (an unsuppressed error fails synthesis).
 * `context` adds to cdk.json's and the command line's (tests pass theirs here).
 */
export function createMediaLakeApp(context: Record<string, unknown> = {}, outdir?: string): { app: App; stack: MediaLakeStack } {
  // Custom resources call the SDK that Lambda ships, never download one at deploy time.
  const app = new App({ context: { '@aws-cdk/customresources:installLatestAwsSdkDefault': false, ...context }, ...(outdir && { outdir }) });
  const settings = readSettings(Object.fromEntries(SETTINGS.map((name) => [name, app.node.tryGetContext(name)]).filter(([, value]) => value !== undefined)));
  const stack = new MediaLakeStack(app, settings.stackName, settings, {
    env: { account: settings.account ?? process.env.CDK_DEFAULT_ACCOUNT, region: settings.region ?? process.env.CDK_DEFAULT_REGION ?? 'us-east-1' },
    description: 'medialake: an event-sourced media lake (docs/deploy.md)',
  });
  acknowledgeReviewedFindings(stack);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }));
  return { app, stack };
}
