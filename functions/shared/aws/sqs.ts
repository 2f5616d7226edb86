import { SQSClient } from '@aws-sdk/client-sqs';
import { traced } from '../observability/tracing';

/** The SQS client, one per container (AWS_ENDPOINT_URL_SQS locally). */
// Pure: a bundle that imports this module but never uses the client leaves it, and its SDK package, out.
// Traced: an X-Ray subsegment per call where tracing is on (observability/tracing.ts).
export const sqs = /* @__PURE__ */ traced(/* @__PURE__ */ new SQSClient({}));
