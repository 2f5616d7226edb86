import { describe, expect, it } from 'vitest';
import { type ActiveModel, evolveLead } from '../../functions/core/leads/evolve';
import type { Activity, LeadState } from '../../functions/core/leads/lead';
import { recordActivity } from '../../functions/core/leads/record-activity';
import { validateScoringModel } from '../../functions/core/scoring/model-schema';
import { FakeLeads, FakeModels, fixedClock } from '../fixtures/fakes';

function model(): ActiveModel {
  const result = validateScoringModel({
    fit: [{ id: 'business-email', points: 40, when: { emailDomain: 'business' } }],
    engagement: [{ id: 'trial', points: 30, when: { activity: 'trial_started' } }],
    grades: { A: 40, B: 30, C: 20, D: 10 },
    thresholds: { mql: 50, hot: 100, hotMinGrade: 'B' },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return { model: result.model, version: 7 };
}

const clock = fixedClock('2026-11-27T10:00:00.000Z');
const leadId = 'ld_000000000000000000000001';
const trial = (n: number): Activity => ({
  activityId: `act_${n}`,
  leadId,
  type: 'trial_started',
  at: '2026-11-27T09:00:00.000Z',
  source: 'api:test',
});
const change = (n: number) => ({ leadId, email: 'ops@acme.io', activity: trial(n) });

describe('recordActivity', () => {
  it('scores, moves the stage forward and records one pending hand-off when the lead turns hot', async () => {
    const leads = new FakeLeads();
    const deps = { leads, models: new FakeModels(model()), clock };
    await recordActivity(deps, change(1), { createIfMissing: true });
    expect((await leads.load(leadId))?.stage).toBe('mql');
    await recordActivity(deps, change(2), { createIfMissing: true });
    const hot = await leads.load(leadId);
    expect(hot?.score).toMatchObject({ total: 100, hot: true, modelVersion: 7 });
    expect(hot?.handoff).toMatchObject({ number: 1, status: 'pending', rules: ['business-email', 'trial'] });
    expect(leads.activities.get('act_2')?.effect).toEqual({
      score: { from: 70, to: 100, modelVersion: 7, rules: ['trial'] },
      handoff: 1,
      // The score that made it hot, for the scoring-quality report.
      hot: { total: 100, grade: 'A', modelVersion: 7, rules: ['business-email', 'trial'] },
    });
  });

  it('hands off again only after the open hand-off closed', async () => {
    const leads = new FakeLeads();
    const deps = { leads, models: new FakeModels(model()), clock };
    for (const n of [1, 2, 3]) await recordActivity(deps, change(n), { createIfMissing: true });
    expect((await leads.load(leadId))?.handoff?.number).toBe(1);
    const lead = (await leads.load(leadId)) as LeadState;
    const handoff = lead.handoff as NonNullable<LeadState['handoff']>;
    await leads.replace(
      { ...lead, handoff: { ...handoff, status: 'closed' }, stage: 'recycled' },
      lead.version,
    );
    await recordActivity(deps, change(4), { createIfMissing: true });
    expect((await leads.load(leadId))?.handoff).toMatchObject({ number: 2, status: 'pending' });
  });

  it('stores the activity once and counts it once when the activity write fails after the lead write', async () => {
    const leads = new FakeLeads();
    const deps = { leads, models: new FakeModels(model()), clock };
    const put = leads.putActivity.bind(leads);
    let failures = 1;
    leads.putActivity = async (activity) => {
      if (failures-- > 0) throw new Error('crash between the two writes');
      return put(activity);
    };
    await expect(recordActivity(deps, change(1), { createIfMissing: true })).rejects.toThrow(/crash/);
    const retried = await recordActivity(deps, change(1), { createIfMissing: true });
    expect(retried.duplicate).toBe(true);
    expect(leads.activities.size).toBe(1);
    expect((await leads.load(leadId))?.score?.engagement).toBe(30);
  });

  it('applies concurrent activities on one lead exactly once each (optimistic versions)', async () => {
    const leads = new FakeLeads();
    const deps = { leads, models: new FakeModels(model()), clock };
    await recordActivity(deps, change(0), { createIfMissing: true });
    await Promise.all([1, 2, 3, 4, 5].map((n) => recordActivity(deps, change(n), { createIfMissing: true })));
    const lead = await leads.load(leadId);
    expect(lead?.aggregate.applied).toHaveLength(6);
    expect(lead?.version).toBe(6);
    expect(leads.activities.size).toBe(6);
  });

  it('finds an existing lead when a likely-new lead turns out to exist', async () => {
    const leads = new FakeLeads();
    const deps = { leads, models: new FakeModels(model()), clock };
    await recordActivity(deps, change(1), { createIfMissing: true });
    await recordActivity(deps, change(2), { expectNew: true, createIfMissing: true });
    expect((await leads.load(leadId))?.aggregate.applied).toEqual(['act_1', 'act_2']);
  });
});

describe('evolveLead', () => {
  const now = new Date('2026-11-27T10:00:00.000Z');

  it('moves a subscriber on to lead when a high-intent form comes in, never backwards', () => {
    const base = evolveLead(undefined, { ...change(1), merge: undefined }, undefined, now);
    if (base.kind !== 'changed') throw new Error(base.kind);
    const subscriber = { ...base.next, stage: 'subscriber' as const };
    const input = { leadId, email: 'ops@acme.io', fields: {}, attribution: {}, stage: 'lead' as const };
    const next = evolveLead(subscriber, { ...change(2), merge: input }, undefined, now);
    expect(next.kind === 'changed' && next.next.stage).toBe('lead');
    const sql = { ...base.next, stage: 'sql' as const };
    const kept = evolveLead(sql, { ...change(3), merge: { ...input, stage: 'subscriber' } }, model(), now);
    expect(kept.kind === 'changed' && kept.next.stage).toBe('sql');
  });

  it('refuses a submission over the per-email limit of the minute, and counts anew next minute', () => {
    const perEmail = { limit: 1, window: 100 };
    const first = evolveLead(undefined, { ...change(1), perEmail }, undefined, now);
    if (first.kind !== 'changed') throw new Error(first.kind);
    expect(evolveLead(first.next, { ...change(2), perEmail }, undefined, now).kind).toBe('rate_limited');
    expect(
      evolveLead(first.next, { ...change(2), perEmail: { limit: 1, window: 101 } }, undefined, now).kind,
    ).toBe('changed');
  });
});
