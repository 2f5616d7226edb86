import { describe, expect, it } from 'vitest';
import { handoffHistory } from '../../functions/core/leads/handoff-history';
import type { Activity, Handoff } from '../../functions/core/leads/lead';

const NOW = new Date('2026-11-20T12:00:00.000Z');
let n = 0;
const entry = (type: string, at: string, extra: Partial<Activity> = {}): Activity => {
  n += 1;
  return {
    activityId: `act_${String(n).padStart(3, '0')}`,
    leadId: 'ld_1',
    type,
    at,
    source: 'form:demo',
    ...extra,
  };
};
const ravi = { name: 'Ravi Patel', username: 'ravi' };
const mia = { name: 'Mia Chen', username: 'mia' };

describe('a lead’s hand-off history', () => {
  it('lists each hand-off newest first: why it became hot, and the outcomes, releases and reassignments of each', () => {
    // Prepare: hand-off 1 became hot, released by a manager, disqualified; hand-off 2 hot again, claimed now.
    const activities = [
      entry('form_submitted', '2026-11-01T10:00:00Z', {
        effect: { score: { from: 40, to: 90, modelVersion: 1, rules: ['demo-request'] }, handoff: 1 },
      }),
      entry('sales_claimed', '2026-11-01T10:05:00Z', {
        source: 'sales:sofia',
        by: { name: 'Sofia Rossi', username: 'sofia' },
        properties: {
          handoff: 1,
          rep: 'sofia',
          previousClaim: { rep: 'ravi', claimedAt: '2026-11-01T10:01:00Z' },
        },
      }),
      entry('sales_claim_released', '2026-11-01T11:00:00Z', {
        source: 'sales:mia',
        by: mia,
        properties: { handoff: 1, rep: 'sofia' },
      }),
      entry('sales_reassigned', '2026-11-01T11:30:00Z', {
        source: 'sales:mia',
        by: mia,
        properties: { handoff: 1, from: 'sofia', to: 'ravi', toName: 'Ravi Patel', claim: true },
      }),
      entry('sales_disqualified', '2026-11-02T09:00:00Z', {
        source: 'sales:ravi',
        by: ravi,
        properties: { handoff: 1, note: 'no budget', reason: 'budget' },
      }),
      entry('page_viewed', '2026-11-10T09:00:00Z'),
      entry('form_submitted', '2026-11-20T10:00:00Z', {
        effect: { score: { from: 60, to: 100, modelVersion: 2, rules: ['demo-request'] }, handoff: 2 },
      }),
    ];
    const current: Handoff = {
      number: 2,
      status: 'claimed',
      becameHotAt: '2026-11-20T10:00:00Z',
      rules: ['senior-title', 'demo-request'],
      sentAt: '2026-11-20T10:00:05Z',
      claim: {
        nonce: 'secret',
        rep: 'ravi',
        claimedAt: '2026-11-20T11:00:00Z',
        expiresAt: '2026-11-20T11:30:00Z',
      },
    };

    // Act (the store answers newest first; the history does not depend on it)
    const history = handoffHistory(current, [...activities].reverse(), NOW);

    // Assess
    expect(history).toEqual([
      {
        number: 2,
        becameHotAt: '2026-11-20T10:00:00Z',
        rules: ['senior-title', 'demo-request'],
        status: 'claimed',
        sentAt: '2026-11-20T10:00:05Z',
        claim: {
          rep: 'ravi',
          claimedAt: '2026-11-20T11:00:00Z',
          expiresAt: '2026-11-20T11:30:00Z',
          expired: true,
        },
        events: [],
      },
      {
        number: 1,
        becameHotAt: '2026-11-01T10:00:00Z',
        rules: ['demo-request'],
        events: [
          {
            type: 'claimed',
            at: '2026-11-01T10:05:00Z',
            by: { name: 'Sofia Rossi', username: 'sofia' },
            rep: 'sofia',
            expiredClaimOf: 'ravi',
          },
          { type: 'released', at: '2026-11-01T11:00:00Z', by: mia, rep: 'sofia' },
          {
            type: 'reassigned',
            at: '2026-11-01T11:30:00Z',
            by: mia,
            from: 'sofia',
            to: 'ravi',
            toName: 'Ravi Patel',
          },
          {
            type: 'outcome',
            at: '2026-11-02T09:00:00Z',
            by: ravi,
            rep: 'ravi',
            outcome: 'disqualified',
            note: 'no budget',
            reason: 'budget',
          },
        ],
      },
    ]);
    expect(JSON.stringify(history)).not.toContain('secret');
  });

  it('shows a live claim as not expired, and a lead never hot as no hand-offs', () => {
    const claimed: Handoff = {
      number: 1,
      status: 'claimed',
      becameHotAt: '2026-11-20T10:00:00Z',
      rules: [],
      claim: {
        nonce: 'x',
        rep: 'sofia',
        claimedAt: '2026-11-20T11:50:00Z',
        expiresAt: '2026-11-20T12:20:00Z',
      },
    };
    expect(handoffHistory(claimed, [], NOW)[0]?.claim?.expired).toBe(false);
    expect(handoffHistory(undefined, [entry('page_viewed', '2026-11-20T10:00:00Z')], NOW)).toEqual([]);
  });

  it('keeps a hand-off whose hot entry is gone from the timeline, with an unknown time', () => {
    const history = handoffHistory(
      undefined,
      [
        entry('sales_won', '2026-11-20T10:00:00Z', {
          source: 'sales:ravi',
          by: ravi,
          properties: { handoff: 3 },
        }),
      ],
      NOW,
    );
    expect(history).toEqual([
      {
        number: 3,
        becameHotAt: null,
        rules: [],
        events: [{ type: 'outcome', at: '2026-11-20T10:00:00Z', by: ravi, rep: 'ravi', outcome: 'won' }],
      },
    ]);
  });
});
