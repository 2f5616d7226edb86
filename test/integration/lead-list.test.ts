import { PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededLeads, writeLeads } from '../../bench/lead-list-seed';
import { toLeadItem } from '../../functions/adapters/dynamodb/lead-item';
import { DynamoLeadList } from '../../functions/adapters/dynamodb/lead-list';
import { leadIdOfSortKey, sortKeyOf } from '../../functions/adapters/dynamodb/lead-list-keys';
import { reindexLeads } from '../../functions/adapters/dynamodb/lead-reindex';
import { ValidationError } from '../../functions/core/kernel/errors';
import {
  type LeadListQuery,
  type LeadListSort,
  type LeadRow,
  parseLeadListQuery,
  toLeadRow,
} from '../../functions/core/leads/lead-list';
import { type EmulatorEnv, emulatorEnv, TABLE } from '../fixtures/emulators';

/**
 * The lead list on its indexes against the DynamoDB emulator: every filter, sort and search
 * against a brute-force filter of the seeded leads (each matching lead exactly once across the
 * pages, in order, ties by lead id), totals, and cursors used with another filter.
 */
let env: EmulatorEnv;
let list: DynamoLeadList;
const leads = seededLeads(160, 7);
const rows = leads.map(toLeadRow);

beforeAll(async () => {
  env = await emulatorEnv();
  list = new DynamoLeadList(env.db, TABLE);
  await writeLeads(env.db, TABLE, leads);
}, 60_000);
afterAll(() => env?.stop());

/** The specification, written out plainly: what a query should answer, in order. */
function expected(query: LeadListQuery): LeadRow[] {
  const f = query.filter;
  const matches = rows.filter((r) => {
    const terms = [r.email, r.name ?? '', r.company ?? ''].map((t) => t.toLowerCase().replace(/\s+/g, ' '));
    if (f.q && !terms.some((t) => t.startsWith(f.q ?? ''))) return false;
    if (f.stage && !f.stage.includes(r.stage)) return false;
    if (f.grade && !(r.grade && f.grade.includes(r.grade))) return false;
    if (f.scoreMin !== undefined && !(r.score !== null && r.score >= f.scoreMin)) return false;
    if (f.scoreMax !== undefined && !(r.score !== null && r.score <= f.scoreMax)) return false;
    if (f.source !== undefined && r.source !== f.source) return false;
    if (f.utmCampaign !== undefined && r.utmCampaign !== f.utmCampaign) return false;
    if (f.formId !== undefined && r.formId !== f.formId) return false;
    if (f.createdFrom && r.createdAt < f.createdFrom) return false;
    if (f.createdTo && r.createdAt > f.createdTo) return false;
    if (f.activityFrom && !(r.lastActivityAt && r.lastActivityAt >= f.activityFrom)) return false;
    if (f.activityTo && !(r.lastActivityAt && r.lastActivityAt <= f.activityTo)) return false;
    if (f.owned !== undefined && (r.owner !== null) !== f.owned) return false;
    if (f.suppressed !== undefined && r.suppressed !== f.suppressed) return false;
    return r.test === f.test;
  });
  const key = (r: LeadRow) => sortKeyOf(r, query.sort);
  return matches.sort((a, b) => (key(a) < key(b) ? 1 : -1));
}

async function allPages(params: Record<string, string>) {
  const pages: LeadRow[][] = [];
  const totals: { total: number; totalExact: boolean }[] = [];
  let cursor: string | null = null;
  do {
    const page = await list.page(parseLeadListQuery({ ...params, ...(cursor ? { cursor } : {}) }));
    pages.push(page.leads);
    totals.push({ total: page.total, totalExact: page.totalExact });
    cursor = page.cursor;
    if (pages.length > 300) throw new Error('paging never ended');
  } while (cursor);
  return { pages, totals };
}

