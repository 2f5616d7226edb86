import { EXPORTS_BUCKET_ENV } from '../../../functions/shared/env-names';
import { bindBucket, bindQueue, bindTable } from '../../constructs/bind';
import { LeadflowFunction } from '../../constructs/leadflow-function';
import { CONSUMER_TIMEOUT } from '../consumer-timeouts';
import type { ServiceContext } from './context';
import { exportBucket } from './exports';

/** Object keys of imports in the exports bucket (functions/adapters/s3/import-bucket.ts). */
const IMPORTS = { prefix: 'imports/', keys: 'one uploaded CSV per import id' } as const;

/** CSV lead imports: the API that makes, starts and follows them, and the worker that imports a page at a time. */
export function importFunctions({ stack, props, logRemovalPolicy }: ServiceContext) {
  const { table, importQueue } = props;
  const bucket = exportBucket(stack, props.exportBucketName);
  const adminLeadImports = new LeadflowFunction(stack, 'AdminLeadImports', {
    entry: 'admin-lead-imports',
    description:
      'Leadflow: makes CSV lead imports (presigned upload), checks the mapping, starts and reports them',
    logRemovalPolicy,
  });
  // Reads the token (by hash) and the job; stores a new job, starts it (conditional Update), reads its error report.
  bindTable(adminLeadImports.function, table, { actions: ['GetItem', 'PutItem', 'UpdateItem', 'Query'] });
  bindQueue(adminLeadImports.function, importQueue, { name: 'lead-imports', actions: ['SendMessage'] });
  // Presigns the upload (a presigned PUT works only if the signer may PutObject); reads the header row and the size.
  bindBucket(adminLeadImports.function, bucket, {
    variable: EXPORTS_BUCKET_ENV,
    actions: ['PutObject', 'GetObject'],
    ...IMPORTS,
  });

  const leadImport = new LeadflowFunction(stack, 'LeadImport', {
    entry: 'lead-import',
    description: 'Leadflow: imports one page (500 rows) of a CSV lead import through the capture path',
    logRemovalPolicy,
    timeout: CONSUMER_TIMEOUT['lead-imports'],
    allowRecursiveLoop: { because: 'each page moves the resume point on; the last page queues nothing' },
  });
  // Rows are recorded as ad leads are (lead and timeline reads in one BatchGet, conditional Puts and
  // Updates), the suppression list read, the job's page recorded (Update) and its errors stored (Put).
  bindTable(leadImport.function, table, { actions: ['BatchGetItem', 'GetItem', 'PutItem', 'UpdateItem'] });
  // Queues the next page.
  bindQueue(leadImport.function, importQueue, { name: 'lead-imports', actions: ['SendMessage'] });
  // Reads the file by range; deletes it after a real run.
  bindBucket(leadImport.function, bucket, {
    variable: EXPORTS_BUCKET_ENV,
    actions: ['GetObject', 'DeleteObject'],
    ...IMPORTS,
  });
  return { adminLeadImports, leadImport };
}
