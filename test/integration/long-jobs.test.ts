import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toLeadItem } from '../../functions/adapters/dynamodb/lead-item';
import { leadIdFor } from '../../functions/core/kernel/email';
import type { LeadState } from '../../functions/core/leads/lead';
import { BROADCAST_PAGE } from '../../functions/core/nurture/broadcast';
import { RESCORE_PAGE } from '../../functions/core/scoring/rescore-job';
import { emptyAggregate } from '../../functions/core/scoring/score';
import type { LocalStack } from '../../functions/local/stack';
import { api, type Json, startTestStack, waitFor } from '../fixtures/local-api';

/**
 * Jobs that queue their own next page on the queue they consume: a rescore (rescore-jobs) and a
 * broadcast (email-jobs) over 5,000 leads, through the real queues of the local stack. On AWS, Lambda
 * would stop such a chain after about 16 hops unless the function allows the loop (infra asserts
 * RecursiveLoop Allow on both); here each runs its 50+ pages to the end, each page counted once.
 *
 * What is timed is the paging: one lead in WORKED is worked on (rebuilt and rescored; in the
 * broadcast's segment), the others are skipped by the job's own rules (already scored by the model
 * version being activated; outside the segment), so 5,000 leads page through in well under a minute
 * on the emulator instead of 5,000 rebuilds and enrollments.
 */
const LEADS = 5_000;
const WORKED = 25;
const WORKED_LEADS = LEADS / WORKED;
/** config/scoring.yaml is version 1; the model the test adds is the next one. */
const NEXT_MODEL_VERSION = 2;
const AT = '2026-11-02T10:00:00.000Z';
let stack: LocalStack;
let http: ReturnType<typeof api>;
let token: string;

/**
 * A lead with marketing consent, as capture would have stored it (no timeline). Every WORKED-th is an
 * unscored customer; the rest are subscribers already scored by the model version the test activates.
 */
function storedLead(i: number): LeadState {
  const email = `long-job-${i}@acme-widgets.com`;
  const worked = i % WORKED === 0;
  return {
    leadId: leadIdFor(email),
    email,
    stage: worked ? 'customer' : 'subscriber',
    profile: { firstName: { value: `Reader${i}`, source: 'form:newsletter', at: AT } },
    marketingConsent: { granted: true, at: AT, source: 'form:newsletter' },
    createdAt: AT,
    updatedAt: AT,
    version: 1,
    aggregate: emptyAggregate(),
    score: worked
      ? null
      : {
          ...{ fit: 0, engagement: 0, total: 0, grade: 'D', mql: false, hot: false, breakdown: [] },
          modelVersion: NEXT_MODEL_VERSION,
        },
  } as LeadState;
}

/** Writes the lead items the app's own adapter builds, 25 to a BatchWriteItem, 8 batches at once. */
async function seedLeads(tableName: string): Promise<void> {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const items = Array.from({ length: LEADS }, (_, i) => toLeadItem(storedLead(i)));
  const batches: (typeof items)[] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  const write = async (batch: typeof items) => {
    let pending: Record<string, unknown>[] = batch.map((Item) => ({ PutRequest: { Item } }));
    while (pending.length > 0) {
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (out.UnprocessedItems?.[tableName] ?? []) as Record<string, unknown>[];
    }
  };
  for (let i = 0; i < batches.length; i += 8) await Promise.all(batches.slice(i, i + 8).map(write));
  db.destroy();
}

/**
 * Both jobs start at once (two queues, two pollers): on the local stack each page takes about a
 * second whatever its work (measured: ~1.1 s a page with 0 to 2 leads rebuilt), so the rescore's 100
 * pages set the file's time (~2 minutes).
 */
let added: { status: number; json: Json };
let activated: { status: number; json: Json };
let started: { status: number; json: Json };

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  stack = await startTestStack();
  http = api(stack);
  token = stack.tokens.marketing;
  await seedLeads(stack.tableName);

  const shipped = parse(await readFile(resolve('config/scoring.yaml'), 'utf8')) as Record<string, unknown>;
  added = await http.post('/v1/admin/scoring/versions', { model: shipped }, token);
  activated = await http.post(`/v1/admin/scoring/versions/${NEXT_MODEL_VERSION}/activate`, {}, token);
  // Sent tomorrow: the test is the paging, not e-mails through the SES emulator.
  const sendAt = new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString();
  started = await http.post(
    '/v1/admin/broadcasts',
    { template: 'case-study', segment: { stages: ['customer'], consent: true }, sendAt },
    token,
  );
}, 60_000);
afterAll(async () => stack?.stop());

describe(`long jobs over ${LEADS.toLocaleString('en')} leads on the local stack`, () => {
  it(`pages a rescore through every lead: ${LEADS / RESCORE_PAGE} pages through rescore-jobs, each counted once`, async () => {
    expect([added.status, added.json.version]).toEqual([201, NEXT_MODEL_VERSION]);
    expect(activated.status).toBe(202);

    const job = await waitFor(
      'the rescore to finish',
      async () => {
        const { json } = await http.get('/v1/admin/scoring/rescore', token);
        return json.job?.status === 'running' ? undefined : (json.job as Json);
      },
      170_000,
    );
    expect(job).toMatchObject({
      version: NEXT_MODEL_VERSION,
      status: 'done',
      pages: LEADS / RESCORE_PAGE,
      scanned: LEADS,
      rescored: WORKED_LEADS,
    });
    for (const i of [0, LEADS / 2, LEADS - WORKED]) {
      const lead = await http.get(`/v1/admin/leads?email=long-job-${i}@acme-widgets.com`, token);
      expect(lead.json.score.modelVersion, `lead ${i}`).toBe(NEXT_MODEL_VERSION);
      expect(lead.json.timeline[0], `lead ${i}`).toMatchObject({ type: 'score_changed', source: 'model:v2' });
    }
  }, 180_000);

  it(`enrolls every lead of the segment once: ${LEADS / BROADCAST_PAGE} pages through email-jobs`, async () => {
    expect(started.status).toBe(202);
    const { broadcastId } = started.json;

    const broadcast = await waitFor(
      'the broadcast to enroll its segment',
      async () => {
        const { json } = await http.get(`/v1/admin/broadcasts/${broadcastId}`, token);
        // Sent tomorrow: it shows `scheduled` all along, so wait for its last page to be counted.
        return json.pages === LEADS / BROADCAST_PAGE ? (json as Json) : undefined;
      },
      120_000,
    );
    expect(broadcast).toMatchObject({
      status: 'scheduled',
      pages: LEADS / BROADCAST_PAGE,
      scanned: LEADS,
      enrolled: WORKED_LEADS,
    });
    for (const i of [0, LEADS / 2, LEADS - WORKED]) {
      const lead = await http.get(`/v1/admin/leads?email=long-job-${i}@acme-widgets.com`, token);
      const enrollments = (lead.json.enrollments as Json[]).filter((e) =>
        JSON.stringify(e).includes(broadcastId),
      );
      expect(enrollments, `lead ${i}`).toHaveLength(1);
    }
  }, 130_000);
});
