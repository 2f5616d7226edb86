import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoExportStore } from '../functions/adapters/dynamodb/export-store';
import { DynamoLeadList } from '../functions/adapters/dynamodb/lead-list';
import { useIdentityKey } from '../functions/core/kernel/identity-key';
import type { ExportFiles } from '../functions/core/leads/export-ports';
import { runExport, startExport } from '../functions/core/leads/lead-export-job';
import { parseLeadListQuery } from '../functions/core/leads/lead-list';
import { createTable } from '../functions/local/resources';
import { startBenchEmulators } from './environment';
import { seededLeads, writeLeads } from './lead-list-seed';
import { fmt } from './stats';

const TABLE = 'bench-lead-export';
const SIZES = (process.env.BENCH_LEADEXPORT_SIZES ?? '10000,100000').split(',').map(Number);

/**
 * A background export of the whole list (runExport: pages of 100 rows from the list index, CSV,
 * progress every 1,000 rows) on the DynamoDB emulator at 10,000 and 100,000 leads, next to a
 * baseline from the same run on the same table: the same pages read with nothing else done. The
 * ratio is what the CSV and the job item cost on top of reading the rows. The file is kept in
 * memory (S3 or a folder would add one write).
 */
export async function benchLeadExport(): Promise<void> {
  const emulators = await startBenchEmulators({ dynamodb: 0, sqs: 0, ses: 0 });
  const env: NodeJS.ProcessEnv = {};
  emulators.applyToEnv(env);
  useIdentityKey(process.env.LEADFLOW_IDENTITY_KEY ?? 'bench-identity-key-0123456789abcdef-0123456789');
  const client = new DynamoDBClient({
    endpoint: env.AWS_ENDPOINT_URL_DYNAMODB,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const list = new DynamoLeadList(db, TABLE);
  const clock = { now: () => new Date() };
  let bytes = 0;
  const files: ExportFiles = {
    write: async (_id, csv) => {
      bytes = Buffer.byteLength(csv);
    },
    link: async () => ({ url: 'memory:', expiresAt: new Date().toISOString() }),
    read: async () => undefined,
    remove: async () => {},
  };
  const deps = {
    exports: new DynamoExportStore(db, TABLE),
    queue: { request: async () => {} },
    files,
    list,
    clock,
  };
  const maya = { name: 'Bench', username: 'bench', role: 'marketing' as const };
  console.log('\n== Lead export in the background: the whole list as CSV (DynamoDB emulator) ==');
  try {
    await createTable(client, TABLE);
    let loaded = 0;
    for (const size of SIZES) {
      await writeLeads(db, TABLE, seededLeads(size - loaded, 13, `e${loaded}-`));
      loaded = size;
      const { filter, sort } = parseLeadListQuery({});
      const readStart = performance.now();
      let cursor: string | null = null;
      let rows = 0;
      do {
        const page = await list.page({ filter, sort, limit: 100, cursor });
        rows += page.leads.length;
        cursor = page.cursor;
      } while (cursor);
      const readMs = performance.now() - readStart;
      const { exportId } = await startExport(deps, {}, maya);
      const exportStart = performance.now();
      const status = await runExport(deps, exportId);
      const exportMs = performance.now() - exportStart;
      console.log(
        `${size.toLocaleString('en')} leads: baseline (read the pages) ${fmt(readMs / 1000, 2)} s for ${rows} rows  |  ` +
          `export ${status} ${fmt(exportMs / 1000, 2)} s, x${fmt(exportMs / readMs, 2)} baseline, ` +
          `${fmt(rows / (exportMs / 1000), 0)} rows/s, ${fmt(bytes / 1e6, 1)} MB of CSV`,
      );
    }
  } finally {
    client.destroy();
    await emulators.stop();
  }
}
