import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ExportFiles } from '../../core/leads/export-ports';

/** Presigned download links work this long (the status answer says until when). */
export const EXPORT_LINK_SECONDS = 15 * 60;

/** Exports on AWS: the CSV in the private exports bucket, downloaded through a presigned GET. */
export class S3ExportFiles implements ExportFiles {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  private key = (exportId: string) => `exports/${exportId}.csv`;

  async write(exportId: string, csv: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key(exportId),
        Body: csv,
        ContentType: 'text/csv; charset=utf-8',
      }),
    );
  }

  async link(exportId: string, fileName: string): Promise<{ url: string; expiresAt: string }> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: this.key(exportId),
      ResponseContentDisposition: `attachment; filename="${fileName}"`,
      ResponseContentType: 'text/csv; charset=utf-8',
    });
    const url = await getSignedUrl(this.s3, command, { expiresIn: EXPORT_LINK_SECONDS });
    return { url, expiresAt: new Date(Date.now() + EXPORT_LINK_SECONDS * 1000).toISOString() };
  }

  /** S3 serves the file itself (the link); the API never carries it. */
  async read(): Promise<undefined> {
    return undefined;
  }

  /** S3 answers a delete of a missing key with success: a repeat is no error. */
  async remove(exportId: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(exportId) }));
  }
}
