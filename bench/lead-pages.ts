import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { fromLeadItem, toActivityItem, toLeadItem } from '../functions/adapters/dynamodb/lead-item';
import { DynamoLeadStore } from '../functions/adapters/dynamodb/lead-store';
import { leadIdFor } from '../functions/core/kernel/email';
import { useIdentityKey } from '../functions/core/kernel/identity-key';
import type { Activity, LeadState } from '../functions/core/leads/lead';
import { BROADCAST_PAGE } from '../functions/core/nurture/broadcast';
import { RESCORE_PAGE } from '../functions/core/scoring/rescore-job';
import { emptyAggregate } from '../functions/core/scoring/score';
import { createTable } from '../functions/local/resources';
import { startBenchEmulators } from './environment';
import { fmt, pool } from './stats';

const TABLE = 'bench-lead-pages';
const SIZES = (process.env.BENCH_PAGES_SIZES ?? '1000,10000').split(',').map(Number);
const ACTIVITIES = Number(process.env.BENCH_PAGES_ACTIVITIES ?? 20);
const TARGET = 1.1;
const AT = '2026-12-01T10:00:00.000Z';

/** What DynamoDB read for a run of requests: items by kind, and read units as AWS bills them. */
interface Reads {
  requests: number;
  /** Table items: lead items, or every item a Scan evaluated (activities and all). */
  tableItems: number;
  /** Index entries a Query of an index read (keys only here: ~100 bytes each). */
  indexEntries: number;
  /** ConsumedCapacity.CapacityUnits, summed (the emulator computes it by AWS's rules). */
  readUnits: number;
}

/**
 * Items DynamoDB reads to page through every lead, as a broadcast (BROADCAST_PAGE leads a page) and
 * a rescore or backtest (RESCORE_PAGE) page through them, for 1,000 and 10,000 leads with 20
 * activities each, on the DynamoDB emulator: the leads index (a Query of gsi3 per shard, then one
 * BatchGetItem of the lead items) next to a baseline measured in the same run on the same table,
 * the Scan the pages used before (every item of the table evaluated, leads kept by a filter).
 * Counted by a middleware on the client: ScannedCount of each Query and Scan, the items of each
 * BatchGetItem, and the read units each request reports. A rescore then rebuilds each lead it
 * rescores from its timeline (one Query of the lead's partition): that read is printed apart, it is
 * the same before and after.
 */
export async function benchLeadPages(): Promise<void> {
  const emulators = await startBenchEmulators({ dynamodb: 0, sqs: 0, ses: 0 });
  const env: NodeJS.ProcessEnv = {};
  emulators.applyToEnv(env);
  useIdentityKey(process.env.LEADFLOW_IDENTITY_KEY ?? 'bench-identity-key-0123456789abcdef-0123456789');
  const client = new DynamoDBClient({
    endpoint: env.AWS_ENDPOINT_URL_DYNAMODB,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const reads = countReads(client);
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const store = new DynamoLeadStore(db, TABLE);
  console.log(
    '\n== Lead pages: DynamoDB reads to page through every lead, %d activities a lead (DynamoDB emulator) ==',
    ACTIVITIES,
  );
  try {
    await createTable(client, TABLE);
    let loaded = 0;
    const verdicts: boolean[] = [];
    for (const size of SIZES) {
      await load(db, loaded, size);
      loaded = size;
      for (const [job, limit] of [
        ['broadcast', BROADCAST_PAGE],
        ['rescore', RESCORE_PAGE],
      ] as const) {
        const before = await measure(reads, size, (cursor) => scanPage(db, cursor, limit));
        const now = await measure(reads, size, (cursor) => store.page(cursor, limit));
        const perLead = (value: number) => fmt(value / size, 2);
        console.log(
          `${size.toLocaleString('en').padStart(6)} leads  ${job.padEnd(9)} (${limit} a page)  ` +
            `before (Scan): ${perLead(before.tableItems)} items/lead, ${perLead(before.readUnits)} RCU/lead, ${fmt(before.ms, 0)} ms  |  ` +
            `now (leads index): ${perLead(now.tableItems)} lead items + ${perLead(now.indexEntries)} index entries/lead, ` +
            `${perLead(now.readUnits)} RCU/lead, ${fmt(now.ms, 0)} ms  |  ` +
            `items x${fmt((now.tableItems + now.indexEntries) / before.tableItems, 3)}, RCU x${fmt(now.readUnits / before.readUnits, 3)}`,
        );
        verdicts.push(now.tableItems / size <= TARGET);
      }
    }
    // What a rescore or backtest reads next for each lead it rebuilds, unchanged by the index.
    const sample = Math.min(200, loaded);
    const timeline = await measureTimelines(reads, store, sample);
    console.log(
      `Then per rebuilt lead (rescore, backtest): its timeline, ${fmt(timeline.tableItems / sample, 2)} items and ${fmt(timeline.readUnits / sample, 2)} RCU (one Query of its partition, as before)`,
    );
    console.log(
      `Target                 ${verdicts.every(Boolean) ? 'met' : 'NOT met'}: <= ${TARGET} lead items read per lead paged, flat from 1k to 10k leads ` +
        '(plus one keys-only index entry per lead, billed by size: ~0.01 RCU)',
    );
  } finally {
    client.destroy();
    await emulators.stop();
  }
}

/** Pages through every lead from the start, with the reads and time that took. */
async function measure(
  reads: () => Reads,
  expected: number,
  page: (cursor: string | null) => Promise<{ leads: LeadState[]; cursor: string | null }>,
) {
  const start = reads();
  const started = performance.now();
  let cursor: string | null = null;
  let leads = 0;
  do {
    const next = await page(cursor);
    leads += next.leads.length;
    cursor = next.cursor;
  } while (cursor);
  const ms = performance.now() - started;
  if (leads !== expected) throw new Error(`paged ${leads} leads, expected ${expected}`);
  const end = reads();
  return {
    ms,
    tableItems: end.tableItems - start.tableItems,
    indexEntries: end.indexEntries - start.indexEntries,
    readUnits: end.readUnits - start.readUnits,
  };
}

async function measureTimelines(reads: () => Reads, store: DynamoLeadStore, sample: number) {
  const start = reads();
  for (let i = 0; i < sample; i += 1) await store.find(benchLead(i).leadId);
  const end = reads();
  return { tableItems: end.tableItems - start.tableItems, readUnits: end.readUnits - start.readUnits };
}

/** The baseline: lead pages as a filtered Scan of the whole table, as DynamoLeadStore paged before. */
async function scanPage(db: DynamoDBDocumentClient, cursor: string | null, limit: number) {
  const leads: LeadState[] = [];
  let startKey = cursor
    ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>)
    : undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: TABLE,
        FilterExpression: 'entity = :lead',
        ExpressionAttributeValues: { ':lead': 'lead' },
        ExclusiveStartKey: startKey,
        Limit: limit * 4,
      }),
    );
    for (const item of page.Items ?? []) leads.push(fromLeadItem(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey && leads.length < limit);
  return { leads, cursor: startKey ? Buffer.from(JSON.stringify(startKey)).toString('base64url') : null };
}

