import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  applyActivity,
  type EngagementAggregate,
  emptyAggregate,
  type ScoringModel,
  scoreLead,
} from '../../../functions/core/scoring';
import { activity, applyAll, modelOf, NOW, score, tenthsOf } from './models';

/** A model whose fit points come straight from profile fields a1..a4 being present. */
function gradedModel(extra: Record<string, unknown> = {}) {
  return modelOf({
    fit: [
      { id: 'title', points: 30, when: { field: 'a1', present: true } },
      { id: 'country', points: 15, when: { field: 'a2', present: true } },
      { id: 'size', points: 5, when: { field: 'a3', present: true } },
      { id: 'student', points: -40, when: { field: 'a4', present: true } },
    ],
    engagement: [{ id: 'email-click', points: 5, when: { activity: 'email_clicked' } }],
    ...extra,
  });
}

const clicksOn = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    activity('email_clicked', `2026-11-20T10:${String(i % 60).padStart(2, '0')}:00Z`),
  );

describe('grades', () => {
  it.each([
    [{ a1: 'x', a2: 'x', a3: 'x' }, 50, 'A'],
    [{ a1: 'x', a2: 'x' }, 45, 'B'],
    [{ a1: 'x', a3: 'x' }, 35, 'B'],
    [{ a1: 'x' }, 30, 'C'],
    [{ a2: 'x', a3: 'x' }, 20, 'C'],
    [{ a2: 'x' }, 15, 'D'],
    [{ a3: 'x' }, 5, 'F'],
    [{ a1: 'x', a4: 'x' }, -10, 'F'],
  ])(
    'grades fit %j (%s points) as %s, a boundary belonging to the grade it reaches',
    (profile, fit, grade) => {
      const result = score(gradedModel(), emptyAggregate(), NOW, profile);
      expect(result.fit).toBe(fit);
      expect(result.grade).toBe(grade);
    },
  );
});

describe('mql and hot', () => {
  it('is an MQL at exactly the MQL threshold, not below', () => {
    const model = gradedModel();
    expect(score(model, applyAll(model, clicksOn(8)), NOW).mql).toBe(true);
    expect(score(model, applyAll(model, clicksOn(7)), NOW).mql).toBe(false);
  });

  it('is hot at exactly the hot threshold when no grade is required', () => {
    const model = gradedModel();
    const result = score(model, applyAll(model, clicksOn(16)), NOW);
    expect(result).toMatchObject({ total: 80, grade: 'F', mql: true, hot: true });
  });

  it('does not send a student who clicks everything to sales when hot needs grade B', () => {
    // Prepare
    const model = gradedModel({ thresholds: { mql: 40, hot: 80, hotMinGrade: 'B' } });
    const aggregate = applyAll(model, clicksOn(60));

    // Act
    const student = score(model, aggregate, NOW, { a1: 'x', a4: 'x' });

    // Assess
    expect(student).toMatchObject({ total: 290, grade: 'F', mql: true, hot: false });
  });

  it('is hot with exactly the required grade or better, not worse', () => {
    const model = gradedModel({ thresholds: { mql: 40, hot: 80, hotMinGrade: 'B' } });
    const aggregate = applyAll(model, clicksOn(16));
    expect(score(model, aggregate, NOW, { a1: 'x', a3: 'x' })).toMatchObject({ grade: 'B', hot: true });
    expect(score(model, aggregate, NOW, { a1: 'x', a2: 'x', a3: 'x' })).toMatchObject({
      grade: 'A',
      hot: true,
    });
    expect(score(model, aggregate, NOW, { a1: 'x' })).toMatchObject({ grade: 'C', hot: false });
  });

  it('compares the rounded total the marketer sees with the thresholds', () => {
    // 80 × 0.9995 = 79.96 shows as 80.0, so it is hot: a score never reads 80 and "not hot".
    const model = modelOf({
      engagement: [{ id: 'trial', points: 80, when: { activity: 'trial_started' } }],
      decay: { halfLifeDays: 1000 },
    });
    const aggregate = applyAll(model, [activity('trial_started', '2026-11-18T10:00:00Z')]);
    const result = score(model, aggregate, new Date('2026-11-19T17:18:00Z'));
    expect(result.breakdown[0]?.reason).toBe('1 × trial_started on 2026-11-18, decayed ×1.00');
    expect(result.total).toBe(80);
    expect(result.hot).toBe(true);
  });
});

