import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reindexAll } from '../../bin/commands/leads-reindex';
import { leadIndexPk, leadKey } from '../../functions/adapters/dynamodb/lead-item';
import { DynamoLeadStore } from '../../functions/adapters/dynamodb/lead-store';
import { DynamoSegmentFacts } from '../../functions/adapters/dynamodb/segment-facts';
import { segmentFactsOfEntry } from '../../functions/adapters/dynamodb/segment-facts-attribute';
import {
  DynamoSuppressionStore,
  SUPPRESSIONS_INDEXED_KEY,
  suppressionKey,
} from '../../functions/adapters/dynamodb/suppression-store';
import type { Activity, LeadState } from '../../functions/core/leads/lead';
import {
  matches,
  previewSegment,
  SEGMENT_FACTS,
  SEGMENT_FACTS_VERSION,
  type SegmentDefinition,
  segmentFactsOf,
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

  it('copies only the segment facts into the index (one string, the stage, a hand-off): no aggregate, nurture state, latest activity or owner', async () => {
    const page = await env.db.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: SEGMENT_FACTS_INDEX,
        KeyConditionExpression: 'gsi3pk = :shard',
        ExpressionAttributeValues: { ':shard': leadIndexPk(0) },
      }),
    );
    for (const item of page.Items ?? [])
      expect(Object.keys(item).sort()).toEqual(
        ['gsi3pk', 'gsi3sk', 'pk', 'sfacts', 'sk', 'stage', ...(item.handoff ? ['handoff'] : [])].sort(),
      );
    expect(page.Items?.length).toBeGreaterThan(0);
    // The string holds the facts `matches` reads and no more: profile values, score total and grade.
    const stored = JSON.parse(String(page.Items?.[0]?.sfacts));
    expect(Object.keys(stored).every((name) => name === 'v' || SEGMENT_FACTS.includes(name as never))).toBe(
      true,
    );
    expect(stored.v).toBe(SEGMENT_FACTS_VERSION);
    expect(stored.stage).toBeUndefined();
    for (const field of Object.values(stored.profile))
      expect(Object.keys(field as object)).toEqual(['value']);
  });

  it('follows a targeted stage change (hand-offs update `stage` alone), and counts leads stored without facts from their items until reindexed', async () => {
    const a = whole[3]?.lead as LeadState;
    const bStored = whole[4]?.lead as LeadState;
    const b = bStored;
    const stageOf = (lead: LeadState) => ({
      match: 'all' as const,
      conditions: [{ type: 'stage' as const, in: [lead.stage] }],
    });
    const count = async (definition: SegmentDefinition) =>
      (
        await previewSegment(
          { segmentFacts: facts, suppressions, clock },
          definition,
          Number.POSITIVE_INFINITY,
        )
      ).count;
    const wonBefore = await count({ match: 'all', conditions: [{ type: 'stage', in: ['customer'] }] });
    await env.db.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: leadKey(a.leadId),
        UpdateExpression: 'SET stage = :s',
        ExpressionAttributeValues: { ':s': 'customer' },
      }),
    );
    // A lead written before the facts existed: no `sfacts` (and an old list row), as a deploy finds it.
    await env.db.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: leadKey(b.leadId),
        UpdateExpression: 'REMOVE sfacts SET lrowv = :old',
        ExpressionAttributeValues: { ':old': 1 },
      }),
    );
    try {
      expect(await count({ match: 'all', conditions: [{ type: 'stage', in: ['customer'] }] })).toBe(
        wonBefore + (a.stage === 'customer' ? 0 : 1),
      );
      const ids: string[] = [];
      await facts.forEachPage(
        (leads) => void ids.push(...leads.map((l) => l.leadId)),
        () => true,
      );
      expect(ids.filter((id) => id === b.leadId)).toHaveLength(1);
      // b's facts come from its item: its stage counts as before (a moved to customer).
      const expected = whole.filter(
        ({ lead }) => lead.stage === bStored.stage && lead.leadId !== a.leadId,
      ).length;
      expect(await count(stageOf(bStored))).toBe(expected + (bStored.stage === 'customer' ? 1 : 0));
      // The backfill writes the facts again, from the item, once.
      expect(await reindexAll(env.db, TABLE)).toMatchObject({ indexed: 1, suppressions: 0 });
      const item = await env.db.send(new GetCommand({ TableName: TABLE, Key: leadKey(b.leadId) }));
      expect(segmentFactsOfEntry(item.Item ?? {})).toEqual(segmentFactsOf(bStored));
    } finally {
      await env.db.send(
        new UpdateCommand({
          TableName: TABLE,
          Key: leadKey(a.leadId),
          UpdateExpression: 'SET stage = :s',
          ExpressionAttributeValues: { ':s': a.stage },
        }),
      );
    }
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

  it('reads the suppression list whole once it is indexed, a page at a time before; reindex indexes older entries and marks it', async () => {
    const mailable: SegmentDefinition = { match: 'all', conditions: [{ type: 'suppressed', is: false }] };
    const count = async () =>
      (await previewSegment({ segmentFacts: facts, suppressions, clock }, mailable, Number.POSITIVE_INFINITY))
        .count;
    const expected = reference(mailable).length;
    // A new table is marked: the whole list, from its index.
    expect(await suppressions.wholeList()).toBeTypeOf('function');
    expect(await count()).toBe(expected);
    // An entry from before the index (no gsi13 keys) and no marker, as a deployed table has them.
    const old = String(whole.find(({ suppressed }) => suppressed)?.lead.email);
    await env.db.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: suppressionKey(old),
        UpdateExpression: 'REMOVE gsi13pk, gsi13sk',
      }),
    );
    await env.db.send(new DeleteCommand({ TableName: TABLE, Key: SUPPRESSIONS_INDEXED_KEY }));
    expect(await suppressions.wholeList()).toBeUndefined();
    expect(await count()).toBe(expected);
    // The CLI's `leads reindex`: the entry gets its keys, then the marker is written.
    expect(await reindexAll(env.db, TABLE)).toMatchObject({ indexed: 0, suppressions: 1 });
    const list = await suppressions.wholeList();
    expect(list?.(old)).toBe(true);
    expect(list?.('nobody-suppressed@example.com')).toBe(false);
    expect(await count()).toBe(expected);
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
