import { join } from 'node:path';
import { DynamoImportStore } from '../../adapters/dynamodb/import-store';
import { FolderImportFiles } from '../../adapters/files/import-folder';
import { S3ImportFiles } from '../../adapters/s3/import-bucket';
import { SqsImportQueue } from '../../adapters/sqs/import-queue';
import type { ImportWorkerDeps } from '../../core/imports/import-page';
import type { ImportFiles } from '../../core/imports/import-ports';
import { dynamo } from '../aws/dynamodb';
import { s3 } from '../aws/s3';
import { sqs } from '../aws/sqs';
import { exportsConfig, identityKey, publicUrl, queueUrl } from '../config';
import { EXPORTS_BUCKET_ENV, EXPORTS_DIR_ENV } from '../env-names';
import { clock, suppressionStore, tableName } from './kernel';
import { recordingWithHandoffByTick } from './leads';

/**
 * Where uploaded import files go: the `imports/` prefix of the exports bucket on AWS (one private
 * bucket for lead files), the `imports` folder beside the local exports; neither set fails the cold start.
 */
export function importFiles(): FolderImportFiles | ImportFiles {
  const { bucket, dir } = exportsConfig();
  if (bucket) return new S3ImportFiles(s3, bucket);
  if (dir) return new FolderImportFiles(join(dir, 'imports'), () => publicUrl(), identityKey());
  throw new Error(`Set ${EXPORTS_BUCKET_ENV} (AWS) or ${EXPORTS_DIR_ENV} (local) for lead imports`);
}

const importQueue = () => new SqsImportQueue(sqs, queueUrl('lead-imports'));

/** The import routes: jobs, files, the lead-imports queue. */
export function leadImportApiDeps() {
  return {
    imports: new DynamoImportStore(dynamo, tableName()),
    files: importFiles(),
    queue: importQueue(),
    clock,
  };
}

/** The worker: jobs, files, the queue for the next page, and recording rows as forms are recorded. */
export function leadImportWorkerDeps(): ImportWorkerDeps {
  const imports = new DynamoImportStore(dynamo, tableName());
  return {
    // Hand-offs of leads an import makes hot go out with tick (the outbox), not one send per row.
    ...recordingWithHandoffByTick(),
    suppressions: suppressionStore(),
    storedActivity: (leadId, activityId) => imports.storedActivity(leadId, activityId),
    imports,
    files: importFiles(),
    queue: importQueue(),
    clock,
  };
}
