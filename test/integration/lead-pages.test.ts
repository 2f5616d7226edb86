import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAD_SHARDS, leadIndexPk, leadShard, toLeadItem } from '../../functions/adapters/dynamodb/lead-item';
import { reindexLeads } from '../../functions/adapters/dynamodb/lead-reindex';
import { DynamoLeadStore } from '../../functions/adapters/dynamodb/lead-store';
import { leadIdFor } from '../../functions/core/kernel/email';
import type { Activity, LeadState } from '../../functions/core/leads/lead';
import { isPageCursor } from '../../functions/core/scoring/admin-bodies';
import { emptyAggregate } from '../../functions/core/scoring/score';
import { LEADS_INDEX } from '../../functions/shared/table-definition';
import { type EmulatorEnv, emulatorEnv, TABLE } from '../fixtures/emulators';

/**
 * Lead pages on the sparse leads index (gsi3) against the DynamoDB emulator: every lead once, in
 * pages of any size, nothing but leads (timelines and other items never read), and the backfill of
 * leads written before the index.
 */
let env: EmulatorEnv;
let store: DynamoLeadStore;
const at = '2026-12-01T10:00:00.000Z';

function lead(i: number): LeadState {
  const email = `pages-${i}@example.com`;
  return {
    leadId: leadIdFor(email),
    email,
    stage: 'subscriber',
    profile: {},
    createdAt: at,
    updatedAt: at,
    version: 1,
    aggregate: emptyAggregate(),
    score: null,
  } as LeadState;
}

async function allPages(limit: number) {
  const pages: LeadState[][] = [];
  let cursor: string | null = null;
  do {
    const page = await store.page(cursor, limit);
    pages.push(page.leads);
    cursor = page.cursor;
    if (cursor !== null) expect(isPageCursor(cursor), 'a backtest accepts the cursor').toBe(true);
    if (pages.length > 500) throw new Error('paging never ended');
  } while (cursor);
  return pages;
}

const LEADS = 40;
const leads = Array.from({ length: LEADS }, (_, i) => lead(i));

beforeAll(async () => {
  env = await emulatorEnv();
  store = new DynamoLeadStore(env.db, TABLE);
  for (const [i, one] of leads.entries()) {
    await store.create(one);
    // A timeline and an unrelated item: neither may show up in (or be read by) a lead page.
    await store.putActivity({
      activityId: `act_${i}`,
      leadId: one.leadId,
      type: 'form_submitted',
      at,
      source: 'test',
    } as unknown as Activity);
  }
  await env.db.send(new PutCommand({ TableName: TABLE, Item: { pk: 'OTHER#1', sk: 'X', entity: 'token' } }));
});

afterAll(() => env?.stop());

describe('lead pages', () => {
  it.each([1, 3, 7, 40, 100])(
    'pages every lead exactly once, %i at a time, never ending on an empty page',
    async (limit) => {
      const pages = await allPages(limit);
      const ids = pages.flat().map((one) => one.leadId);
      expect(ids.sort()).toEqual(leads.map((one) => one.leadId).sort());
      expect(pages.every((page) => page.length === limit || page === pages.at(-1))).toBe(true);
      expect(pages.at(-1)?.length).toBeGreaterThan(0);
      expect(pages).toHaveLength(Math.ceil(LEADS / limit));
    },
  );

  it('answers whole lead items, without the index attributes', async () => {
    const [page] = await allPages(100);
    const first = page?.find((one) => one.leadId === leads[0]?.leadId);
    expect(first).toEqual(leads[0]);
  });

  it('indexes lead items only: one entry per lead, in the shard of its id', async () => {
    let entries = 0;
    for (let shard = 0; shard < LEAD_SHARDS; shard += 1) {
      const { Items = [] } = await env.db.send(
        new QueryCommand({
          TableName: TABLE,
          IndexName: LEADS_INDEX,
          KeyConditionExpression: 'gsi3pk = :pk',
          ExpressionAttributeValues: { ':pk': leadIndexPk(shard) },
        }),
      );
      for (const item of Items) expect(leadShard(String(item.gsi3sk))).toBe(shard);
      entries += Items.length;
    }
    expect(entries).toBe(LEADS);
  });

  it('spreads lead ids evenly over the shards (no hot partition)', () => {
    const counts = Array.from({ length: LEAD_SHARDS }, () => 0);
    for (let i = 0; i < 4000; i += 1) {
      const shard = leadShard(leadIdFor(`spread-${i}@example.com`));
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    // 250 a shard on average; a fair hash stays well within ±25% at this size.
    expect(Math.min(...counts)).toBeGreaterThan(187);
    expect(Math.max(...counts)).toBeLessThan(313);
  });

  it('keeps its entry when a lead is replaced', async () => {
    const one = leads[1] as LeadState;
    expect(await store.replace({ ...one, version: 2, stage: 'mql' }, 1)).toBe(true);
    const ids = (await allPages(100)).flat();
    expect(ids.find((found) => found.leadId === one.leadId)?.stage).toBe('mql');
  });

  it('starts over at the first lead for a cursor it did not write (a Scan key from before the index)', async () => {
    const scanKey = Buffer.from(JSON.stringify({ pk: `LEAD#${leads[5]?.leadId}`, sk: 'LEAD' })).toString(
      'base64url',
    );
    const fromScanKey = await store.page(scanKey, 5);
    const fromStart = await store.page(null, 5);
    expect(fromScanKey).toEqual(fromStart);
  });

  it('backfills leads written before the index: pages miss them until reindexLeads has run, once', async () => {
    const old = lead(1000);
    const { gsi3pk: _pk, gsi3sk: _sk, ...item } = toLeadItem(old);
    await env.db.send(new PutCommand({ TableName: TABLE, Item: item }));
    const paged = async () => (await allPages(100)).flat().some((one) => one.leadId === old.leadId);
    expect(await paged()).toBe(false);

    const runs = async () => {
      let indexed = 0;
      let cursor: string | null = null;
      do {
        const run = await reindexLeads(env.db, TABLE, cursor, 10);
        indexed += run.indexed;
        cursor = run.cursor;
      } while (cursor);
      return indexed;
    };
    expect(await runs()).toBe(1);
    expect(await paged()).toBe(true);
    expect(await runs()).toBe(0);
  });
});
