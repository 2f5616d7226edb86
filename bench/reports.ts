import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { REPORT_SHARDS, toActivityItem, toLeadItem } from '../functions/adapters/dynamodb/lead-item';
import { DynamoReportCursors } from '../functions/adapters/dynamodb/report-cursors';
import { DynamoUnreportedEntries } from '../functions/adapters/dynamodb/report-entries';
import { rollupKey } from '../functions/adapters/dynamodb/report-item';
import { DynamoRollupStore } from '../functions/adapters/dynamodb/report-rollups';
import { useIdentityKey } from '../functions/core/kernel/identity-key';
import type { Activity, LeadState } from '../functions/core/leads/lead';
import { aggregateReports } from '../functions/core/reports/aggregate';
import { addDays } from '../functions/core/reports/days';
import { reportDefinitions } from '../functions/core/reports/definitions';
import { noArchive } from '../functions/core/reports/ports';
import { parseReportRequest } from '../functions/core/reports/query';
import { readReport } from '../functions/core/reports/read';
import { REPORT_IDS, type ReportId } from '../functions/core/reports/report';
import { emptyAggregate } from '../functions/core/scoring/score';
import { createTable } from '../functions/local/resources';
import { startBenchEmulators } from './environment';
import { fmt, median, percentile } from './stats';

const TABLE = 'bench-reports';
const LEADS = Number(process.env.BENCH_REPORTS_LEADS ?? 300);
const CAPTURES = Number(process.env.BENCH_REPORTS_CAPTURES ?? 1500);
const TZ = 'Europe/Berlin';
const TODAY = '2026-12-01';
/**
 * Rollup rows a day of a 100,000-lead account writes (about 1,100 new leads a day over 90 days),
 * per report: first-touch combinations seen in a day (source × campaign × form × platform, ~40)
 * times each report's own keys seen that day.
 */
const ROWS_A_DAY: Record<ReportId, number> = {
  funnel: 80,
  sources: 120,
  email: 60,
  sales: 150,
  scoring: 250,
  // One row per sequence with enrollments or ends that day.
  sequences: 20,
};

/** Requests by command, counted on the client (what DynamoDB bills per request). */
function countRequests(client: DynamoDBClient) {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName).replace(/Command$/, '');
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'benchCountRequests' },
  );
  return {
    snapshot: () => new Map(counts),
    since: (before: Map<string, number>) => {
      const used = new Map<string, number>();
      for (const [name, n] of counts)
        if (n > (before.get(name) ?? 0)) used.set(name, n - (before.get(name) ?? 0));
      return used;
    },
  };
}

const at = (minutes: number) => new Date(Date.parse('2026-11-20T08:00:00Z') + minutes * 60_000).toISOString();

function lead(i: number): LeadState {
  const source = ['google', 'meta', 'newsletter', 'linkedin'][i % 4] ?? 'direct';
  return {
    leadId: `ld_bench_${i.toString(16).padStart(8, '0')}`,
    email: `bench-reports-${i}@example.com`,
    stage: 'lead',
    profile: {},
    firstTouch: { at: at(i), source: 'form:demo-request', utm_source: source, utm_campaign: `c${i % 5}` },
    createdAt: at(i),
    updatedAt: at(i),
    version: 1,
    aggregate: emptyAggregate(),
    score: null,
  };
}

/** A realistic mix of timeline entries: captures, sends and engagement, score and stage moves, sales. */
function entry(i: number, leadId: string): Activity {
  const base = { activityId: `act_bench_${i}`, leadId, at: at(i / 3), source: 'form:demo-request' };
  const mail = { sequenceId: 'welcome', step: 'welcome', templateId: 'welcome-1', messageId: `m-${leadId}` };
  switch (i % 8) {
    case 0:
      return {
        ...base,
        type: 'form_submitted',
        attribution: { utm_source: 'google' },
        effect: { created: 'lead' },
      };
    case 1:
      return { ...base, type: 'email_sent', properties: mail };
    case 2:
      return { ...base, type: 'email_delivered', properties: mail };
    case 3:
      return { ...base, type: 'email_opened', properties: mail };
    case 4:
      return { ...base, type: 'page_viewed', properties: { path: '/pricing' } };
    case 5: {
      const hot = { total: 90, grade: 'A', modelVersion: 2, rules: ['trial', 'vp'] };
      return {
        ...base,
        type: 'trial_started',
        effect: { stage: { from: 'lead', to: 'mql' }, handoff: 1, hot },
      };
    }
    case 6:
      return {
        ...base,
        type: 'sales_claimed',
        properties: { handoff: 1, becameHotAt: at(i / 3 - 30), rep: 'ravi' },
      };
    default:
      return { ...base, type: 'email_clicked', properties: mail };
  }
}