/** Counts what each read request read (see Reads), asking every read for its consumed capacity. */
function countReads(client: DynamoDBClient): () => Reads {
  const totals: Reads = { requests: 0, tableItems: 0, indexEntries: 0, readUnits: 0 };
  const reading = new Set(['QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'GetItemCommand']);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName);
      if (!reading.has(command)) return next(args);
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const output = result.output as {
        ScannedCount?: number;
        Item?: unknown;
        Responses?: Record<string, unknown[]>;
        ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[];
      };
      totals.requests += 1;
      const items =
        output.ScannedCount ??
        (output.Responses ? Object.values(output.Responses).flat().length : output.Item ? 1 : 0);
      if ((args.input as { IndexName?: string }).IndexName) totals.indexEntries += items;
      else totals.tableItems += items;
      for (const capacity of [output.ConsumedCapacity ?? []].flat())
        totals.readUnits += capacity.CapacityUnits ?? 0;
      return result;
    },
    { step: 'initialize', name: 'benchCountReads' },
  );
  return () => ({ ...totals });
}

function benchLead(i: number): LeadState {
  const email = `bench-pages-${i}@example.com`;
  return {
    leadId: leadIdFor(email),
    email,
    stage: 'subscriber',
    profile: {
      firstName: { value: `Ada${i}`, source: 'form:newsletter', at: AT },
      company: { value: 'Analytical Engines Ltd', source: 'form:newsletter', at: AT },
    },
    marketingConsent: { granted: true, at: AT, source: 'form:newsletter' },
    createdAt: AT,
    updatedAt: AT,
    version: 1,
    aggregate: emptyAggregate(),
    score: null,
  } as LeadState;
}

/** A form submission as capture stores it: page, referrer, UTM and the consent record. */
function benchActivity(lead: LeadState, n: number): Activity {
  return {
    activityId: `act_${n}`,
    leadId: lead.leadId,
    type: 'form_submitted',
    at: AT,
    source: 'form:newsletter',
    formId: 'newsletter',
    page: `https://www.example.com/blog/post-${n}?utm_source=newsletter&utm_medium=email`,
    referrer: 'https://www.google.com/',
    utm: { source: 'newsletter', medium: 'email', campaign: 'spring' },
    consent: {
      text: 'Send me the newsletter. I can unsubscribe at any time with the link in every email.',
      at: AT,
      source: 'form:newsletter',
      ip: '203.0.113.7',
    },
  } as unknown as Activity;
}

/** Leads `from` to `to` - 1, each with its ACTIVITIES, written 25 items a batch. */
async function load(db: DynamoDBDocumentClient, from: number, to: number) {
  const started = performance.now();
  const items: Record<string, unknown>[] = [];
  for (let i = from; i < to; i += 1) {
    const lead = benchLead(i);
    items.push(toLeadItem(lead));
    for (let n = 0; n < ACTIVITIES; n += 1) items.push(toActivityItem(benchActivity(lead, n)));
  }
  await pool(Math.ceil(items.length / 25), 8, async (b) => {
    let requests = items.slice(b * 25, b * 25 + 25).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [TABLE]: requests } }));
      requests = (result.UnprocessedItems?.[TABLE] ?? []) as typeof requests;
    }
  });
  console.log(
    `(loaded ${(to - from).toLocaleString('en')} leads and ${((to - from) * ACTIVITIES).toLocaleString('en')} activities in ${fmt((performance.now() - started) / 1000, 1)} s)`,
  );
}
