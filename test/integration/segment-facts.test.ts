import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadIndexPk } from '../../functions/adapters/dynamodb/lead-item';
import { DynamoLeadStore } from '../../functions/adapters/dynamodb/lead-store';
import { DynamoSegmentFacts } from '../../functions/adapters/dynamodb/segment-facts';
import { DynamoSuppressionStore } from '../../functions/adapters/dynamodb/suppression-store';
import type { Activity, LeadState } from '../../functions/core/leads/lead';
import {
  matches,
  previewSegment,
  SEGMENT_FACTS,
  type SegmentDefinition,
} from '../../functions/core/segments/segments';
import { SEGMENT_FACTS_INDEX } from '../../functions/shared/table-definition';
import { type EmulatorEnv, emulatorEnv, TABLE } from '../fixtures/emulators';
import { conditionArb, EVERY_CONDITION, SEGMENT_NOW, segmentLeads } from '../fixtures/segment-leads';

/**
 * Segment counts over the segment facts index (gsi12) against the DynamoDB emulator agree with
 * `matches` over the whole lead items, read the old way (leads index + BatchGetItem) with the
 * suppression list asked one address at a time: for every condition type, and for random
 * definitions of them. Timelines and other items are never counted.
 */
let env: EmulatorEnv;
let store: DynamoLeadStore;
let suppressions: DynamoSuppressionStore;
let facts: DynamoSegmentFacts;
const LEADS = segmentLeads(400, 15);
const clock = { now: () => SEGMENT_NOW };
const whole: { lead: LeadState; suppressed: boolean }[] = [];

beforeAll(async () => {
  env = await emulatorEnv();
  store = new DynamoLeadStore(env.db, TABLE);
  suppressions = new DynamoSuppressionStore(env.db, TABLE);
  facts = new DynamoSegmentFacts(env.db, TABLE);
  for (const [i, lead] of LEADS.entries()) {
    await store.create(lead);
    if (i % 5 === 0) await suppressions.suppress(lead.email, 'bounced', 'test');
    if (i % 7 === 0)
      await store.putActivity({
        activityId: `act_${i}`,
        leadId: lead.leadId,
        type: 'page_viewed',
        at: lead.createdAt,
        source: 'api',
      } as Activity);
  }
  await env.db.send(new PutCommand({ TableName: TABLE, Item: { pk: 'OTHER#1', sk: 'X', entity: 'token' } }));
  // The reference: every whole lead item, paged the old way, each address asked on its own.
  let cursor: string | null = null;
  do {
    const page = await store.page(cursor, 100);
    for (const lead of page.leads)
      whole.push({ lead, suppressed: (await suppressions.lookup(lead.email)) !== undefined });
    cursor = page.cursor;
  } while (cursor);
}, 120_000);

afterAll(() => env?.stop());

const reference = (definition: SegmentDefinition) =>
  whole
    .filter(({ lead, suppressed }) => matches(lead, definition, SEGMENT_NOW, suppressed))
    .map(({ lead }) => lead.leadId);

describe('segment counts over the segment facts index', () => {
  it('reads every lead once, and nothing but leads', async () => {
    expect(whole).toHaveLength(LEADS.length);
    const ids: string[] = [];
    expect(
      await facts.forEachPage(
        (leads) => void ids.push(...leads.map((l) => l.leadId)),
        () => true,
      ),
    ).toBe(true);
    expect(ids.sort()).toEqual(LEADS.map((l) => l.leadId).sort());
  });

  it.each(EVERY_CONDITION.map((condition) => [condition.type, condition] as const))(
    'counts the same leads as matches over whole items: %s %j',
    async (_type, condition) => {
      for (const match of ['all', 'any'] as const) {
        const definition = { match, conditions: [condition] };
        const preview = await previewSegment(
          { segmentFacts: facts, suppressions, clock },
          definition,
          Number.POSITIVE_INFINITY,
        );
        expect(preview.count).toBe(reference(definition).length);
        expect(preview).toMatchObject({ complete: true, scanned: LEADS.length });
      }
    },
  );

  it('agrees on random definitions of several conditions (property-based)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(conditionArb, { maxLength: 5 }),
        fc.constantFrom('all' as const, 'any' as const),
        async (conditions, match) => {
          const definition = { match, conditions };
          const preview = await previewSegment({ segmentFacts: facts, suppressions, clock }, definition);
          const expected = reference(definition);
          expect(preview.count).toBe(expected.length);
          for (const lead of preview.sample) expect(expected).toContain(lead.leadId);
          expect(preview.sample).toHaveLength(Math.min(20, expected.length));
        },
      ),
      { numRuns: 25, seed: 7 },
    );
  }, 120_000);

  it('copies only the segment facts into the index: no aggregate, nurture state, latest activity or owner', async () => {
    const page = await env.db.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: SEGMENT_FACTS_INDEX,
        KeyConditionExpression: 'gsi3pk = :shard',
        ExpressionAttributeValues: { ':shard': leadIndexPk(0) },
      }),
    );
    const keys = ['pk', 'sk', 'gsi3pk', 'gsi3sk'];
    for (const item of page.Items ?? [])
      for (const name of Object.keys(item)) expect([...keys, ...SEGMENT_FACTS]).toContain(name);
    expect(page.Items?.length).toBeGreaterThan(0);
  });

  it('stops when the time budget is spent and says the count is not complete', async () => {
    // Each reading of the clock is a second later: the budget runs out after a few shards.
    let t = 0;
    const ticking = {
      now: () => {
        t += 1_000;
        return new Date(SEGMENT_NOW.getTime() + t);
      },
    };
    const preview = await previewSegment(
      { segmentFacts: facts, suppressions, clock: ticking },
      { match: 'all', conditions: [] },
      5_000,
    );
    expect(preview.complete).toBe(false);
    expect(preview.scanned).toBeLessThan(LEADS.length);
    expect(preview.count).toBe(preview.scanned);
  });

  it('asks the suppression list about a page of addresses at once, two spellings of one inbox included', async () => {
    await suppressions.suppress('Ada.Lovelace+news@gmail.com', 'unsubscribed', 'test');
    const among = await suppressions.suppressedAmong([
      'adalovelace@gmail.com',
      'ada.lovelace@gmail.com',
      'grace@example.com',
      LEADS[0]?.email ?? '',
      LEADS[1]?.email ?? '',
    ]);
    expect([...among].sort()).toEqual(
      ['ada.lovelace@gmail.com', 'adalovelace@gmail.com', LEADS[0]?.email].sort(),
    );
  });
});
