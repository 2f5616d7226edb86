import { SESv2Client } from '@aws-sdk/client-sesv2';
import { traced } from '../observability/tracing';

/**
 * The SES v2 client, one per container (AWS_ENDPOINT_URL_SESV2 locally). No SDK retries
 * (maxAttempts 1): a retry after a timeout could send the same e-mail twice; the step's own
 * backoff retries what SES refused.
 */
// Pure: a bundle that imports this module but never uses the client leaves it, and its SDK package, out.
// Traced: an X-Ray subsegment per call where tracing is on (observability/tracing.ts).
export const ses = /* @__PURE__ */ traced(/* @__PURE__ */ new SESv2Client({ maxAttempts: 1 }));
