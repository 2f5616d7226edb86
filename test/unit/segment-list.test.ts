import { describe, expect, it } from 'vitest';
import type { LeadState } from '../../functions/core/leads/lead';
import { type LeadList, parseLeadListQuery } from '../../functions/core/leads/lead-list';
import { type SavedSegment, withSegments } from '../../functions/core/segments/segments';

const at = '2026-12-01T00:00:00.000Z';
const lead = (n: number, country: string, test = false): LeadState => ({
  leadId: `ld_${String(n).padStart(4, '0')}`,
  email: `l${n}@example.com`,
  stage: 'lead',
  profile: {
    country: { value: country, source: 'api', at },
    firstName: { value: `Lead${n}`, source: 'api', at },
  },
  createdAt: at,
  updatedAt: at,
  version: 1,
  aggregate: { rules: {}, applied: [] },
  score: null,
  ...(test ? { test: true } : {}),
});
const all = [lead(1, 'DE'), lead(2, 'US'), lead(3, 'DE'), lead(4, 'DE', true), lead(5, 'FR'), lead(6, 'DE')];
/** The leads index as pages of `limit` from an offset cursor; each page size asked for is kept. */
function pages() {
  const sizes: number[] = [];
  return {
    sizes,
    page: async (cursor: string | null, limit: number) => {
      sizes.push(limit);
      const from = Number(cursor ?? 0);
      const next = from + limit;
      return { leads: all.slice(from, next), cursor: next < all.length ? String(next) : null };
    },
  };
}
const german: SavedSegment = {
  id: 'german',
  name: 'German',
  definition: { match: 'all', conditions: [{ type: 'field', field: 'country', op: 'equals', value: 'DE' }] },
};
const versions = { active: async () => ({ version: 3, document: { segments: [german] } }) };
const untouched: LeadList = { page: async () => ({ leads: [], total: -1, totalExact: true, cursor: null }) };
const clock = { now: () => new Date('2026-12-03T00:00:00.000Z') };

describe('the lead list with segment=', () => {
  it('pages through the leads keeping the segment, never reading more than the rows still wanted, test leads left out', async () => {
    const leads = pages();
    const list = withSegments(untouched, { leads, versions, clock });
    const first = await list.page(parseLeadListQuery({ segment: 'german', limit: '2' }));
    expect(first.leads.map((r) => r.leadId)).toEqual(['ld_0001', 'ld_0003']);
    expect(first.totalExact).toBe(false);
    const second = await list.page(
      parseLeadListQuery({ segment: 'german', limit: '2', cursor: first.cursor ?? '' }),
    );
    expect(second.leads.map((r) => r.leadId)).toEqual(['ld_0006']);
    expect([second.cursor, second.totalExact]).toEqual([null, true]);
    expect(Math.max(...leads.sizes)).toBeLessThanOrEqual(2);
    const withTest = await list.page(parseLeadListQuery({ segment: 'german', test: 'true', limit: '10' }));
    expect(withTest.leads.map((r) => r.leadId)).toEqual(['ld_0001', 'ld_0003', 'ld_0004', 'ld_0006']);
  });

  it('leaves lists without a segment to the indexes, and refuses other filters and unknown segments', async () => {
    const list = withSegments(untouched, { leads: pages(), versions, clock });
    expect((await list.page(parseLeadListQuery({ stage: 'mql' }))).total).toBe(-1);
    await expect(list.page(parseLeadListQuery({ segment: 'german', stage: 'mql' }))).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'stage', message: 'does not combine with segment: put it in the segment' }],
    });
    await expect(list.page(parseLeadListQuery({ segment: 'nobody' }))).rejects.toMatchObject({
      code: 'segment_not_found',
    });
    expect(() => parseLeadListQuery({ segment: 'Not An Id' })).toThrow();
  });
});
