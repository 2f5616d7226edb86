import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * App context key that buildApp sets to `leadflow-<stage>`: the prefix of every name Leadflow gives
 * an AWS resource (queues, topics, secrets, the SES configuration set), so two stages can share an
 * account and region.
 */
export const RESOURCE_PREFIX_CONTEXT = 'leadflow:resourcePrefix';

/** The stage's prefix (`leadflow-prod`); the stack's name for a construct built outside buildApp. */
export function resourcePrefix(scope: IConstruct): string {
  const prefix: unknown = scope.node.tryGetContext(RESOURCE_PREFIX_CONTEXT);
  return typeof prefix === 'string' ? prefix : Stack.of(scope).stackName;
}

/** `<prefix>-<name>`, e.g. `leadflow-prod-hot-leads`. */
export function resourceName(scope: IConstruct, name: string): string {
  return `${resourcePrefix(scope)}-${name}`;
}
