import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyActivity, type EngagementAggregate, emptyAggregate } from '../../../functions/core/scoring';
import { MAX_DAYS_PER_RULE } from '../../../functions/core/scoring/aggregate';
import { activity, applyAll, day, modelOf, NOW, score } from './models';

const clicks = (perDay?: number, total?: number) =>
  modelOf({
    engagement: [
      { id: 'email-click', points: 5, when: { activity: 'email_clicked' }, cap: { perDay, total } },
    ],
  });

describe('applyActivity', () => {
  const model = modelOf({
    engagement: [
      { id: 'any-form', points: 5, when: { activity: 'form_submitted' } },
      { id: 'demo-request', points: 40, when: { activity: 'form_submitted', formId: 'demo-request' } },
      { id: 'pricing-page', points: 5, when: { activity: 'page_viewed', pathPrefix: '/pricing' } },
      { id: 'trial', points: 30, when: { activity: 'trial_started' } },
    ],
  });

  it('counts the activity on its own UTC day for every rule it matches', () => {
    // Prepare
    const demo = activity('form_submitted', '2026-11-19T23:30:00-05:00', { formId: 'demo-request' });

    // Act
    const result = applyActivity(model, emptyAggregate(), demo, NOW);

    // Assess: 23:30 in New York is the next day in UTC.
    expect(result.duplicate).toBe(false);
    expect(result.matched).toEqual(['any-form', 'demo-request']);
    expect(result.aggregate.rules).toEqual({
      'any-form': { days: [day('2026-11-20')], counts: [1] },
      'demo-request': { days: [day('2026-11-20')], counts: [1] },
    });
    expect(result.aggregate.applied).toEqual([demo.activityId]);
  });

  it('matches a form rule with formId only for that form', () => {
    const newsletter = activity('form_submitted', '2026-11-20T10:00:00Z', { formId: 'newsletter' });
    expect(applyActivity(model, emptyAggregate(), newsletter, NOW).matched).toEqual(['any-form']);
  });

  it('matches custom product events by their type', () => {
    expect(
      applyActivity(model, emptyAggregate(), activity('trial_started', '2026-11-20T10:00:00Z'), NOW).matched,
    ).toEqual(['trial']);
  });

  it.each([
    [{ path: '/pricing' }, true],
    [{ path: '/pricing/teams?plan=pro#faq' }, true],
    [{ path: '/Pricing' }, true],
    [{ url: 'https://www.example.com/pricing/enterprise?utm_source=ads' }, true],
    [{ path: '/pricing-history-of-saas' }, false],
    [{ path: '/blog/pricing' }, false],
    [{ url: 'not a url at all' }, false],
    [{}, false],
  ])('matches page views by whole path segments: %j -> %s', (properties, matches) => {
    const view = activity('page_viewed', '2026-11-20T10:00:00Z', { properties });
    expect(applyActivity(model, emptyAggregate(), view, NOW).matched).toEqual(
      matches ? ['pricing-page'] : [],
    );
  });

  it('changes nothing for an activity id already applied: a retry is a duplicate', () => {
    // Prepare
    const trial = activity('trial_started', '2026-11-20T10:00:00Z');
    const once = applyActivity(model, emptyAggregate(), trial, NOW).aggregate;

    // Act
    const again = applyActivity(model, once, { ...trial, at: '2026-11-20T11:00:00Z' }, NOW);

    // Assess
    expect(again).toEqual({ aggregate: once, matched: [], duplicate: true });
    expect(again.aggregate).toBe(once);
  });

  it('remembers activities that match no rule too, so their retries are recognised', () => {
    const open = activity('email_opened', '2026-11-20T10:00:00Z');
    const result = applyActivity(model, emptyAggregate(), open, NOW);
    expect(result.matched).toEqual([]);
    expect(result.aggregate.applied).toEqual([open.activityId]);
    expect(applyActivity(model, result.aggregate, open, NOW).duplicate).toBe(true);
  });

  it('keeps the last 50 activity ids, newest last', () => {
    const all = Array.from({ length: 60 }, (_, i) => ({
      ...activity('trial_started', '2026-11-20T10:00:00Z'),
      activityId: `a${i}`,
    }));
    const { applied } = applyAll(model, all);
    expect(applied).toHaveLength(50);
    expect(applied[0]).toBe('a10');
    expect(applied.at(-1)).toBe('a59');
  });

  it('never changes the aggregate it is given', () => {
    const before = applyAll(model, [activity('trial_started', '2026-11-19T10:00:00Z')]);
    const frozen = structuredClone(before);
    deepFreeze(before);
    applyActivity(model, before, activity('trial_started', '2026-11-20T10:00:00Z'), NOW);
    expect(before).toEqual(frozen);
  });

  it('refuses an activity without a valid time', () => {
    expect(() => applyActivity(model, emptyAggregate(), activity('trial_started', 'yesterday'), NOW)).toThrow(
      RangeError,
    );
  });

  it('writes days in chronological order, whatever order activities arrive in', () => {
    const aggregate = applyAll(model, [
      activity('trial_started', '2026-11-18T10:00:00Z'),
      activity('trial_started', '2026-11-10T10:00:00Z'),
      activity('trial_started', '2026-11-15T10:00:00Z'),
    ]);
    expect(aggregate.rules.trial).toEqual({
      days: [day('2026-11-10'), day('2026-11-15'), day('2026-11-18')],
      counts: [1, 1, 1],
    });
  });
});