export async function benchReports(): Promise<void> {
  const emulators = await startBenchEmulators({ dynamodb: 0, sqs: 0, ses: 0 });
  const env: NodeJS.ProcessEnv = {};
  emulators.applyToEnv(env);
  useIdentityKey('bench-identity-key-0123456789abcdef-0123456789');
  const client = new DynamoDBClient({
    endpoint: env.AWS_ENDPOINT_URL_DYNAMODB,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const requests = countRequests(client);
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const definitions = reportDefinitions({ slaMinutes: 15 });
  console.log(
    '\n== Reports: rollup cost, 90-day read, capture with and without the uncounted index (DynamoDB emulator) ==',
  );
  try {
    await createTable(client, TABLE);
    await rollupCost(db, requests, definitions);
    await captureRatio(db);
    await readLatency(db, requests, definitions);
  } finally {
    client.destroy();
    await emulators.stop();
  }
}

async function rollupCost(
  db: DynamoDBDocumentClient,
  requests: ReturnType<typeof countRequests>,
  definitions: ReturnType<typeof reportDefinitions>,
) {
  const leads = Array.from({ length: LEADS }, (_, i) => lead(i));
  for (const item of leads) await db.send(new PutCommand({ TableName: TABLE, Item: toLeadItem(item) }));
  const entries = Array.from({ length: LEADS * 8 }, (_, i) => entry(i, leads[i % LEADS]?.leadId ?? ''));
  for (const item of entries) await db.send(new PutCommand({ TableName: TABLE, Item: toActivityItem(item) }));
  const before = requests.snapshot();
  const started = performance.now();
  const result = await aggregateReports(
    {
      entries: new DynamoUnreportedEntries(db, TABLE),
      cursors: new DynamoReportCursors(db, TABLE),
      rollups: new DynamoRollupStore(db, TABLE),
      archive: noArchive,
      definitions: Object.values(definitions),
      clock: { now: () => new Date() },
      timeZone: TZ,
    },
    { shards: REPORT_SHARDS, batchSize: 100, maxBatches: 1000 },
  );
  const ms = performance.now() - started;
  const used = requests.since(before);
  const total = [...used.values()].reduce((sum, n) => sum + n, 0);
  const perEvent = (n: number) => fmt(n / result.entries, 3);
  console.log(
    `rollup cost: ${result.entries} timeline entries (${LEADS} leads, 8 kinds) in ${result.batches} batches of up to 100, ${fmt(ms, 0)} ms: ` +
      `${perEvent(total)} DynamoDB requests per entry (${[...used].map(([name, n]) => `${name} ${perEvent(n)}`).join(', ')})`,
  );
  console.log(
    '  + the capture path writes no extra request: the uncounted key rides in the entry put (one more index entry, keys only)',
  );
}

/** The capture path's two writes (the lead item, then its timeline entry), with and without the gsi10 key, rounds alternating. */
async function captureRatio(db: DynamoDBDocumentClient) {
  const rounds: { withKey: number; without: number }[] = [];
  const run = async (round: number, withKey: boolean) => {
    const started = performance.now();
    const concurrency = 8;
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < CAPTURES) {
          const i = next++;
          const n = round * 2 * CAPTURES + (withKey ? 0 : CAPTURES) + i + 1_000_000;
          const item = lead(n);
          await db.send(new PutCommand({ TableName: TABLE, Item: toLeadItem(item) }));
          const activity = toActivityItem({ ...entry(n * 8, item.leadId), activityId: `act_cap_${n}` });
          if (!withKey) {
            const { gsi10pk: _pk, gsi10sk: _sk, ...plain } = activity;
            await db.send(new PutCommand({ TableName: TABLE, Item: plain }));
          } else await db.send(new PutCommand({ TableName: TABLE, Item: activity }));
        }
      }),
    );
    return (CAPTURES / (performance.now() - started)) * 1000;
  };
  for (let round = 0; round < 6; round += 1) {
    // Alternate which goes first: the table grows as the rounds go.
    const first = await run(round, round % 2 === 0);
    const second = await run(round, round % 2 !== 0);
    rounds.push(round % 2 === 0 ? { withKey: first, without: second } : { withKey: second, without: first });
  }
  const withKey = median(rounds.map((r) => r.withKey));
  const without = median(rounds.map((r) => r.without));
  const ratio = withKey / without;
  console.log(
    `capture writes (lead put + timeline entry put, 8 in flight, ${CAPTURES} a round, median of 6 rounds, order alternating): ` +
      `with the uncounted key ${fmt(withKey, 0)}/s, without ${fmt(without, 0)}/s, ratio ${fmt(ratio, 3)} (target >= 0.9): ${ratio >= 0.9 ? 'ok' : 'BELOW TARGET'}`,
  );
}

