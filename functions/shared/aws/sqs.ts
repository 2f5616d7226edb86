import { SQSClient } from '@aws-sdk/client-sqs';

/** The SQS client, one per container (AWS_ENDPOINT_URL_SQS locally). */
// Pure: a bundle that imports this module but never uses the client leaves it, and its SDK package, out.
export const sqs = /* @__PURE__ */ new SQSClient({});
