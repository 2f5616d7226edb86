import { describe, expect, it } from 'vitest';
import type { LeadState } from '../../functions/core/leads/lead';
import { inSegment, type Segment } from '../../functions/core/nurture/broadcast';
import { previewBroadcastFor, resolveSegment } from '../../functions/core/nurture/broadcast-requests';
import { factsPages, suppressionsOf } from '../fixtures/segment-facts-pages';

const at = '2026-12-01T00:00:00.000Z';
const lead = (n: number, country: string): LeadState => ({
  leadId: `ld_${n}`,
  email: `l${n}@example.com`,
  stage: 'lead',
  profile: { country: { value: country, source: 'api', at } },
  marketingConsent: { granted: true, at, source: 'form:newsletter' },
  createdAt: at,
  updatedAt: at,
  version: 1,
  aggregate: { rules: {}, applied: [] },
  score: null,
});
const leads = [lead(1, 'DE'), lead(2, 'US'), lead(3, 'DE')];
const german = {
  id: 'german',
  name: 'German',
  definition: {
    match: 'all' as const,
    conditions: [{ type: 'field' as const, field: 'country', op: 'equals' as const, value: 'DE' }],
  },
};
const config = { templates: [{ id: 'news' }], segments: [german] };
const deps = {
  versions: { active: async () => ({ version: 2, document: config }) },
  segmentFacts: factsPages(leads),
  suppressions: suppressionsOf([]),
  clock: { now: () => new Date('2026-12-03T00:00:00.000Z') },
} as unknown as Parameters<typeof previewBroadcastFor>[0];

describe('a broadcast to a saved segment', () => {
  it('counts the leads of the saved segment named by segmentId, with the inline stages still applied', async () => {
    const preview = await previewBroadcastFor(deps, {
      template: 'news',
      segment: { consent: true, segmentId: 'german' },
    });
    expect(preview.recipients).toBe(2);
    const none = await previewBroadcastFor(deps, {
      template: 'news',
      segment: { consent: true, segmentId: 'german', stages: ['mql'] },
    });
    expect(none.recipients).toBe(0);
  });

  it('keeps the definition it resolved (a later config change does not move a made broadcast), and says an unknown id', async () => {
    const asked: { segment: Segment } = { segment: { consent: true, segmentId: 'german' } };
    const resolved = await resolveSegment(deps, asked);
    expect(resolved.segment.definition).toEqual(german.definition);
    expect(leads.map((l) => inSegment(l, resolved.segment))).toEqual([true, false, true]);
    await expect(
      resolveSegment(deps, { segment: { consent: true as const, segmentId: 'nobody' } }),
    ).rejects.toMatchObject({ code: 'segment_not_found' });
    const inline = { segment: { consent: true as const, stages: ['lead' as const] } };
    expect(await resolveSegment(deps, inline)).toBe(inline);
  });
});
