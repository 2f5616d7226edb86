import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateReports } from '../../functions/core/reports/aggregate';
import { reportDefinitions } from '../../functions/core/reports/definitions';
import { recount } from '../../functions/core/reports/recount';
import { REPORT_IDS } from '../../functions/core/reports/report';
import type { LocalStack } from '../../functions/local/stack';
import { api, hotDemoRequest, type Json, startTestStack, waitFor } from '../fixtures/local-api';
import { mailTo } from '../fixtures/nurture';
import {
  AGGREGATE_OPTIONS,
  CRASHES,
  type Crash,
  crashingAggregator as crashingAggregatorOn,
  sortRows,
  storedRows,
  storedTimelines,
} from '../fixtures/report-crashes';

/**
 * Invariant 8 on the local stack: a randomized workload (form sign-ups and demo requests with
 * retries of the same Idempotency-Key, Google Ads leads delivered twice, activities retried,
 * the welcome sequence sending, bounces and complaints from the SES simulator, opens from the
 * tracking pixel, unsubscribes, claims and outcomes), while an aggregator with injected crashes
 * (after the batch is proposed, mid-apply, after apply, before completing) runs beside the
 * stack's own tick. Then every lead's stored timeline is recounted naively and compared with the
 * rollups and with what the API answers: identical.
 */
const TZ = 'Europe/Berlin';
const GOOGLE_KEY = 'google-key-for-reports-recount';
let stack: LocalStack;
let http: ReturnType<typeof api>;
let db: DynamoDBDocumentClient;
const definitions = reportDefinitions({ slaMinutes: 15 });
const tag = Date.now().toString(36);

beforeAll(async () => {
  Object.assign(process.env, {
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    LEADFLOW_REPORT_TIME_ZONE: TZ,
    GOOGLE_ADS_WEBHOOK_KEY: GOOGLE_KEY,
  });
  stack = await startTestStack({
    tickSeconds: 2,
    rateLimits: { perIpPerMinute: 1_000_000, perEmailPerMinute: 100 },
  });
  http = api(stack);
  db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.endpoints.dynamodb }));
}, 60_000);
afterAll(async () => {
  db?.destroy();
  await stack?.stop();
});

const OPTIONS = AGGREGATE_OPTIONS;
const crashingAggregator = (crash: Crash | undefined, fired: Crash[]) =>
  crashingAggregatorOn(db, stack.tableName, {
    crash,
    fired,
    definitions: Object.values(definitions),
    timeZone: TZ,
  });

interface Step {
  kind: 'newsletter' | 'demo' | 'google' | 'activity' | 'bounce' | 'complaint';
  n: number;
  retry: boolean;
  source: 'google' | 'linkedin' | 'newsletter';
}
const stepArb = fc.record({
  kind: fc.constantFrom('newsletter', 'newsletter', 'demo', 'google', 'activity', 'bounce', 'complaint'),
  n: fc.integer({ min: 0, max: 7 }),
  retry: fc.boolean(),
  source: fc.constantFrom('google', 'linkedin', 'newsletter'),
}) as fc.Arbitrary<Step>;