describe('breakdown', () => {
  it('lists fit rules first, then engagement, in model order, only those that scored', () => {
    const model = gradedModel({
      engagement: [
        { id: 'trial', points: 30, when: { activity: 'trial_started' } },
        { id: 'email-click', points: 5, when: { activity: 'email_clicked' } },
        { id: 'email-open', points: 1, when: { activity: 'email_opened' } },
      ],
    });
    const aggregate = applyAll(model, [
      activity('email_clicked', '2026-11-20T09:00:00Z'),
      activity('trial_started', '2026-11-20T09:00:00Z'),
    ]);
    const result = score(model, aggregate, NOW, { a2: 'DE', a4: 'yes' });
    expect(result.breakdown.map((e) => [e.kind, e.rule, e.points])).toEqual([
      ['fit', 'country', 15],
      ['fit', 'student', -40],
      ['engagement', 'trial', 30],
      ['engagement', 'email-click', 5],
    ]);
    expect(result).toMatchObject({ fit: -25, engagement: 35, total: 10, modelVersion: 1 });
  });

  it('rounds each entry to one decimal and the totals are the sums of the rounded entries', () => {
    // Three entries of 1/3 point each: the total is 0.9 (what the entries show), not 1.0.
    const model = modelOf({
      fit: [1, 2, 3].map((n) => ({ id: `third-${n}`, points: 1 / 3, when: { field: 'x', present: true } })),
    });
    const result = score(model, emptyAggregate(), NOW, { x: 'y' });
    expect(result.breakdown.map((e) => e.points)).toEqual([0.3, 0.3, 0.3]);
    expect(result.fit).toBe(0.9);
    expect(result.total).toBe(0.9);
  });

  it('adds up to the total for any model, profile, activities and time (property)', () => {
    const activityTypes = ['email_clicked', 'email_opened', 'trial_started', 'page_viewed'];
    const points = fc.double({ min: -100, max: 100, noNaN: true });
    const cap = fc.option(fc.double({ min: 0.01, max: 200, noNaN: true }), { nil: undefined });
    const arbitraryModel = fc.record({
      fit: fc.array(fc.record({ points, field: fc.constantFrom('a', 'b', 'c') }), { maxLength: 8 }),
      engagement: fc.array(
        fc.record({ points, type: fc.constantFrom(...activityTypes), perDay: cap, total: cap }),
        { maxLength: 8 },
      ),
      halfLife: fc.option(fc.integer({ min: 1, max: 90 }), { nil: undefined }),
    });
    const arbitraryActivities = fc.array(
      fc.record({
        type: fc.constantFrom(...activityTypes),
        minutesAgo: fc.integer({ min: -600, max: 800 * 24 * 60 }),
      }),
      { maxLength: 60 },
    );
    const profile = fc.record({ a: fc.boolean(), b: fc.boolean(), c: fc.boolean() });

    fc.assert(
      fc.property(arbitraryModel, arbitraryActivities, profile, (doc, activities, present) => {
        // Prepare
        const model = modelOf({
          fit: doc.fit.map((rule, i) => ({
            id: `f${i}`,
            points: rule.points,
            when: { field: rule.field, present: true },
          })),
          engagement: doc.engagement.map((rule, i) => ({
            id: `e${i}`,
            points: rule.points,
            when: { activity: rule.type },
            cap: { perDay: rule.perDay, total: rule.total },
          })),
          decay: doc.halfLife === undefined ? 'off' : { halfLifeDays: doc.halfLife },
        });
        const aggregate = applyAll(
          model,
          activities.map((a) =>
            activity(a.type, new Date(NOW.getTime() - a.minutesAgo * 60_000).toISOString()),
          ),
        );
        const fields = Object.fromEntries(
          Object.entries(present)
            .filter(([, on]) => on)
            .map(([k]) => [k, 'yes']),
        );

        // Act
        const result = score(model, aggregate, NOW, fields);

        // Assess: in whole tenths the entries add up exactly; each entry has one decimal at most.
        const sum = (kind?: string) =>
          result.breakdown
            .filter((e) => !kind || e.kind === kind)
            .reduce((s, e) => s + tenthsOf(e.points), 0);
        expect(sum()).toBe(tenthsOf(result.total));
        expect(sum('fit')).toBe(tenthsOf(result.fit));
        expect(sum('engagement')).toBe(tenthsOf(result.engagement));
        for (const entry of result.breakdown) {
          expect(tenthsOf(entry.points) / 10).toBe(entry.points);
          expect(entry.points).not.toBe(0);
        }
        expect(Number(result.breakdown.reduce((s, e) => s + e.points, 0).toFixed(1)) + 0).toBe(result.total);
      }),
      { numRuns: 300 },
    );
  });
});

