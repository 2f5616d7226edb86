import { describe, expect, it } from 'vitest';
import type { HandoffStore, HotLeadQueue, KnownRep } from '../../functions/core/handoff/ports';
import { teamView } from '../../functions/core/handoff/team';
import type { Handoff, LeadState } from '../../functions/core/leads/lead';
import { emptyAggregate } from '../../functions/core/scoring/score';
import { FakeLeads, fixedClock } from '../fixtures/fakes';

/** The manager view's SLA on a fixed clock: waiting and held times against LEADFLOW_SALES_SLA_MINUTES. */
const NOW = '2026-12-01T10:00:00.000Z';
const minutesAgo = (m: number) => new Date(Date.parse(NOW) - m * 60_000).toISOString();
const inMinutes = (m: number) => new Date(Date.parse(NOW) + m * 60_000).toISOString();

function lead(
  n: number,
  handoff: Handoff,
  owner?: LeadState['owner'] & { lastOutcomeAt?: string },
): LeadState {
  return {
    leadId: `ld_${String(n).padStart(24, '0')}`,
    email: `p${n}@initech.de`,
    stage: 'mql',
    profile: { firstName: { value: 'Vera', source: 'form:demo-request', at: NOW } },
    createdAt: minutesAgo(60),
    updatedAt: minutesAgo(1),
    version: 1,
    aggregate: emptyAggregate(),
    score: null,
    handoff,
    ...(owner ? { owner } : {}),
  };
}
const hotSince = (m: number): Handoff => ({
  number: 1,
  status: 'sent',
  becameHotAt: minutesAgo(m),
  rules: [],
});
const claimed = (m: number, rep: string, outcome?: Handoff['outcome']): Handoff => ({
  ...hotSince(m + 1),
  status: 'claimed',
  claim: { nonce: 'abcdefgh', rep, claimedAt: minutesAgo(m), expiresAt: inMinutes(30) },
  ...(outcome ? { outcome } : {}),
});

function store(open: LeadState[], reps: KnownRep[], owned: Record<string, LeadState[]> = {}): HandoffStore {
  const unused = () => {
    throw new Error('not used by the team view');
  };
  return {
    open: async () => open,
    reps: async () => reps,
    ownedBy: async (rep: string) => ({ leads: owned[rep] ?? [], total: (owned[rep] ?? []).length }),
    pending: unused,
    markSent: unused,
    claim: unused,
    extend: unused,
    release: unused,
    outcome: unused,
    ownedOutcome: unused,
    endClaim: unused,
    reassign: unused,
    heldBy: unused,
    noteRep: unused,
    counts: unused,
  };
}
const deps = (handoffs: HandoffStore) => ({
  leads: new FakeLeads(),
  handoffs,
  queue: {} as HotLeadQueue,
  clock: fixedClock(NOW),
  claimWindowSeconds: 1800,
});

describe('manager view SLA', () => {
  it('flags a lead waiting longer than the SLA, and a claim held longer with no outcome', async () => {
    const view = await teamView(
      deps(
        store(
          [
            lead(1, hotSince(16)),
            lead(2, hotSince(14)),
            lead(3, claimed(20, 'ravi')),
            lead(4, claimed(20, 'sofia', 'contacted')),
            lead(5, claimed(5, 'sofia')),
            // An expired claim is waiting again, aged from when the lead turned hot.
            lead(6, {
              ...claimed(40, 'ravi'),
              claim: { nonce: 'x', rep: 'ravi', claimedAt: minutesAgo(40), expiresAt: minutesAgo(10) },
            }),
          ],
          [{ rep: 'ravi', repName: 'Ravi Patel' }],
        ),
      ),
      15,
    );
    expect(view.slaMinutes).toBe(15);
    expect(view.waiting.map((w) => [w.email, w.waitingSeconds, w.slaBreached])).toEqual([
      ['p6@initech.de', 41 * 60, true],
      ['p1@initech.de', 16 * 60, true],
      ['p2@initech.de', 14 * 60, false],
    ]);
    expect(view.claims.map((c) => [c.email, c.rep, c.heldSeconds, c.slaBreached])).toEqual([
      ['p3@initech.de', 'ravi', 20 * 60, true],
      ['p4@initech.de', 'sofia', 20 * 60, false],
      ['p5@initech.de', 'sofia', 5 * 60, false],
    ]);
    expect(view.reps).toEqual([
      { rep: 'ravi', repName: 'Ravi Patel', claims: 1, owned: 0, slaBreaches: 1 },
      // Not in the reps partition yet, known from the claim: shown by its id.
      { rep: 'sofia', repName: 'sofia', claims: 2, owned: 0, slaBreaches: 0 },
    ]);
  });

  it("lists owned leads whose latest activity came after the owner's last outcome", async () => {
    const owner = {
      rep: 'ravi',
      repName: 'Ravi Patel',
      since: minutesAgo(100),
      handoff: 1,
      lastOutcomeAt: minutesAgo(50),
    };
    const closed: Handoff = { ...hotSince(120), status: 'closed' };
    const at = (m: number) => ({
      activityId: `a${m}`,
      leadId: 'x',
      type: 'form_submitted',
      at: minutesAgo(m),
      source: 'form:demo-request',
    });
    const news = { ...lead(7, closed, owner), lastActivity: at(10) };
    const old = { ...lead(8, closed, owner), lastActivity: at(60) };
    const view = await teamView(
      deps(store([], [{ rep: 'ravi', repName: 'Ravi Patel' }], { ravi: [news, old] })),
      15,
    );
    expect(view.ownedActivity.map((o) => o.email)).toEqual(['p7@initech.de']);
    expect(view.reps[0]).toMatchObject({ rep: 'ravi', owned: 2 });
  });
});
