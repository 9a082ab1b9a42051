/**
 * Where each log's constructs go, so that a deployment of many logs stays within CloudFormation's
 * quotas (docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html:
 * 500 resources per stack; a template uploaded to S3 at most 1 MB).
 *
 * Up to `logsPerStack` logs: all in the monitor's own stack. More: nested stacks `Logs1`,
 * `Logs2`, ... under the monitor, `logsPerStack` logs each, in config order, so that appending a
 * log to the config leaves the existing logs where they are. A nested stack is deployed by its
 * parent: `cdk deploy` stays one command.
 */
import { CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import type { Construct, IConstruct } from 'constructs';

/** CloudFormation's quota of resources in one stack. */
export const MAX_RESOURCES_PER_STACK = 500;

/** The scope of each log, by index: `parent` itself, or the nested stack of its group. */
export function groupScopes(parent: Construct, logCount: number, logsPerStack: number): Construct[] {
  if (logCount <= logsPerStack) return Array.from({ length: logCount }, () => parent);
  const groups: NestedStack[] = [];
  for (let first = 0; first < logCount; first += logsPerStack) {
    const last = Math.min(first + logsPerStack, logCount);
    groups.push(
      new NestedStack(parent, `Logs${groups.length + 1}`, {
        description: `tlog-monitor: logs ${first + 1} to ${last} of ${logCount}`,
      }),
    );
  }
  return Array.from({ length: logCount }, (_, i) => groups[Math.floor(i / logsPerStack)] as Construct);
}

/**
 * Fails synthesis, with a message saying what to change, when a stack the monitor fills (its own,
 * or one of its nested stacks) would hold more resources than CloudFormation accepts. Without it,
 * CDK fails later with a bare TooManyResourcesInStack stack trace.
 */
export function limitResources(monitor: Construct, scopes: readonly Construct[]): void {
  const stacks = new Set<Stack>([Stack.of(monitor), ...scopes.map((s) => Stack.of(s))]);
  for (const stack of stacks) {
    stack.node.addValidation({
      validate: () => {
        const count = resourcesIn(stack);
        if (count <= MAX_RESOURCES_PER_STACK) return [];
        const logs = scopes.filter((s) => Stack.of(s) === stack).length;
        return [
          `stack ${stack.node.path} would hold ${count} resources (with ${logs} of the monitored logs), over ` +
            `CloudFormation's ${MAX_RESOURCES_PER_STACK} per stack; lower logsPerStack ` +
            '(CDK context -c logsPerStack=N) so that the logs are split into more nested stacks',
        ];
      },
    });
  }
}

/** The CloudFormation resources synthesized into `stack` itself (not into its nested stacks). */
export function resourcesIn(stack: Stack): number {
  return stack.node.findAll().filter((c: IConstruct) => CfnResource.isCfnResource(c) && Stack.of(c) === stack)
    .length;
}