/** Seeds 90 days of rollup rows for every report, then reads each report's 90-day range through the read use case. */
async function readLatency(
  db: DynamoDBDocumentClient,
  requests: ReturnType<typeof countRequests>,
  definitions: ReturnType<typeof reportDefinitions>,
) {
  const from = addDays(TODAY, -89);
  let seeded = 0;
  for (const report of REPORT_IDS) {
    const items: Record<string, unknown>[] = [];
    for (let d = 0; d < 90; d += 1) {
      const day = addDays(from, d);
      for (let r = 0; r < ROWS_A_DAY[report]; r += 1) {
        const dims = benchDims(report, r);
        items.push({
          ...rollupKey({ report, day, dims }),
          entity: 'rollup',
          day,
          dims,
          b0: 1,
          ...benchCounts(report, r),
        });
      }
    }
    for (let i = 0; i < items.length; i += 25)
      await db.send(
        new BatchWriteCommand({
          RequestItems: { [TABLE]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
    seeded += items.length;
  }
  const deps = {
    rollups: new DynamoRollupStore(db, TABLE),
    definitions,
    clock: { now: () => new Date() },
    timeZone: TZ,
  };
  console.log(
    `90-day report read, rollups seeded for a 100,000-lead account (${seeded.toLocaleString('en')} rows over 90 days):`,
  );
  for (const report of REPORT_IDS) {
    const request = parseReportRequest(report, { from, to: TODAY, interval: 'week' }, TODAY);
    const times: number[] = [];
    let used = new Map<string, number>();
    for (let i = 0; i < 12; i += 1) {
      const before = requests.snapshot();
      const started = performance.now();
      await readReport(deps, request);
      times.push(performance.now() - started);
      used = requests.since(before);
    }
    times.sort((a, b) => a - b);
    // The rows alone (the emulator's Queries), to tell reading from building the tables.
    const readStarted = performance.now();
    await deps.rollups.read(report, from, TODAY);
    const readMs = performance.now() - readStarted;
    console.log(
      `  ${report.padEnd(8)} ${(ROWS_A_DAY[report] * 90).toLocaleString('en').padStart(6)} rows: p50 ${fmt(percentile(times, 50), 1)} ms, p90 ${fmt(percentile(times, 90), 1)} ms (reading the rows ${fmt(readMs, 1)} ms of it); ` +
        `${[...used].map(([name, n]) => `${n} ${name}`).join(', ')} (4 months touched: one Query each, paged at 1 MB, plus the cursors)`,
    );
  }
}

const SOURCES = ['google', 'meta', 'newsletter', 'linkedin', 'direct'];
function benchDims(report: ReportId, r: number): string {
  const touch = `src=${SOURCES[r % 5]}|cmp=c${r % 8}|form=demo-request|plat=-`;
  if (report === 'email') return `seq=welcome|step=s${r % 6}|tpl=t${r % 6}|bc=b${Math.floor(r / 6)}`;
  if (report === 'funnel' || report === 'sources')
    return `${['stage', 'cohort', 'first', 'last'][r % 4]}|${touch}`;
  if (report === 'sales') return `${['all', 'out', 'grade', 'rep'][r % 4]}|k${Math.floor(r / 40)}|${touch}`;
  return `${['all', 'grade', 'band', 'cal', 'rule'][r % 5]}|k${Math.floor(r / 40)}|${touch}`;
}
function benchCounts(report: ReportId, r: number): Record<string, number> {
  const counts: Record<string, number> =
    report === 'email'
      ? { c_sent: 20 + r, c_delivered: 19 + r, c_opened: 8, c_clicked: 3 }
      : {
          c_in_lead: 3,
          c_in_mql: 1,
          c_new: 2,
          c_handoffs: 1,
          c_won: r % 3,
          c_newLeads: 2,
          c_claims: 1,
          c_ttc_h2: 1,
        };
  return counts;
}