describe('engagement caps', () => {
  it('counts at most perDay points a day', () => {
    // Prepare: three clicks worth 5 each on one day, two the next.
    const aggregate = applyAll(clicks(10), [
      activity('email_clicked', '2026-11-19T09:00:00Z'),
      activity('email_clicked', '2026-11-19T10:00:00Z'),
      activity('email_clicked', '2026-11-19T11:00:00Z'),
      activity('email_clicked', '2026-11-20T09:00:00Z'),
    ]);

    // Act
    const result = score(clicks(10), aggregate);

    // Assess
    expect(result.engagement).toBe(15);
    expect(result.breakdown[0]?.reason).toBe(
      '4 × email_clicked on 2 days, 2026-11-19 to 2026-11-20 (capped at 10/day on 1 day)',
    );
  });

  it('names the day in the reason when all activity was on one day', () => {
    const aggregate = applyAll(clicks(10), [
      activity('email_clicked', '2026-11-20T09:00:00Z'),
      activity('email_clicked', '2026-11-20T09:01:00Z'),
      activity('email_clicked', '2026-11-20T09:02:00Z'),
    ]);
    expect(score(clicks(10), aggregate).breakdown[0]).toEqual({
      rule: 'email-click',
      kind: 'engagement',
      points: 10,
      reason: '3 × email_clicked on 2026-11-20 (capped at 10/day)',
    });
  });

  it('counts at most the total cap over all time, earliest days first', () => {
    // Prepare: decay makes each day's weight visible, so we can see which days counted.
    const model = modelOf({
      engagement: [
        { id: 'demo-request', points: 40, when: { activity: 'form_submitted' }, cap: { total: 80 } },
      ],
      decay: { halfLifeDays: 10 },
    });
    const aggregate = applyAll(model, [
      activity('form_submitted', '2026-11-15T09:00:00Z'),
      activity('form_submitted', '2026-10-30T09:00:00Z'),
      activity('form_submitted', '2026-11-09T09:00:00Z'),
    ]);

    // Act
    const result = score(model, aggregate, new Date('2026-11-16T00:00:00Z'));

    // Assess: Oct 30 (16 days old, ×0.5^1.6) and Nov 9 (6 days, ×0.5^0.6) count; Nov 15 is beyond the cap.
    const expected = 40 * 0.5 ** 1.6 + 40 * 0.5 ** 0.6;
    expect(result.engagement).toBe(Math.round(expected * 10) / 10);
    expect(result.breakdown[0]?.reason).toBe(
      '3 × form_submitted on 3 days, 2026-10-30 to 2026-11-15 (total capped at 80), decayed ×0.49',
    );
  });

  it('counts the part of a day that still fits under the total cap', () => {
    const model = modelOf({
      engagement: [{ id: 'webinar', points: 30, when: { activity: 'webinar_attended' }, cap: { total: 50 } }],
    });
    const aggregate = applyAll(model, [
      activity('webinar_attended', '2026-11-01T09:00:00Z'),
      activity('webinar_attended', '2026-11-02T09:00:00Z'),
      activity('webinar_attended', '2026-11-03T09:00:00Z'),
    ]);
    expect(score(model, aggregate).engagement).toBe(50);
  });

  it('applies the per-day cap before the total cap', () => {
    // 4 clicks a day for 3 days: 10/day counts, and 25 in all.
    const model = clicks(10, 25);
    const days = ['2026-11-17', '2026-11-18', '2026-11-19'];
    const aggregate = applyAll(
      model,
      days.flatMap((day) => [1, 2, 3, 4].map((h) => activity('email_clicked', `${day}T0${h}:00:00Z`))),
    );
    const result = score(model, aggregate);
    expect(result.engagement).toBe(25);
    expect(result.breakdown[0]?.reason).toBe(
      '12 × email_clicked on 3 days, 2026-11-17 to 2026-11-19 (capped at 10/day on 3 days; total capped at 25)',
    );
  });

  it('caps negative rules by size: three careers-page views with total cap 10 take 10 points off', () => {
    const model = modelOf({
      engagement: [
        {
          id: 'careers',
          points: -10,
          when: { activity: 'page_viewed', pathPrefix: '/careers' },
          cap: { total: 10 },
        },
      ],
    });
    const aggregate = applyAll(
      model,
      [1, 2, 3].map((d) =>
        activity('page_viewed', `2026-11-1${d}T09:00:00Z`, { properties: { path: '/careers' } }),
      ),
    );
    expect(score(model, aggregate).engagement).toBe(-10);
  });

  it('re-weights stored history when a new model version changes the points', () => {
    const aggregate = applyAll(clicks(), [activity('email_clicked', '2026-11-20T09:00:00Z')]);
    const doubled = modelOf({
      engagement: [{ id: 'email-click', points: 10, when: { activity: 'email_clicked' } }],
    });
    expect(score(doubled, aggregate).engagement).toBe(10);
  });

  it('ignores history of rules the model no longer has', () => {
    const aggregate = applyAll(clicks(), [activity('email_clicked', '2026-11-20T09:00:00Z')]);
    expect(score(modelOf({}), aggregate).breakdown).toEqual([]);
  });
});