describe('determinism', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const model = modelOf({
    fit: [{ id: 'title', points: 20, when: { field: 'jobTitle', containsAny: ['vp'] } }],
    engagement: [
      { id: 'email-click', points: 5, when: { activity: 'email_clicked' }, cap: { perDay: 10, total: 40 } },
      { id: 'pricing', points: 10, when: { activity: 'page_viewed', pathPrefix: '/pricing' } },
    ],
    decay: { halfLifeDays: 30 },
  });
  const activities = [
    activity('email_clicked', '2026-10-02T10:00:00Z'),
    activity('email_clicked', '2026-10-02T11:00:00Z'),
    activity('email_clicked', '2026-10-02T12:00:00Z'),
    activity('page_viewed', '2026-11-01T10:00:00Z', { properties: { path: '/pricing' } }),
    activity('email_clicked', '2026-11-15T10:00:00Z'),
  ];

  it('gives the same score for the same inputs, whatever the system clock says', () => {
    // Prepare
    const input = {
      email: 'ada@acme.io',
      profile: { jobTitle: 'VP Sales' },
      aggregate: applyAll(model, activities),
    };
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2001-01-01T00:00:00Z'));
    const first = scoreLead(model, 7, input, NOW);

    // Act
    vi.setSystemTime(new Date('2040-06-30T00:00:00Z'));
    const second = scoreLead(model, 7, structuredClone(input), NOW);

    // Assess
    expect(second).toEqual(first);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('builds the same aggregate whatever order the activities arrive in', () => {
    const forward = applyAll(model, activities);
    const backward = applyAll(model, [...activities].reverse());
    expect(JSON.stringify(forward.rules)).toBe(JSON.stringify(backward.rules));
    expect(score(model, backward)).toEqual(score(model, forward));
  });

  it('scores an aggregate stored with its days in any order the same', () => {
    const aggregate = applyAll(model, activities);
    const { days = [], counts = [] } = aggregate.rules['email-click'] ?? {};
    expect(days.length).toBeGreaterThan(1);
    const shuffled: EngagementAggregate = {
      ...aggregate,
      rules: {
        ...aggregate.rules,
        'email-click': { days: [...days].reverse(), counts: [...counts].reverse() },
      },
    };
    expect(score(model, shuffled)).toEqual(score(model, aggregate));
  });

  it('scores a model object it has already compiled exactly as a fresh copy of it', () => {
    const aggregate = applyAll(model, activities);
    const copy: ScoringModel = structuredClone(model);
    expect(score(copy, aggregate)).toEqual(score(model, aggregate));
  });

  it('keeps the aggregate JSON-serializable', () => {
    const { aggregate } = applyActivity(
      model,
      applyAll(model, activities),
      activity('email_clicked', '2026-11-20T09:00:00Z'),
      NOW,
    );
    expect(JSON.parse(JSON.stringify(aggregate))).toEqual(aggregate);
  });
});
