import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ImportFiles } from '../../core/imports/import-ports';

/** Presigned upload links work this long (the answer says until when). */
export const UPLOAD_LINK_SECONDS = 60 * 60;
/** Imports live under this prefix of the exports bucket (its grants and lifecycle rule are scoped to it). */
export const IMPORTS_PREFIX = 'imports/';

/** Imports on AWS: the client PUTs the CSV to the private bucket through a presigned URL; the worker reads it by range. */
export class S3ImportFiles implements ImportFiles {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  private key = (importId: string) => `${IMPORTS_PREFIX}${importId}.csv`;

  async uploadLink(importId: string): Promise<{ url: string; expiresAt: string }> {
    const command = new PutObjectCommand({ Bucket: this.bucket, Key: this.key(importId) });
    const url = await getSignedUrl(this.s3, command, { expiresIn: UPLOAD_LINK_SECONDS });
    return { url, expiresAt: new Date(Date.now() + UPLOAD_LINK_SECONDS * 1000).toISOString() };
  }

  async size(importId: string): Promise<number | undefined> {
    try {
      const head = await this.s3.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(importId) }),
      );
      return head.ContentLength;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404) return undefined;
      throw error;
    }
  }

  async *read(importId: string, fromByte: number, toByte?: number): AsyncIterable<Uint8Array> {
    const range = `bytes=${fromByte}-${toByte !== undefined ? toByte - 1 : ''}`;
    const object = await this.s3.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: this.key(importId), Range: range }),
    );
    if (!object.Body) return;
    yield* object.Body as AsyncIterable<Uint8Array>;
  }

  async remove(importId: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(importId) }));
  }
}
