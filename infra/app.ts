// The CDK app's entry (cdk.json runs it): `npx cdk synth`, `npx cdk deploy`; docs/deploy.md.
import { createMediaLakeApp } from './mediaLakeApp';

createMediaLakeApp().app.synth();
