import type { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ServiceStackProps } from '../service-stack';
import type { emailSendingRate } from './props';

/**
 * What each part of the service stack is built from. Every part creates its constructs in the stack
 * itself (`stack` is their scope), so construct paths, and with them logical ids, are the same as
 * when the stack created them all.
 */
export interface ServiceContext {
  readonly stack: Stack;
  readonly props: ServiceStackProps;
  readonly emailSending: ReturnType<typeof emailSendingRate>;
  readonly logRemovalPolicy: RemovalPolicy;
}
