import { SQSClient } from '@aws-sdk/client-sqs';

/** The SQS client, one per bundle that sends or receives (a separate module keeps it out of the others). */
export const sqs = new SQSClient({});