async function perform(step: Step, i: number): Promise<void> {
  const email = (who: string) => `${who}.${step.n}.${tag}@acme-industries.de`;
  const submit = async (formId: string, body: Json, key: string) => {
    const headers = { 'content-type': 'application/json', 'idempotency-key': key, origin: stack.apiUrl };
    const send = () =>
      fetch(`${stack.apiUrl}/v1/forms/${formId}/submissions?utm_source=${step.source}&utm_campaign=winter`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
    expect((await send()).status).toBe(202);
    if (step.retry) expect((await send()).status).toBe(202);
  };
  if (step.kind === 'newsletter')
    await submit('newsletter', { email: email('ada'), firstName: 'Ada', consent: true }, `nl-${tag}-${i}`);
  if (step.kind === 'bounce' || step.kind === 'complaint')
    await submit(
      'newsletter',
      { email: `${step.kind}+${step.n}.${tag}@simulator.amazonses.com`, consent: true },
      `sim-${tag}-${i}`,
    );
  if (step.kind === 'demo') await submit('demo-request', hotDemoRequest(email('vera')), `demo-${tag}-${i}`);
  if (step.kind === 'google') {
    const body = JSON.stringify({
      lead_id: `g-${tag}-${step.n}`,
      form_id: 40000000,
      campaign_id: 77,
      google_key: GOOGLE_KEY,
      user_column_data: [{ column_id: 'EMAIL', string_value: email('gina') }],
    });
    const post = () =>
      fetch(`${stack.apiUrl}/v1/webhooks/google`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    expect((await post()).status).toBe(200);
    if (step.retry) expect((await post()).status).toBe(200);
  }
  if (step.kind === 'activity') {
    await submit('newsletter', { email: email('ada'), consent: true }, `nl-act-${tag}-${step.n}`);
    const event = { email: email('ada'), type: 'trial_started', idempotencyKey: `act-${tag}-${i}` };
    const first = await http.post('/v1/activities', event, stack.tokens.ingest);
    expect(first.status).toBe(202);
    if (step.retry) expect((await http.post('/v1/activities', event, stack.tokens.ingest)).status).toBe(202);
  }
}

/** Claims every waiting hot lead and records an outcome for each (won, qualified, lost in turn). */
async function workTheQueue(): Promise<number> {
  const outcomes = ['won', 'qualified', 'lost', 'contacted'];
  let claimed = 0;
  for (;;) {
    const card = await http.post('/v1/sales/claims', {}, stack.tokens.sales);
    if (card.status !== 200) return claimed;
    const outcome = outcomes[claimed % outcomes.length];
    const res = await http.post(
      `/v1/sales/leads/${card.json.leadId}/outcome`,
      { claimToken: card.json.claimToken, outcome },
      stack.tokens.sales,
    );
    expect(res.status).toBe(200);
    claimed += 1;
  }
}

/** Opens (the tracking pixel, twice: a unique open counts once) and one-click unsubscribes from the mailbox. */
async function engageWithMail(): Promise<number> {
  let engaged = 0;
  for (const n of [0, 1, 2, 3]) {
    const [mail] = await mailTo(stack.endpoints.ses, `ada.${n}.${tag}@acme-industries.de`);
    const html = mail?.body.html ?? '';
    const pixel = /<img src="([^"]*\/local\/ses\/open\?m=[^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    if (pixel) {
      await fetch(pixel);
      await fetch(pixel);
      engaged += 1;
    }
    const unsubscribe = /href="([^"]*\/v1\/unsubscribe\?t=[^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    if (unsubscribe && n % 2 === 1) {
      await fetch(unsubscribe, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
      engaged += 1;
    }
  }
  return engaged;
}

describe('reports equal the timeline (invariant 8)', () => {
  it('a randomized workload with retries and aggregator crashes recounts to the same rollups and the same API answers', async () => {
    const steps =
      fc.sample(fc.array(stepArb, { minLength: 18, maxLength: 18 }), { numRuns: 1, seed: 8 })[0] ?? [];
    const fired: Crash[] = [];
    let crashNo = 0;
    const runCrashing = async () => {
      const crash = CRASHES[crashNo % CRASHES.length];
      crashNo += 1;
      await aggregateReports(crashingAggregator(crash, fired), OPTIONS).catch(() => undefined);
    };
    for (const [i, step] of steps.entries()) {
      await perform(step, i);
      if (i % 3 === 2) await runCrashing();
    }
    await stack.afterTicks(2);
    expect(await workTheQueue()).toBeGreaterThan(0);
    await runCrashing();
    await waitFor(
      'the welcome emails',
      async () =>
        (
          await mailTo(
            stack.endpoints.ses,
            `ada.${steps.find((s) => s.kind === 'newsletter')?.n}.${tag}@acme-industries.de`,
          )
        ).length > 0
          ? true
          : undefined,
      20_000,
    );
    expect(await engageWithMail()).toBeGreaterThan(0);
    for (let round = 0; round < 8 && fired.length < CRASHES.length; round += 1) {
      await perform({ kind: 'newsletter', n: 100 + round, retry: false, source: 'newsletter' }, 1000 + round);
      await runCrashing();
    }
    expect(new Set(fired).size, `crashes fired: ${fired.join(', ')}`).toBeGreaterThanOrEqual(3);

    // Quiet: the stack's ticks and SES events settle, then a clean run counts what is left.
    await stack.afterTicks(3);
    const clean = crashingAggregator(undefined, fired);
    await aggregateReports(clean, { ...OPTIONS, maxBatches: 1000 });

    const { entries, contexts } = await storedTimelines(db, stack.tableName);
    expect(entries.length).toBeGreaterThan(40);
    const expected = recount(Object.values(definitions), entries, contexts, TZ);
    const days = expected.map((row) => row.day).sort();
    const from = days[0] ?? '2026-01-01';
    const to = days.at(-1) ?? from;
    const stored = await storedRows(clean, from, to);
    expect(sortRows(stored)).toEqual(sortRows(expected));
    expect(new Set(expected.map((row) => row.report))).toEqual(new Set(REPORT_IDS));

    // What the API answers equals the definitions' build over the recount.
    for (const report of REPORT_IDS) {
      const query = { from, to, interval: 'week' as const, compare: false, filters: {} };
      const res = await http.get(
        `/v1/admin/reports/${report}?from=${from}&to=${to}&interval=week`,
        stack.tokens.marketing,
      );
      expect(res.status, report).toBe(200);
      const rows = expected.filter((row) => row.report === report);
      const built = definitions[report].build(rows, query);
      expect(res.json.tables, report).toEqual(JSON.parse(JSON.stringify(built.tables)));
      expect(res.json.series, report).toEqual(JSON.parse(JSON.stringify(built.series)));
    }
  }, 240_000);
});