describe('engagement decay', () => {
  const model = modelOf({
    engagement: [{ id: 'trial', points: 10, when: { activity: 'trial_started' } }],
    decay: { halfLifeDays: 30 },
  });
  const aggregate = applyAll(
    model,
    [activity('trial_started', '2026-10-01T15:00:00Z')],
    new Date('2026-10-01T16:00:00Z'),
  );

  it.each([
    ['on the day itself, in full', '2026-10-01T23:59:59Z', 10],
    ['exactly one half-life after that day ends, half', '2026-11-01T00:00:00Z', 5],
    ['two half-lives after, a quarter', '2026-12-01T00:00:00Z', 2.5],
    ['before the activity (clock skew), in full', '2026-09-30T00:00:00Z', 10],
  ])('counts an activity %s', (_, now, points) => {
    expect(score(model, aggregate, new Date(now)).engagement).toBe(points);
  });

  it('says how much the points decayed', () => {
    expect(score(model, aggregate, new Date('2026-11-01T00:00:00Z')).breakdown[0]?.reason).toBe(
      '1 × trial_started on 2026-10-01, decayed ×0.50',
    );
  });

  it('never decays when decay is off, or omitted', () => {
    for (const decay of ['off', false, undefined]) {
      const still = modelOf({
        engagement: [{ id: 'trial', points: 10, when: { activity: 'trial_started' } }],
        decay,
      });
      expect(score(still, aggregate, new Date('2029-10-01T00:00:00Z')).engagement).toBe(10);
    }
  });

  it('drops a rule from the breakdown once its points round to zero', () => {
    expect(score(model, aggregate, new Date('2027-10-01T00:00:00Z')).breakdown).toEqual([]);
  });
});

