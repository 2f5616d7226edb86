import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { leadIndexPk } from '../functions/adapters/dynamodb/lead-item';
import { DynamoLeadList } from '../functions/adapters/dynamodb/lead-list';
import { useIdentityKey } from '../functions/core/kernel/identity-key';
import { parseLeadListQuery } from '../functions/core/leads/lead-list';
import { createTable } from '../functions/local/resources';
import { LEADS_INDEX } from '../functions/shared/table-definition';
import { startBenchEmulators } from './environment';
import { seededLeads, writeLeads } from './lead-list-seed';
import { fmt, percentile } from './stats';

const TABLE = 'bench-lead-list';
const SIZES = (process.env.BENCH_LEADLIST_SIZES ?? '10000,100000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_LEADLIST_RUNS ?? 30);

/** The lists a marketer opens first: the whole list, filters, another sort, a search. */
const CASES: [string, Record<string, string>][] = [
  ['newest, no filter', {}],
  ['newest, stage=mql,sql', { stage: 'mql,sql' }],
  ['newest, created in one week', { createdFrom: '2026-02-01', createdTo: '2026-02-07' }],
  ['score, grade=A,B scoreMin=50', { sort: 'score', grade: 'A,B', scoreMin: '50' }],
  ['activity, owned=true', { sort: 'activity', owned: 'true' }],
  ['search q=ada', { q: 'ada' }],
  ['search q=grace.hop', { q: 'grace.hop' }],
];

/**
 * The lead list's first page (25 rows, with its total) on the DynamoDB emulator at 10,000 and
 * 100,000 leads (BatchWriteItem of the app's own lead items), next to a baseline from the same run
 * on the same table: a plain Query of one page of the leads index (gsi3, keys only, 25 entries).
 * Per case: p50/p99 over RUNS first pages, and the items DynamoDB read for one (ScannedCount:
 * read before the filter; the page's rows and the total's COUNT apart), with the Query calls.
 */
export async function benchLeadList(): Promise<void> {
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
  console.log('\n== Lead list: first page of 25 with its total (DynamoDB emulator, %d runs a case) ==', RUNS);
  try {
    await createTable(client, TABLE);
    let loaded = 0;
    for (const size of SIZES) {
      const started = performance.now();
      await writeLeads(db, TABLE, seededLeads(size - loaded, 11, `b${loaded}-`));
      loaded = size;
      console.log(
        `${size.toLocaleString('en')} leads (seeded in ${fmt((performance.now() - started) / 1000, 0)} s)`,
      );
      const baseline = await timed(async () => {
        await db.send(
          new QueryCommand({
            TableName: TABLE,
            IndexName: LEADS_INDEX,
            KeyConditionExpression: 'gsi3pk = :pk',
            ExpressionAttributeValues: { ':pk': leadIndexPk(0) },
            Limit: 25,
          }),
        );
      });
      console.log(
        `  ${'baseline: Query of gsi3, 25 keys'.padEnd(34)} p50 ${fmt(baseline.p50, 1).padStart(7)} ms  p99 ${fmt(baseline.p99, 1).padStart(7)} ms`,
      );
      for (const [name, params] of CASES) {
        const query = parseLeadListQuery({ ...params, limit: '25' });
        let answer = await list.page(query);
        const firstRead = list.lastRead;
        // The same page without its total: what paging on (a cursor carries the total) reads.
        if (answer.cursor) await list.page({ ...query, cursor: answer.cursor });
        const nextRead = list.lastRead;
        const t = await timed(async () => {
          answer = await list.page(query);
        });
        console.log(
          `  ${name.padEnd(34)} p50 ${fmt(t.p50, 1).padStart(7)} ms  p99 ${fmt(t.p99, 1).padStart(7)} ms  ` +
            `x${fmt(t.p50 / baseline.p50, 1)} baseline  |  rows ${answer.leads.length}, total ${answer.total}` +
            `${answer.totalExact ? '' : ' (estimate)'}  |  first page read ${firstRead.items} items in ${firstRead.calls} Query calls; ` +
            `next page ${answer.cursor ? `${nextRead.items} items in ${nextRead.calls}` : '-'}`,
        );
      }
    }
  } finally {
    client.destroy();
    await emulators.stop();
  }
}

async function timed(task: () => Promise<void>): Promise<{ p50: number; p99: number }> {
  await task();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now();
    await task();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}
