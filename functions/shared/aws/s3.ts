import { S3Client } from '@aws-sdk/client-s3';
import { traced } from '../observability/tracing';

/** The S3 client, one per container (large lead exports, import files). */
// Checksums only where S3 requires them: by default (SDK ≥ 3.729) a presigned PutObject URL carries
// x-amz-checksum-crc32 of an empty body (AAAAAA==), which does not match the CSV the browser or the
// CLI then PUTs to an import's upload link (aws/aws-sdk-js-v3#6810).
// Pure: a bundle that imports this module but never uses the client leaves it, and its SDK package, out.
export const s3 = /* @__PURE__ */ traced(
  /* @__PURE__ */ new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' }),
);