describe('aggregate pruning', () => {
  it('with decay, drops days older than 10 half-lives on the next activity', () => {
    // Prepare
    const model = modelOf({
      engagement: [{ id: 'trial', points: 10, when: { activity: 'trial_started' } }],
      decay: { halfLifeDays: 10 },
    });
    const old = applyAll(
      model,
      [activity('trial_started', '2026-01-01T09:00:00Z')],
      new Date('2026-01-01T10:00:00Z'),
    );
    const now = new Date('2026-04-15T00:00:00Z');

    // Act
    const next = applyAll(model, [activity('trial_started', '2026-04-14T09:00:00Z')], now, old);

    // Assess: 103 days are over 10 half-lives; the score moves by less than 0.1%.
    expect(next.rules.trial).toEqual({ days: [day('2026-04-14')], counts: [1] });
    expect(score(model, old, now).engagement).toBeLessThan(0.01);
  });

  it('with decay and a total cap, keeps the dropped days as used-up cap', () => {
    // Prepare: two demo requests long ago used up the total cap of 80.
    const model = modelOf({
      engagement: [{ id: 'demo', points: 40, when: { activity: 'form_submitted' }, cap: { total: 80 } }],
      decay: { halfLifeDays: 10 },
    });
    const old = applyAll(
      model,
      [
        activity('form_submitted', '2026-01-01T09:00:00Z'),
        activity('form_submitted', '2026-01-02T09:00:00Z'),
      ],
      new Date('2026-01-02T10:00:00Z'),
    );
    const now = new Date('2026-06-01T12:00:00Z');

    // Act
    const next = applyAll(model, [activity('form_submitted', '2026-06-01T09:00:00Z')], now, old);

    // Assess: the old days are folded, not forgotten, so the new request still finds the cap used up.
    expect(next.rules.demo).toEqual({
      days: [day('2026-06-01')],
      counts: [1],
      earlier: 2,
      earlierDay: day('2026-01-02'),
    });
    expect(score(model, next, now).engagement).toBe(0);
    expect(score(model, next, now).breakdown).toEqual([]);
  });

  it('without decay, folds days older than 400 days into earlier and the score stays the same', () => {
    // Prepare: 4 clicks on an old day (10/day cap) and 1 recent one.
    const model = clicks(10);
    const old = applyAll(
      model,
      [1, 2, 3, 4].map((h) => activity('email_clicked', `2025-01-0${h}T09:00:00Z`)),
      new Date('2025-01-05T00:00:00Z'),
    );
    const now = new Date('2026-11-20T12:00:00Z');
    const before = score(model, old, now);

    // Act
    const next = applyAll(model, [activity('email_clicked', '2026-11-20T09:00:00Z')], now, old);

    // Assess
    expect(next.rules['email-click']).toEqual({
      days: [day('2026-11-20')],
      counts: [1],
      earlier: 4,
      earlierDay: day('2025-01-04'),
    });
    expect(before.engagement).toBe(20);
    expect(score(model, next, now).engagement).toBe(25);
    expect(score(model, next, now).breakdown[0]?.reason).toBe(
      '1 × email_clicked on 2026-11-20, plus older activity up to 2025-01-04',
    );
  });

  it('keeps at most 90 days per rule, folding the oldest, without changing an undecayed score', () => {
    const model = clicks(7);
    const days = Array.from({ length: 100 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i, 9)).toISOString());
    const many = days.flatMap((at) => [activity('email_clicked', at), activity('email_clicked', at)]);
    const aggregate = applyAll(model, many, new Date('2026-04-15T00:00:00Z'));
    const history = aggregate.rules['email-click'];
    expect(history?.days).toHaveLength(90);
    expect(history?.counts).toEqual(Array(90).fill(2));
    expect(history?.days[0]).toBe(day('2026-01-11'));
    expect(history?.earlierDay).toBe(day('2026-01-10'));
    // 10 folded days × 7 points (the per-day cap of 2 × 5) = 10 × 1.4 activities' worth.
    expect(history?.earlier).toBeCloseTo(14, 10);
    expect(score(model, aggregate).engagement).toBe(700);
  });

  it('keeps history of rules no longer in the model, pruned by the same clock', () => {
    const aggregate = applyAll(clicks(), [activity('email_clicked', '2026-11-19T09:00:00Z')]);
    const next = applyAll(modelOf({}), [activity('trial_started', '2026-11-20T09:00:00Z')], NOW, aggregate);
    expect(next.rules).toEqual(aggregate.rules);
  });
});

