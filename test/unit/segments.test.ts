import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LeadState } from '../../functions/core/leads/lead';
import {
  matches,
  parseDefinition,
  recordSeen,
  type SegmentCondition,
  type SegmentDefinition,
} from '../../functions/core/segments/segments';

const now = new Date('2026-12-03T12:00:00.000Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

const lead = (overrides: Partial<LeadState> = {}): LeadState => ({
  leadId: 'ld_000000000000000000000001',
  email: 'ada@example.com',
  stage: 'mql',
  profile: {
    country: { value: 'DE', source: 'form:demo', at: daysAgo(10) },
    company: { value: 'Acme GmbH', source: 'form:demo', at: daysAgo(10) },
    employees: { value: '250', source: 'form:demo', at: daysAgo(10) },
    trialEndsAt: { value: '2026-12-10', source: 'api', at: daysAgo(2) },
  },
  marketingConsent: { granted: true, at: daysAgo(10), source: 'form:demo' },
  firstTouch: { at: daysAgo(10), source: 'form:demo', utm_campaign: 'Winter-Launch', utm_source: 'linkedin' },
  lastTouch: { at: daysAgo(1), source: 'meta' },
  createdAt: daysAgo(10),
  updatedAt: daysAgo(1),
  version: 3,
  aggregate: { rules: {}, applied: [] },
  score: {
    fit: 40,
    engagement: 22,
    total: 62,
    grade: 'B',
    mql: true,
    hot: false,
    breakdown: [],
    modelVersion: 1,
  },
  lastSeen: { page_viewed: daysAgo(3), email_opened: daysAgo(20), form_submitted: daysAgo(10) },
  ...overrides,
});

const all = (...conditions: SegmentCondition[]): SegmentDefinition => ({ match: 'all', conditions });
const holds = (condition: SegmentCondition, l = lead(), suppressed?: boolean) =>
  matches(l, all(condition), now, suppressed);

describe('segment conditions on a lead item', () => {
  it('compares profile fields by text, case-insensitively, with every operator', () => {
    expect(holds({ type: 'field', field: 'country', op: 'equals', value: 'de' })).toBe(true);
    expect(holds({ type: 'field', field: 'country', op: 'in', value: ['FR', 'DE'] })).toBe(true);
    expect(holds({ type: 'field', field: 'country', op: 'in', value: ['FR', 'IT'] })).toBe(false);
    expect(holds({ type: 'field', field: 'company', op: 'contains', value: 'gmbh' })).toBe(true);
    expect(holds({ type: 'field', field: 'company', op: 'starts_with', value: 'acme' })).toBe(true);
    expect(holds({ type: 'field', field: 'company', op: 'starts_with', value: 'gmbh' })).toBe(false);
    expect(holds({ type: 'field', field: 'email', op: 'contains', value: '@example.com' })).toBe(true);
    expect(holds({ type: 'field', field: 'phone', op: 'present' })).toBe(false);
    expect(holds({ type: 'field', field: 'phone', op: 'not_present' })).toBe(true);
    expect(holds({ type: 'field', field: 'phone', op: 'equals', value: '' })).toBe(false);
  });

  it('reads numbers from numeric text for a range, and dates (a date bound covers its whole day)', () => {
    expect(holds({ type: 'field', field: 'employees', op: 'between', min: 200, max: 500 })).toBe(true);
    expect(holds({ type: 'field', field: 'employees', op: 'between', min: 251 })).toBe(false);
    expect(holds({ type: 'field', field: 'company', op: 'between', min: 0 })).toBe(false);
    expect(holds({ type: 'field', field: 'trialEndsAt', op: 'date_between', to: '2026-12-10' })).toBe(true);
    expect(holds({ type: 'field', field: 'trialEndsAt', op: 'date_between', from: '2026-12-11' })).toBe(
      false,
    );
    expect(holds({ type: 'field', field: 'createdAt', op: 'date_between', from: '2026-11-23' })).toBe(true);
  });

  it('checks stage, grade and score range; a lead never scored is in no grade or score range', () => {
    expect(holds({ type: 'stage', in: ['mql', 'sql'] })).toBe(true);
    expect(holds({ type: 'grade', in: ['A'] })).toBe(false);
    expect(holds({ type: 'grade', in: ['A', 'B'] })).toBe(true);
    expect(holds({ type: 'score', min: 62, max: 62 })).toBe(true);
    expect(holds({ type: 'score', max: 61 })).toBe(false);
    expect(holds({ type: 'score', max: 100 }, lead({ score: null }))).toBe(false);
    expect(holds({ type: 'grade', in: ['F'] }, lead({ score: null }))).toBe(false);
  });

  it('checks source, form, ad platform and UTM values of the first touch, or of the latest one', () => {
    expect(holds({ type: 'source', key: 'form', in: ['demo'] })).toBe(true);
    expect(holds({ type: 'source', key: 'utm_campaign', in: ['winter-launch'] })).toBe(true);
    expect(holds({ type: 'source', key: 'ad_platform', in: ['meta'] })).toBe(false);
    expect(holds({ type: 'source', key: 'ad_platform', in: ['meta'], touch: 'last' })).toBe(true);
    expect(holds({ type: 'source', key: 'source', in: ['form:demo'] })).toBe(true);
  });

  it('answers activity happened / not in the last N days from the latest time of each type', () => {
    expect(holds({ type: 'activity', activity: 'page_viewed', happened: true, withinDays: 7 })).toBe(true);
    expect(holds({ type: 'activity', activity: 'page_viewed', happened: true, withinDays: 2 })).toBe(false);
    expect(holds({ type: 'activity', activity: 'page_viewed', happened: false, withinDays: 2 })).toBe(true);
    expect(holds({ type: 'activity', activity: 'trial_started', happened: false, withinDays: 30 })).toBe(
      true,
    );
    expect(holds({ type: 'email', engaged: true, withinDays: 30 })).toBe(true);
    expect(holds({ type: 'email', engaged: true, withinDays: 14 })).toBe(false);
    expect(holds({ type: 'email', engaged: true, withinDays: 30, by: 'clicked' })).toBe(false);
    expect(holds({ type: 'email', engaged: false, withinDays: 14 })).toBe(true);
  });

  it('tells granted, withdrawn and no consent apart, and suppression from the list or the unsubscribe link', () => {
    expect(holds({ type: 'consent', is: 'granted' })).toBe(true);
    const unsubscribed = lead({
      marketingConsent: { granted: false, at: daysAgo(1), source: 'unsubscribe' },
    });
    expect(holds({ type: 'consent', is: 'withdrawn' }, unsubscribed)).toBe(true);
    expect(holds({ type: 'consent', is: 'none' }, lead({ marketingConsent: undefined }))).toBe(true);
    expect(holds({ type: 'suppressed', is: true }, unsubscribed)).toBe(true);
    expect(holds({ type: 'suppressed', is: true })).toBe(false);
    expect(holds({ type: 'suppressed', is: true }, lead(), true)).toBe(true);
  });

  it('keeps the latest time of each activity type, never moved back by a late event, at most 64 types', () => {
    const seen = recordSeen({ page_viewed: daysAgo(1) }, { type: 'page_viewed', at: daysAgo(5) });
    expect(seen.page_viewed).toBe(daysAgo(1));
    let many: Record<string, string> = {};
    for (let i = 0; i < 70; i += 1) many = recordSeen(many, { type: `t_${i}`, at: daysAgo(70 - i) });
    expect(Object.keys(many)).toHaveLength(64);
    expect(many.t_0).toBeUndefined();
    expect(many.t_69).toBe(daysAgo(1));
  });
});

// Properties: the combinators behave like the logic they name, whatever the conditions.
const conditionArb: fc.Arbitrary<SegmentCondition> = fc.oneof(
  fc.record({
    type: fc.constant('stage' as const),
    in: fc.subarray(['lead', 'mql', 'sql'] as const, { minLength: 1 }),
  }),
  fc.record({ type: fc.constant('score' as const), min: fc.integer({ min: 0, max: 100 }) }),
  fc.record({
    type: fc.constant('activity' as const),
    activity: fc.constantFrom('page_viewed', 'email_opened', 'trial_started'),
    happened: fc.boolean(),
    withinDays: fc.integer({ min: 1, max: 30 }),
  }),
  fc.record({
    type: fc.constant('field' as const),
    field: fc.constantFrom('country', 'company', 'phone'),
    op: fc.constant('in' as const),
    value: fc.array(fc.constantFrom('DE', 'de', 'FR', 'Acme GmbH'), { minLength: 1 }),
  }),
  fc.record({
    type: fc.constant('consent' as const),
    is: fc.constantFrom('granted' as const, 'withdrawn' as const, 'none' as const),
  }),
);
const leadArb = fc
  .record({
    stage: fc.constantFrom('lead' as const, 'mql' as const, 'sql' as const),
    total: fc.integer({ min: 0, max: 100 }),
    seenDaysAgo: fc.integer({ min: 0, max: 40 }),
    consent: fc.constantFrom(true, false, undefined),
  })
  .map(({ stage, total, seenDaysAgo, consent }) =>
    lead({
      stage,
      score: { ...(lead().score as NonNullable<LeadState['score']>), total },
      lastSeen: { page_viewed: daysAgo(seenDaysAgo) },
      marketingConsent:
        consent === undefined ? undefined : { granted: consent, at: daysAgo(1), source: 'form:demo' },
    }),
  );

describe('segment combinators (property-based)', () => {
  it('all is every condition, any is some condition; none at all is everyone (all) and no one (any)', () => {
    fc.assert(
      fc.property(leadArb, fc.array(conditionArb, { maxLength: 6 }), (l, conditions) => {
        const each = conditions.map((c) => matches(l, all(c), now));
        expect(matches(l, { match: 'all', conditions }, now)).toBe(each.every(Boolean));
        expect(matches(l, { match: 'any', conditions }, now)).toBe(each.some(Boolean));
      }),
    );
  });

  it('happened and not happened in the same N days split every lead in two', () => {
    fc.assert(
      fc.property(leadArb, fc.integer({ min: 1, max: 60 }), (l, withinDays) => {
        const base = { type: 'activity' as const, activity: 'page_viewed', withinDays };
        expect(holds({ ...base, happened: true }, l)).not.toBe(holds({ ...base, happened: false }, l));
      }),
    );
  });

  it('a wider window or a lower minimum never loses a lead (monotone)', () => {
    fc.assert(
      fc.property(
        leadArb,
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        (l, days, more) => {
          const within = (n: number) =>
            holds({ type: 'activity', activity: 'page_viewed', happened: true, withinDays: n }, l);
          if (within(days)) expect(within(days + more)).toBe(true);
          const min = (n: number) => holds({ type: 'score', min: n }, l);
          if (min(days + more)) expect(min(days)).toBe(true);
        },
      ),
    );
  });

  it('a definition survives JSON and parses back to itself (what the config stores)', () => {
    fc.assert(
      fc.property(
        fc.array(conditionArb, { maxLength: 6 }),
        fc.constantFrom('all' as const, 'any' as const),
        (conditions, match) => {
          const definition = { match, conditions };
          expect(parseDefinition(JSON.parse(JSON.stringify(definition)))).toEqual(definition);
        },
      ),
    );
  });
});

describe('segment definition errors', () => {
  const detailsOf = (document: unknown) => {
    try {
      parseDefinition(document);
      return [];
    } catch (error) {
      return (error as { details: { path: string; message: string }[] }).details;
    }
  };

  it('names the field and says what is wrong in words', () => {
    expect(
      detailsOf({ match: 'all', conditions: [{ type: 'field', field: 'country', op: 'in', value: 'DE' }] }),
    ).toEqual([{ path: 'definition.conditions.0.value', message: expect.stringMatching(/list/) }]);
    expect(detailsOf({ match: 'every', conditions: [] })[0]).toEqual({
      path: 'definition.match',
      message: expect.stringMatching(/"all".*"any"/),
    });
    expect(detailsOf({ match: 'all', conditions: [{ type: 'colour' }] })[0]).toEqual({
      path: 'definition.conditions.0.type',
      message: expect.stringMatching(/one of field, stage, grade/),
    });
    expect(detailsOf({ match: 'all', conditions: [{ type: 'score' }] })[0]?.message).toBe('give min or max');
    expect(
      detailsOf({ match: 'all', conditions: [{ type: 'stage', in: ['mql'], stages: [] }] })[0]?.message,
    ).toBe('unknown field: stages');
  });
});
