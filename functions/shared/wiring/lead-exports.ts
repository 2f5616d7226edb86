import { DynamoExportStore } from '../../adapters/dynamodb/export-store';
import { DynamoLeadList } from '../../adapters/dynamodb/lead-list';
import { NURTURE_CONFIG_ID } from '../../adapters/dynamodb/nurture-configs';
import { FolderExportFiles } from '../../adapters/files/export-folder';
import { S3ExportFiles } from '../../adapters/s3/export-bucket';
import { SqsExportQueue } from '../../adapters/sqs/export-queue';
import type { ExportFiles } from '../../core/leads/export-ports';
import type { NurtureConfig } from '../../core/nurture/config-schema';
import { withSegments } from '../../core/segments/segments';
import { dynamo } from '../aws/dynamodb';
import { s3 } from '../aws/s3';
import { sqs } from '../aws/sqs';
import { exportsConfig, publicUrl, queueUrl } from '../config';
import { EXPORTS_BUCKET_ENV, EXPORTS_DIR_ENV } from '../env-names';
import { clock, configStore, leadStore, tableName } from './kernel';

/** Where export files go: the bucket on AWS, the local stack's folder; neither set fails the cold start. */
export function exportFiles(): ExportFiles {
  const { bucket, dir } = exportsConfig();
  if (bucket) return new S3ExportFiles(s3, bucket);
  if (dir) return new FolderExportFiles(dir, () => publicUrl());
  throw new Error(`Set ${EXPORTS_BUCKET_ENV} (AWS) or ${EXPORTS_DIR_ENV} (local) for lead exports`);
}

/** The background lead export: jobs, files and the lead-exports queue (API side). */
export function leadExportApiDeps() {
  return {
    exports: new DynamoExportStore(dynamo, tableName()),
    files: exportFiles(),
    queue: new SqsExportQueue(sqs, queueUrl('lead-exports')),
    clock,
  };
}

/**
 * The worker: jobs, files and the list it reads the rows from, with saved segments evaluated as
 * the lead list evaluates them (an export of `segment=<id>` holds that segment's leads only).
 */
export function leadExportWorkerDeps() {
  return {
    exports: new DynamoExportStore(dynamo, tableName()),
    files: exportFiles(),
    list: segmentedLeadList(),
    clock,
  };
}

/** The lead list, with `segment=<id>` read from the active nurture config's saved segments. */
export function segmentedLeadList() {
  return withSegments(new DynamoLeadList(dynamo, tableName()), {
    leads: leadStore(),
    versions: configStore().versionsOf<NurtureConfig>('nurture', NURTURE_CONFIG_ID),
    clock,
  });
}