describe('aggregate layout', () => {
  it('keeps each rule as ascending days with positive counts, at most 90, whatever arrives (property)', () => {
    const types = ['email_clicked', 'email_opened', 'trial_started'];
    const model = modelOf({
      engagement: types.map((type, i) => ({ id: `r${i}`, points: 3, when: { activity: type } })),
    });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ type: fc.constantFrom(...types), hoursAgo: fc.integer({ min: -10, max: 300 * 24 }) }),
          { maxLength: 400, size: 'max' },
        ),
        (arrivals) => {
          // Prepare: every activity within 400 days and no decay, so only the 90-day limit folds.
          const activities = arrivals.map((a) =>
            activity(a.type, new Date(NOW.getTime() - a.hoursAgo * 3_600_000).toISOString()),
          );

          // Act
          const aggregate = applyAll(model, activities);

          // Assess
          for (const [id, history] of Object.entries(aggregate.rules)) {
            expect(history.counts).toHaveLength(history.days.length);
            expect(history.days.length).toBeLessThanOrEqual(MAX_DAYS_PER_RULE);
            history.days.forEach((d, i) => {
              expect(Number.isInteger(d)).toBe(true);
              if (i > 0) expect(d).toBeGreaterThan(history.days[i - 1] as number);
            });
            expect(history.counts.every((count) => Number.isInteger(count) && count > 0)).toBe(true);
            // Nothing lost: the kept counts and the folded ones add up to the activities (points are uncapped).
            const sum = history.counts.reduce((a, b) => a + b, 0) + (history.earlier ?? 0);
            expect(sum).toBe(activities.filter((a) => `r${types.indexOf(a.type)}` === id).length);
            if (history.earlierDay !== undefined)
              expect(history.earlierDay).toBeLessThan(history.days[0] as number);
          }
          expect(score(model, aggregate).engagement).toBe(3 * activities.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('scores a hand-made history with days out of order, repeated or empty as the one written here', () => {
    // Prepare
    const model = clicks(10, 20);
    const written = applyAll(model, [
      ...[1, 2, 3].map((h) => activity('email_clicked', `2026-11-17T0${h}:00:00Z`)),
      activity('email_clicked', '2026-11-18T09:00:00Z'),
      ...[1, 2].map((h) => activity('email_clicked', `2026-11-19T0${h}:00:00Z`)),
    ]);
    const handMade: EngagementAggregate = {
      rules: {
        'email-click': {
          days: [
            day('2026-11-19'),
            day('2026-11-17'),
            day('2026-11-20'),
            day('2026-11-18'),
            day('2026-11-17'),
          ],
          counts: [2, 1, 0, 1, 2],
        },
      },
      applied: [],
    };

    // Act
    const result = score(model, handMade);

    // Assess
    expect(written.rules['email-click']).toEqual({
      days: [day('2026-11-17'), day('2026-11-18'), day('2026-11-19')],
      counts: [3, 1, 2],
    });
    expect(result).toEqual(score(model, written));
    expect(result.breakdown[0]?.reason).toBe(
      '6 × email_clicked on 3 days, 2026-11-17 to 2026-11-19 (capped at 10/day on 1 day; total capped at 20)',
    );
    expect(result.engagement).toBe(20);
    // The next activity writes it as its own.
    const next = applyActivity(model, handMade, activity('email_clicked', '2026-11-18T10:00:00Z'), NOW);
    expect(next.aggregate.rules['email-click']).toEqual({
      days: [day('2026-11-17'), day('2026-11-18'), day('2026-11-19')],
      counts: [3, 2, 2],
    });
  });
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
