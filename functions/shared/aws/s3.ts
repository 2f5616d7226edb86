import { S3Client } from '@aws-sdk/client-s3';
import { traced } from '../observability/tracing';

/** The S3 client, one per container (large lead exports). */
// Pure: a bundle that imports this module but never uses the client leaves it, and its SDK package, out.
export const s3 = /* @__PURE__ */ traced(/* @__PURE__ */ new S3Client({}));
