/**
 * The CDK app (`npx cdk synth|deploy`, wired in cdk.json): reads the same config file as the
 * CLI and synthesizes the TransparencyLogMonitor stack, checked by cdk-nag's AwsSolutions pack.
 * A bad config fails synth with every problem, each naming the log and the field; a deployment
 * that would break a CloudFormation quota fails with what to change (infra/log-groups.ts).
 */
import { TlogError } from '../lib/errors.ts';
import { createMonitorApp } from './create-app.ts';

try {
  createMonitorApp({ cwd: process.cwd(), env: process.env }).app.synth();
} catch (e) {
  if (e instanceof TlogError && e.code === 'config/invalid') {
    console.error(e.message);
    process.exit(1);
  }
  // CDK's construct validation (e.g. too many resources in a stack): its message, no stack trace.
  if (e instanceof Error && e.message.startsWith('Validation failed')) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
