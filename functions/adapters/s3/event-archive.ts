import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ArchiveBatch, EventArchive } from '../../core/reports/ports';
import { archiveObjects } from '../files/event-archive';

/**
 * The raw event archive on AWS: each batch the report aggregator counts, as gzipped JSON lines
 * under `events/dt=YYYY-MM-DD/shard=<s>/seq=<n>.jsonl.gz` (layout and columns:
 * adapters/files/event-archive.ts), queried with Athena through the Glue table. A batch archived
 * again after a crash overwrites its own objects with the same bytes: nothing is counted twice.
 * Only s3:PutObject on events/* is needed (no read, no list, no delete).
 */
export class S3EventArchive implements EventArchive {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly options: { gzip?: boolean } = { gzip: true },
  ) {}

  async put(batch: ArchiveBatch): Promise<void> {
    for (const { key, body } of archiveObjects(batch, this.options)) {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          // Athena reads .gz by its name; no Content-Encoding, so the stored bytes stay gzip.
          ContentType: 'application/x-ndjson',
        }),
      );
    }
  }
}
