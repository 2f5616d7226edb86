import type { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ServiceStackProps } from '../service-stack';
import type { EmailSendingRate } from './props';

/**
 * What each part of the service stack is built from. Every part creates its constructs in the stack
 * itself (`stack` is their scope), so construct paths, and with them logical ids, are the same as
 * when the stack created them all.
 */
export interface ServiceContext {
  readonly stack: Stack;
  readonly props: ServiceStackProps;
  readonly emailSending: Required<EmailSendingRate>;
  readonly logRemovalPolicy: RemovalPolicy;
}
