import { describe, expect, it } from 'vitest';
import type { ActiveModel } from '../../functions/core/leads/evolve';
import type { Activity, LeadState } from '../../functions/core/leads/lead';
import type { NurtureConfig } from '../../functions/core/nurture/config-schema';
import { sequenceSchema } from '../../functions/core/nurture/config-schema';
import { validateScoringModel } from '../../functions/core/scoring/model-schema';
import { type RescoreProgress, rescorePage } from '../../functions/core/scoring/rescore-job';
import { emptyAggregate } from '../../functions/core/scoring/score';
import { FakeLeads, fixedClock } from '../fixtures/fakes';

const at = '2026-11-27T10:00:00.000Z';
const leadId = 'ld_000000000000000000000042';

function model(): ActiveModel {
  const result = validateScoringModel({
    fit: [{ id: 'business-email', points: 40, when: { emailDomain: 'business' } }],
    engagement: [{ id: 'trial', points: 30, when: { activity: 'trial_started' } }],
    grades: { A: 40, B: 30, C: 20, D: 10 },
    thresholds: { mql: 50, hot: 1000 },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return { model: result.model, version: 2 };
}

const mqlFollowUp = sequenceSchema.parse({
  id: 'mql-follow-up',
  name: 'MQL follow-up',
  trigger: { on: 'stage_reached', stage: 'mql' },
  steps: [{ id: 'one', template: 'welcome' }],
});

describe('rescoring and nurture', () => {
  it('enrolls a lead the new model makes an MQL in a stage_reached: mql sequence, in the rescore write', async () => {
    const leads = new FakeLeads();
    const lead: LeadState = {
      leadId,
      email: 'ops@acme.io',
      stage: 'lead',
      profile: {},
      marketingConsent: { granted: true, at, source: 'form:newsletter' },
      createdAt: at,
      updatedAt: at,
      version: 1,
      aggregate: emptyAggregate(),
      score: null,
    };
    await leads.create(lead);
    const trial: Activity = { activityId: 'act_1', leadId, type: 'trial_started', at, source: 'api:test' };
    await leads.putActivity(trial);
    let job: RescoreProgress = {
      version: 2,
      status: 'running',
      startedAt: at,
      pages: 0,
      scanned: 0,
      rescored: 0,
      changed: 0,
      cursor: null,
    };
    await rescorePage(
      {
        leads,
        jobs: {
          get: async () => job,
          latest: async () => job,
          start: async () => {},
          completePage: async (_v, _from, page) => {
            job = { ...job, ...page, status: page.cursor ? 'running' : 'done' };
            return true;
          },
          finish: async () => {},
        },
        requestPage: async () => {},
        models: { version: async () => model(), activeVersion: async () => 2 },
        clock: fixedClock(at),
        nurture: {
          active: async () => ({
            version: 1,
            config: { sequences: [mqlFollowUp] } as unknown as NurtureConfig,
          }),
        },
      },
      2,
      null,
    );
    const stored = await leads.load(leadId);
    expect(stored?.stage).toBe('mql');
    expect(stored?.nurture?.enrollments['mql-follow-up']).toMatchObject({ status: 'active', step: 0 });
    const entry = [...leads.activities.values()].find((a) => a.type === 'score_changed');
    expect(entry?.effect).toMatchObject({ stage: { from: 'lead', to: 'mql' }, enrolled: ['mql-follow-up'] });
  });
});