describe('lead list', () => {
  it('the seed has ties, test leads, owned and suppressed ones', () => {
    expect(new Set(rows.map((r) => r.createdAt)).size).toBeLessThan(rows.length);
    expect(rows.some((r) => r.test) && rows.some((r) => r.owner) && rows.some((r) => r.suppressed)).toBe(
      true,
    );
  });

  it.each(['newest', 'score', 'activity'] as LeadListSort[])(
    'sorted by %s: every lead once across pages of 7, in order, ties by lead id, with the exact total',
    async (sort) => {
      const { pages, totals } = await allPages({ sort, limit: '7' });
      const want = expected(parseLeadListQuery({ sort }));
      expect(pages.flat().map((r) => r.leadId)).toEqual(want.map((r) => r.leadId));
      expect(pages.slice(0, -1).every((p) => p.length === 7)).toBe(true);
      expect(totals.every((t) => t.total === want.length && t.totalExact)).toBe(true);
      expect(pages.flat()[0]).toEqual(want[0]);
    },
  );

  it('each filter alone', async () => {
    const cases: Record<string, string>[] = [
      { stage: 'mql,sql' },
      { stage: 'customer' },
      { grade: 'a,b' },
      { scoreMin: '30', scoreMax: '70', sort: 'score' },
      { source: 'meta' },
      { utmCampaign: 'launch' },
      { formId: 'demo-request' },
      { createdFrom: '2026-01-20', createdTo: '2026-02-10' },
      { createdFrom: '2026-01-20T00:00:00Z', sort: 'activity' },
      { activityFrom: '2026-02-01', activityTo: '2026-02-15' },
      { owned: 'true' },
      { owned: 'false' },
      { suppressed: 'true' },
      { suppressed: 'false' },
      { test: 'true' },
      { q: 'ada' },
      { q: 'ada lov' },
      { q: 'glo' },
      { q: 'ACME,' },
      { q: 'zoë' },
      { q: 'grace.hopper.list1' },
    ];
    for (const params of cases) {
      const { pages, totals } = await allPages({ ...params, limit: '5' });
      const want = expected(parseLeadListQuery(params));
      expect(
        pages.flat().map((r) => r.leadId),
        JSON.stringify(params),
      ).toEqual(want.map((r) => r.leadId));
      expect(totals[0], JSON.stringify(params)).toEqual({ total: want.length, totalExact: true });
    }
  });

  it('random filter combinations equal a brute-force filter of the seeded leads (fast-check)', async () => {
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    const day = fc
      .integer({ min: 0, max: 90 })
      .map((d) => new Date(Date.parse('2026-01-01') + d * 86_400_000).toISOString().slice(0, 10));
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          q: maybe(fc.constantFrom('ad', 'al', 'gr', 'in', 'hoo', 'acme', 'st')),
          stage: maybe(
            fc
              .subarray(['lead', 'mql', 'sql', 'customer', 'subscriber'], { minLength: 1 })
              .map((s) => s.join(',')),
          ),
          grade: maybe(fc.subarray(['A', 'B', 'C', 'D', 'F'], { minLength: 1 }).map((s) => s.join(','))),
          scoreMin: maybe(fc.integer({ min: -10, max: 100 }).map(String)),
          scoreMax: maybe(fc.integer({ min: -10, max: 110 }).map(String)),
          source: maybe(fc.constantFrom('meta', 'google', 'form:newsletter', 'api')),
          utmCampaign: maybe(fc.constantFrom('spring', 'summer')),
          createdFrom: maybe(day),
          createdTo: maybe(day),
          activityFrom: maybe(day),
          owned: maybe(fc.constantFrom('true', 'false')),
          suppressed: maybe(fc.constantFrom('true', 'false')),
          test: maybe(fc.constantFrom('true', 'false')),
          sort: maybe(fc.constantFrom('newest', 'score', 'activity')),
          limit: fc.integer({ min: 1, max: 40 }).map(String),
        }),
        async (record) => {
          const params = Object.fromEntries(
            Object.entries(record).filter(([, v]) => v !== undefined),
          ) as Record<string, string>;
          const { pages, totals } = await allPages(params);
          const want = expected(parseLeadListQuery(params));
          expect(pages.flat().map((r) => r.leadId)).toEqual(want.map((r) => r.leadId));
          expect(totals[0]).toEqual({ total: want.length, totalExact: true });
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it('a cursor only goes with its own filter and sort; a forged or broken one is a 400 on cursor', async () => {
    const first = await list.page(parseLeadListQuery({ stage: 'mql', limit: '2' }));
    expect(first.cursor).not.toBeNull();
    const cursor = first.cursor ?? '';
    // Another page size is the same list.
    await expect(list.page(parseLeadListQuery({ stage: 'mql', limit: '3', cursor }))).resolves.toBeDefined();
    for (const other of [{ stage: 'sql' }, { stage: 'mql', sort: 'score' }, { stage: 'mql', q: 'ad' }]) {
      const error = await list.page(parseLeadListQuery({ ...other, cursor })).catch((e) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details[0]?.path).toBe('cursor');
    }
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...decoded, p: decoded.p.map(() => 'x#y') })).toString(
      'base64url',
    );
    for (const bad of ['garbage', forged]) {
      const error = await list.page(parseLeadListQuery({ stage: 'mql', cursor: bad })).catch((e) => e);
      expect((error as ValidationError).details?.[0]?.path).toBe('cursor');
    }
  });

  it('backfills leads written before the list indexes: missing until reindexLeads has run, once', async () => {
    const old = seededLeads(3, 99, 'old');
    for (const one of old) {
      const item = Object.fromEntries(
        Object.entries(toLeadItem(one)).filter(([name]) => !/^gsi[4-9]|^lrow/.test(name)),
      );
      await env.db.send(new PutCommand({ TableName: TABLE, Item: item }));
    }
    // Found by its email (search index) and by its creation day (sort index), test lead or not.
    const found = async () => {
      const ids: string[] = [];
      for (const one of old)
        for (const test of ['true', 'false']) {
          const day = one.createdAt.slice(0, 10);
          const bySearch = await allPages({ q: one.email, test });
          const byDay = await allPages({ createdFrom: day, createdTo: day, test });
          ids.push(...[...bySearch.pages, ...byDay.pages].flat().map((r) => r.leadId));
        }
      return old.map((one) => ids.filter((id) => id === one.leadId).length);
    };
    expect(await found()).toEqual([0, 0, 0]);
    const runs = async () => {
      let indexed = 0;
      let cursor: string | null = null;
      do {
        const run = await reindexLeads(env.db, TABLE, cursor, 50);
        indexed += run.indexed;
        cursor = run.cursor;
      } while (cursor);
      return indexed;
    };
    expect(await runs()).toBe(3);
    expect(await found()).toEqual([2, 2, 2]);
    expect(await runs()).toBe(0);
  });

  it('sort keys end with the lead id (the tie-break and the resume point)', () => {
    for (const row of rows.slice(0, 10))
      for (const sort of ['newest', 'score', 'activity'] as const)
        expect(leadIdOfSortKey(sortKeyOf(row, sort))).toBe(row.leadId);
  });
});
