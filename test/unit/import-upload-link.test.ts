import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The presigned upload link of an import file (AWS): signed for the host only, with no checksum of
 * an empty body baked in, so the browser's or the CLI's PUT of the real CSV matches what was signed.
 */
const saved = { ...process.env };
beforeAll(() => {
  process.env.AWS_REGION = 'eu-west-1';
  process.env.AWS_ACCESS_KEY_ID = 'AKIAEXAMPLEEXAMPLE00';
  process.env.AWS_SECRET_ACCESS_KEY = 'example-secret-for-signing-only';
});
afterAll(() => {
  process.env = saved;
});

describe('an import upload link on AWS', () => {
  it('is a virtual-hosted S3 URL of the imports prefix, signed for the host, with no checksum in it', async () => {
    const { s3 } = await import('../../functions/shared/aws/s3');
    const { S3ImportFiles } = await import('../../functions/adapters/s3/import-bucket');
    const link = await new S3ImportFiles(s3, 'leadflow-dev-exports-123456789012-eu-west-1').uploadLink(
      'imp_01JF0000000000000000000000',
    );
    const url = new URL(link.url);
    expect(url.origin).toBe('https://leadflow-dev-exports-123456789012-eu-west-1.s3.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/imports/imp_01JF0000000000000000000000.csv');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
    const names = [...url.searchParams.keys()].map((k) => k.toLowerCase());
    expect(names.filter((name) => name.includes('checksum'))).toEqual([]);
  });
});
