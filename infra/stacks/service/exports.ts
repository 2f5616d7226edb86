import type { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EXPORTS_BUCKET_ENV } from '../../../functions/shared/env-names';
import { LEADS_INDEX, LIST_INDEXES, SEARCH_INDEXES } from '../../../functions/shared/table-definition';
import { bindBucket, bindQueue, bindTable } from '../../constructs/bind';
import { LeadflowFunction } from '../../constructs/leadflow-function';
import { CONSUMER_TIMEOUT } from '../consumer-timeouts';
import type { ServiceContext } from './context';

/** The export bucket as the service stack knows it: by its name, once per stack. */
export function exportBucket(stack: Stack, name: string): s3.IBucket {
  return (
    (stack.node.tryFindChild('ExportBucket') as s3.IBucket | undefined) ??
    s3.Bucket.fromBucketName(stack, 'ExportBucket', name)
  );
}

/** Large lead exports: the API that starts and follows them, and the worker that writes the CSV. */
export function exportFunctions({ stack, props, logRemovalPolicy }: ServiceContext) {
  const { table, exportQueue } = props;
  const bucket = exportBucket(stack, props.exportBucketName);
  const adminLeadExports = new LeadflowFunction(stack, 'AdminLeadExports', {
    entry: 'admin-lead-exports',
    description: 'Leadflow: starts background lead exports, reports their progress, links the CSV',
    logRemovalPolicy,
  });
  // Reads the token (by hash) and the export job; stores a new job (a conditional Put).
  bindTable(adminLeadExports.function, table, { actions: ['GetItem', 'PutItem'] });
  bindQueue(adminLeadExports.function, exportQueue, { name: 'lead-exports', actions: ['SendMessage'] });
  // Presigns the download: a presigned GET works only if the signer may GetObject.
  bindBucket(adminLeadExports.function, bucket, {
    variable: EXPORTS_BUCKET_ENV,
    actions: ['GetObject'],
    prefix: 'exports/',
  });

  const leadExport = new LeadflowFunction(stack, 'LeadExport', {
    entry: 'lead-export',
    description: 'Leadflow: writes one background lead export (the list filter as CSV) to S3',
    logRemovalPolicy,
    // The whole CSV is built in memory (~200 bytes a row: 100,000 leads are ~20 MB).
    memorySize: 1024,
    timeout: CONSUMER_TIMEOUT['lead-exports'],
  });
  // Reads and updates the job; reads the rows from the list and search indexes, Query only; a saved
  // segment's export pages every lead (the keys-only leads index, then BatchGetItem of the leads).
  bindTable(leadExport.function, table, {
    actions: ['GetItem', 'UpdateItem', 'Query', 'BatchGetItem'],
    indexes: Object.fromEntries(
      [LEADS_INDEX, ...Object.values(LIST_INDEXES), ...Object.values(SEARCH_INDEXES)].map((name) => [
        name,
        ['Query'],
      ]),
    ),
  });
  // Deletes the file it just wrote when an erase withdrew the export meanwhile (no file may keep
  // an erased person).
  bindBucket(leadExport.function, bucket, {
    variable: EXPORTS_BUCKET_ENV,
    actions: ['PutObject', 'DeleteObject'],
    prefix: 'exports/',
  });
  return { adminLeadExports, leadExport };
}
