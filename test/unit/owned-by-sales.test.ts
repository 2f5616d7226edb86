import { describe, expect, it } from 'vitest';
import { type ActiveModel, evolveLead, settleLead } from '../../functions/core/leads/evolve';
import type { Activity, LeadState } from '../../functions/core/leads/lead';
import { validateScoringModel } from '../../functions/core/scoring/model-schema';
import { emptyAggregate } from '../../functions/core/scoring/score';

/** A lead sales owns is never handed off again however hot it gets; its owner is kept on every write. */
function model(): ActiveModel {
  const result = validateScoringModel({
    fit: [{ id: 'business-email', points: 40, when: { emailDomain: 'business' } }],
    engagement: [{ id: 'trial', points: 30, when: { activity: 'trial_started' } }],
    grades: { A: 40, B: 30, C: 20, D: 10 },
    thresholds: { mql: 50, hot: 100, hotMinGrade: 'B' },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return { model: result.model, version: 1 };
}

const now = new Date('2026-12-01T10:00:00.000Z');
const leadId = 'ld_000000000000000000000002';
const trial = (n: number): Activity => ({
  activityId: `act_${n}`,
  leadId,
  type: 'trial_started',
  at: '2026-12-01T09:00:00.000Z',
  source: 'api:test',
});
const owner = { rep: 'ada', repName: 'Ada Rep', since: '2026-11-30T10:00:00.000Z', handoff: 1 };

/** A lead whose first hand-off closed with a meeting booked; `owned` says whether a rep kept it. */
function afterMeeting(owned: boolean): LeadState {
  return {
    leadId,
    email: 'ops@acme.io',
    stage: 'opportunity',
    profile: {},
    createdAt: '2026-11-30T09:00:00.000Z',
    updatedAt: '2026-11-30T10:00:00.000Z',
    version: 3,
    aggregate: emptyAggregate(),
    score: null,
    handoff: {
      number: 1,
      status: 'closed',
      becameHotAt: '2026-11-30T09:00:00.000Z',
      rules: ['trial'],
      outcome: 'meeting_booked',
    },
    ...(owned ? { owner } : {}),
  };
}

function hotAgain(prev: LeadState): LeadState {
  let lead = prev;
  for (const n of [1, 2, 3]) {
    const evolution = evolveLead(lead, { leadId, email: lead.email, activity: trial(n) }, model(), now);
    if (evolution.kind !== 'changed') throw new Error(evolution.kind);
    lead = evolution.next;
  }
  return lead;
}

describe('owned by sales', () => {
  it('hands a lead nobody owns off again once it turns hot (hand-off 2)', () => {
    const lead = hotAgain(afterMeeting(false));
    expect(lead.score?.hot).toBe(true);
    expect(lead.handoff).toMatchObject({ number: 2, status: 'pending' });
  });

  it('records no new hand-off for an owned lead that turns hot, and keeps its owner', () => {
    const lead = hotAgain(afterMeeting(true));
    expect(lead.score?.hot).toBe(true);
    expect(lead.handoff).toMatchObject({ number: 1, status: 'closed' });
    expect(lead.owner).toEqual(owner);
  });

  it('records no hand-off when a rescore makes an owned lead hot', () => {
    const prev = hotAgain(afterMeeting(true));
    const settled = settleLead(prev, { ...prev, version: prev.version + 1 }, model(), now);
    expect(settled.next.handoff?.number).toBe(1);
    expect(settled.effect.handoff).toBeUndefined();
    const { owner: _owner, ...unowned } = prev;
    expect(settleLead(unowned, unowned, model(), now).next.handoff).toMatchObject({ number: 2 });
  });
});
