import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emptyAggregate, type ScoringModel, validateScoringModel } from '../../../functions/core/scoring';
import { conditionText, pathToHot } from '../../../functions/core/scoring/path-to-hot';
import { activity, applyAll, modelOf, NOW, score } from './models';

const lead = (profile: Record<string, string>, aggregate = emptyAggregate(), email = 'ada@acme.io') => ({
  email,
  profile,
  aggregate,
  withSales: false,
});

describe('what it would take to become hot', () => {
  const model = modelOf({
    fit: [
      { id: 'vp', points: 30, when: { field: 'jobTitle', containsAny: ['vp'] } },
      { id: 'manager', points: 10, when: { field: 'jobTitle', containsAny: ['manager'] } },
      { id: 'phone', points: 5, when: { field: 'phone', present: true } },
      { id: 'business', points: 15, when: { emailDomain: 'business' } },
    ],
    engagement: [
      { id: 'demo', points: 40, when: { activity: 'form_submitted', formId: 'demo' }, cap: { total: 40 } },
      {
        id: 'pricing',
        points: 10,
        when: { activity: 'page_viewed', pathPrefix: '/pricing' },
        cap: { perDay: 10 },
      },
      { id: 'open', points: 1, when: { activity: 'email_opened' }, cap: { perDay: 3, total: 6 } },
    ],
    thresholds: { mql: 40, hot: 80, hotMinGrade: 'B' },
  });

  it('says hot for a lead that is hot today, whatever sales does with it', () => {
    // Prepare: vp 30 + business 15 = 45 fit (B), demo 40 → 85.
    const aggregate = applyAll(model, [
      activity('form_submitted', '2026-11-20T10:00:00Z', { formId: 'demo' }),
    ]);

    // Act
    const path = pathToHot(model, 3, { ...lead({ jobTitle: 'VP Sales' }, aggregate), withSales: true }, NOW);

    // Assess
    expect(path).toEqual({ status: 'hot', modelVersion: 3 });
  });

  it('says with sales, not a gap, for a lead sales has', () => {
    expect(pathToHot(model, 3, { ...lead({}), withSales: true }, NOW)).toEqual({
      status: 'with_sales',
      modelVersion: 3,
    });
  });

  it('closes the fit gap to the minimum grade with the largest profile rule, then engagement by points per activity', () => {
    // Prepare: business 15 fit (D), no engagement: 20 fit short of B (35), 65 short of 80.
    const path = pathToHot(model, 1, lead({}), NOW);

    // Assess
    expect(path).toMatchObject({
      status: 'reachable',
      now: { fit: 15, engagement: 0, total: 15, grade: 'D' },
      hot: { total: 80, minGrade: 'B', fitForGrade: 35 },
      gap: { total: 65, fit: 20, engagement: 45 },
    });
    if (path.status !== 'reachable') throw new Error('unexpected');
    expect(path.steps).toEqual([
      { rule: 'vp', kind: 'fit', points: 30, times: 1, what: 'jobTitle with vp' },
      // One demo request gives its 40 points, more than the 35 left: the step says what it adds.
      { rule: 'demo', kind: 'engagement', points: 40, times: 1, what: 'form_submitted "demo"' },
    ]);
  });

  it('counts a rule on a field another matched rule reads as the difference only (a manager who becomes a VP gains 20)', () => {
    const path = pathToHot(model, 1, lead({ jobTitle: 'Marketing Manager' }), NOW);
    if (path.status !== 'reachable') throw new Error(`unexpected ${path.status}`);
    expect(path.gap.fit).toBe(10);
    expect(path.steps[0]).toEqual({
      rule: 'vp',
      kind: 'fit',
      points: 20,
      times: 1,
      what: 'jobTitle with vp',
    });
  });

  it('skips an engagement rule whose total cap the lead has used up and counts several activities of a capped rule', () => {
    // Prepare: a VP at a free address: 30 fit (C), 5 short of B; the demo request used its cap (40): 70, 10 short.
    const aggregate = applyAll(model, [
      activity('form_submitted', '2026-11-20T10:00:00Z', { formId: 'demo' }),
    ]);
    const path = pathToHot(model, 1, lead({ jobTitle: 'VP' }, aggregate, 'ada@gmail.com'), NOW);

    if (path.status !== 'reachable') throw new Error(`unexpected ${path.status}`);
    expect(path.gap).toEqual({ total: 10, fit: 5, engagement: 5 });
    // Phone closes the fit gap (+5), pricing (10 a view, 10 a day) the rest; demo is capped out.
    expect(path.steps).toEqual([
      { rule: 'phone', kind: 'fit', points: 5, times: 1, what: 'phone given' },
      {
        rule: 'pricing',
        kind: 'engagement',
        points: 10,
        times: 1,
        what: 'page_viewed under /pricing',
        perDay: 10,
      },
    ]);
    expect(path.steps.map((s) => s.rule)).not.toContain('demo');
  });

  it('measures from the score today: faded engagement widens the gap', () => {
    // Prepare: the demo request 60 days ago with a 30-day half-life counts a quarter.
    const fading = modelOf({ ...model, decay: { halfLifeDays: 30 } });
    const aggregate = applyAll(fading, [
      activity('form_submitted', '2026-09-21T12:00:00Z', { formId: 'demo' }),
    ]);
    const path = pathToHot(fading, 1, lead({ jobTitle: 'VP' }, aggregate), NOW);
    const today = score(fading, aggregate, NOW, { jobTitle: 'VP' }, 'ada@acme.io');

    if (path.status !== 'reachable' && path.status !== 'unreachable') throw new Error('unexpected');
    expect(path.now.total).toBe(today.total);
    expect(path.gap.total).toBeCloseTo(80 - today.total, 5);
  });

  it('says unreachable when the rules left cannot close the gap, with what they can still give', () => {
    const capped = modelOf({
      fit: [{ id: 'business', points: 40, when: { emailDomain: 'business' } }],
      engagement: [{ id: 'open', points: 1, when: { activity: 'email_opened' }, cap: { total: 5 } }],
      thresholds: { mql: 10, hot: 80 },
    });
    const path = pathToHot(capped, 2, lead({}), NOW);
    expect(path).toMatchObject({ status: 'unreachable', gap: { total: 40, fit: 0, engagement: 40 } });
    if (path.status !== 'unreachable') throw new Error('unexpected');
    expect(path.steps).toEqual([
      { rule: 'open', kind: 'engagement', points: 5, times: 5, what: 'email_opened' },
    ]);
  });

  it('describes each kind of profile condition', () => {
    expect(conditionText({ field: 'companySize', range: { min: 51, max: 5000 } })).toBe(
      'companySize 51–5000',
    );
    expect(conditionText({ field: 'companySize', range: { min: 5001 } })).toBe('companySize 5001 or more');
    expect(conditionText({ field: 'country', in: ['US', 'CA', 'GB', 'IE', 'DE'] })).toBe(
      'country one of US, CA, GB, IE…',
    );
    expect(conditionText({ field: 'plan', equals: 'pro' })).toBe('plan = pro');
  });
});

describe('the example model: what a newsletter subscriber needs', () => {
  let shipped: ScoringModel;
  beforeAll(async () => {
    const result = validateScoringModel(parse(await readFile('config/scoring.yaml', 'utf8')));
    if (!result.ok) throw new Error('config/scoring.yaml is invalid');
    shipped = result.model;
  });

  it('names a senior title and a demo request for a subscriber at a business address', () => {
    // Prepare: newsletter sign-up (5) at a business domain (15 fit, D).
    const aggregate = applyAll(shipped, [
      activity('form_submitted', '2026-11-20T11:00:00Z', { formId: 'newsletter' }),
    ]);
    const path = pathToHot(shipped, 1, lead({}, aggregate, 'ada@acme-gmbh.de'), NOW);

    if (path.status !== 'reachable') throw new Error(`unexpected ${path.status}`);
    expect(path.gap).toEqual({ total: 60, fit: 25, engagement: 35 });
    expect(path.steps.map((s) => s.rule)).toEqual(['senior-title', 'mid-market', 'demo-request']);
    expect(path.steps.at(-1)).toMatchObject({ points: 40, times: 1 });
  });
});
