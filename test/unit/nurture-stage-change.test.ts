import { beforeAll, describe, expect, it } from 'vitest';
import { readNurtureConfig } from '../../functions/adapters/files/config-dir';
import type { LeadState } from '../../functions/core/leads/lead';
import type { ActiveNurture } from '../../functions/core/nurture/enroll';
import { nurtureOnStageChange } from '../../functions/core/nurture/stage-change';
import { FakeLeads, fixedClock } from '../fixtures/fakes';

const at = '2026-11-27T10:00:00.000Z';
const leadId = 'ld_000000000000000000000007';
let active: ActiveNurture;

beforeAll(async () => {
  const loaded = await readNurtureConfig('config');
  if (!loaded) throw new Error('config/settings.yaml is missing');
  active = { config: loaded.config, version: 1 };
});

function lead(overrides: Partial<LeadState>): LeadState {
  return {
    leadId,
    email: 'vera@initech.example',
    stage: 'recycled',
    profile: {},
    marketingConsent: { granted: true, at, source: 'form:newsletter' },
    createdAt: at,
    updatedAt: at,
    version: 3,
    aggregate: { rules: {}, applied: [] } as unknown as LeadState['aggregate'],
    score: null,
    handoff: { number: 1, status: 'closed', becameHotAt: at, rules: [], outcome: 'recycled' },
    ...overrides,
  };
}

const deps = (leads: FakeLeads) => ({
  leads,
  nurture: { active: async () => active },
  clock: fixedClock(at),
});

describe('nurture after a sales outcome moves the stage', () => {
  it('puts a lead sales recycled back into nurture (stage_reached: recycled)', async () => {
    const leads = new FakeLeads();
    await leads.create(lead({}));
    const change = await nurtureOnStageChange(deps(leads), leadId, 'sql', { type: 'sales_recycled' });
    expect(change).toEqual({ enrolled: ['back-to-nurture'], exiting: [] });
    const stored = await leads.load(leadId);
    expect(stored?.version).toBe(4);
    expect(stored?.nurture?.enrollments['back-to-nurture']).toMatchObject({
      status: 'active',
      step: 0,
      dueAt: at,
    });
  });

  it('does not enroll without consent, and writes nothing when nothing changes', async () => {
    const leads = new FakeLeads();
    await leads.create(lead({ marketingConsent: undefined }));
    expect(await nurtureOnStageChange(deps(leads), leadId, 'sql', { type: 'sales_recycled' })).toEqual({
      enrolled: [],
      exiting: [],
    });
    expect((await leads.load(leadId))?.version).toBe(3);
  });

  it('ends a sequence whose exit stages include the new stage (won → customer)', async () => {
    const leads = new FakeLeads();
    const welcome = {
      sequenceId: 'welcome',
      number: 1,
      status: 'active' as const,
      enrolledAt: at,
      step: 1,
      dueAt: '2026-12-01T14:00:00.000Z',
    };
    await leads.create(
      lead({ stage: 'customer', nurture: { enrollments: { welcome }, sent: [], seen: [] } }),
    );
    const change = await nurtureOnStageChange(deps(leads), leadId, 'opportunity', { type: 'sales_won' });
    expect(change.exiting).toEqual(['welcome']);
    expect((await leads.load(leadId))?.nurture?.enrollments.welcome).toMatchObject({
      exit: 'stage_reached',
      dueAt: at,
    });
  });
});
