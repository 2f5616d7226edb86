import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keepFirst, suppressionHash } from '../../functions/core/consent/suppression';
import { unsubscribe } from '../../functions/core/consent/unsubscribe';
import { leadIdFor, sha256Hex } from '../../functions/core/kernel/email';
import { LeadNotFoundError } from '../../functions/core/kernel/errors';
import { useIdentityKey } from '../../functions/core/kernel/identity-key';
import { eraseLead } from '../../functions/core/leads/erase-lead';
import type { LeadState } from '../../functions/core/leads/lead';
import { emptyAggregate } from '../../functions/core/scoring/score';
import { FakeLeads, FakeSuppressions, fixedClock } from '../fixtures/fakes';

const lead = (email: string, overrides: Partial<LeadState> = {}): LeadState => ({
  leadId: leadIdFor(email),
  email,
  stage: 'subscriber',
  profile: {},
  marketingConsent: { granted: true, at: '2026-11-01T00:00:00.000Z', source: 'form:newsletter' },
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  version: 1,
  aggregate: emptyAggregate(),
  score: null,
  ...overrides,
});

describe('suppression rules', () => {
  it('fold every spelling of one inbox into one hashed entry, with no clear address', () => {
    const hash = suppressionHash('Ada.Lovelace+news@Gmail.com');
    expect(hash).toBe(suppressionHash('adalovelace@googlemail.com'));
    expect(hash).not.toBe(suppressionHash('ada.lovelace@example.com'));
    expect(suppressionHash('a.b+c@example.com')).not.toBe(suppressionHash('ab@example.com'));
  });

  it('key entries and lead ids with the install identity key: a guessed address cannot be tested without it', () => {
    const identity = 'adalovelace@gmail.com';
    expect(suppressionHash(identity)).toBe(
      createHmac('sha256', process.env.LEADFLOW_IDENTITY_KEY as string)
        .update(`suppression\n${identity}`)
        .digest('hex'),
    );
    expect(suppressionHash(identity)).not.toBe(sha256Hex(identity));
    expect(leadIdFor(identity)).not.toBe(`ld_${sha256Hex(identity).slice(0, 24)}`);
    // One purpose cannot be told from the other: the entry left after an erase does not name the lead.
    expect(suppressionHash(identity).startsWith(leadIdFor(identity).slice(3))).toBe(false);
    const before = { lead: leadIdFor(identity), suppression: suppressionHash(identity) };
    try {
      useIdentityKey('another-install-key-0123456789abcdef-0123');
      expect(leadIdFor(identity)).not.toBe(before.lead);
      expect(suppressionHash(identity)).not.toBe(before.suppression);
    } finally {
      useIdentityKey(process.env.LEADFLOW_IDENTITY_KEY as string);
    }
    expect(() => useIdentityKey('short')).toThrow(/at least 32 characters/);
  });

  it('keep the first reason: a later bounce does not overwrite an unsubscribe', async () => {
    const first = { reason: 'unsubscribed' as const, at: '2026-01-01T00:00:00Z', source: 'unsubscribe' };
    expect(keepFirst(first, { reason: 'bounced', at: '2026-02-01T00:00:00Z', source: 'ses:bounce' })).toBe(
      first,
    );
    const store = new FakeSuppressions();
    await store.suppress('ada.lovelace@gmail.com', 'unsubscribed', 'unsubscribe');
    const again = await store.suppress('AdaLovelace+x@gmail.com', 'complained', 'ses:complaint');
    expect(again.reason).toBe('unsubscribed');
    expect(store.entries.size).toBe(1);
    expect(await store.isSuppressed('adalovelace@googlemail.com')).toBe(true);
  });
});

describe('unsubscribe (use case)', () => {
  it('suppresses, withdraws consent and records one activity; a repeat changes nothing', async () => {
    const leads = new FakeLeads();
    const suppressions = new FakeSuppressions();
    const ada = lead('ada@example.com');
    leads.leads.set(ada.leadId, ada);
    const deps = { leads, suppressions, clock: fixedClock() };
    expect(await unsubscribe(deps, ada.leadId)).toEqual({ found: true, changed: true });
    const after = leads.leads.get(ada.leadId);
    expect(after?.marketingConsent).toEqual({
      granted: false,
      at: '2026-11-27T10:00:30.000Z',
      source: 'unsubscribe',
    });
    expect((await suppressions.lookup('ada@example.com'))?.reason).toBe('unsubscribed');
    expect([...leads.activities.values()].map((a) => a.type)).toEqual(['unsubscribed']);

    const later = { ...deps, clock: fixedClock('2026-11-28T10:00:00.000Z') };
    expect(await unsubscribe(later, ada.leadId)).toEqual({ found: true, changed: false });
    expect(leads.leads.get(ada.leadId)).toEqual(after);
    expect(leads.activities.size).toBe(1);
  });

  it('answers found: false for a lead that no longer exists', async () => {
    const deps = { leads: new FakeLeads(), suppressions: new FakeSuppressions(), clock: fixedClock() };
    expect(await unsubscribe(deps, leadIdFor('gone@example.com'))).toEqual({ found: false, changed: false });
  });
});

class ErasableLeads extends FakeLeads {
  /** The lead as it stood when the partition was deleted. */
  erasedState: LeadState | undefined;
  async erase(leadId: string) {
    this.erasedState = this.leads.get(leadId);
    this.leads.delete(leadId);
    return 3;
  }
}

/** Deliveries and the hot-lead queue as the erase sees them: what it asked for, in order. */
function eraseRecorder() {
  const calls: string[] = [];
  return {
    calls,
    deliveries: {
      eraseForLead: async (leadId: string) => {
        calls.push(`deliveries ${leadId}`);
        return 2;
      },
    },
    handoffs: {
      sendErased: async (leadId: string, erasedAt: string) => {
        calls.push(`erase event ${leadId} ${erasedAt}`);
      },
    },
    exports: {
      withdrawAll: async () => {
        calls.push('exports withdrawn');
        return 0;
      },
    },
  };
}

describe('erase (use case)', () => {
  it('suppresses the address as erased before deleting, and 404s an unknown lead', async () => {
    const leads = new ErasableLeads();
    const suppressions = new FakeSuppressions();
    const ada = lead('ada@example.com');
    leads.leads.set(ada.leadId, ada);
    const recorder = eraseRecorder();
    const deps = { leads, suppressions, ...recorder, clock: fixedClock() };
    expect(await eraseLead(deps, ada.leadId, 'marketer')).toEqual({
      leadId: ada.leadId,
      erased: true,
      items: 3,
      deliveries: 2,
    });
    expect(await suppressions.lookup('ada@example.com')).toMatchObject({
      reason: 'erased',
      source: 'admin:marketer',
    });
    // Never handed off: no erase event for the queue's consumers; its kept deliveries go.
    // The background exports of the last 7 days lose their files before the lead's items go.
    expect(recorder.calls).toEqual(['exports withdrawn', `deliveries ${ada.leadId}`]);
    await expect(eraseLead(deps, ada.leadId, 'marketer')).rejects.toBeInstanceOf(LeadNotFoundError);
    // Marked first (a conditional write), so no send-email run can claim a step any more.
    expect(leads.erasedState?.erasing).toBe('2026-11-27T10:00:30.000Z');
  });

  it('waits for an email being sent to the lead: 409 send_in_progress, nothing erased or suppressed', async () => {
    const leads = new ErasableLeads();
    const suppressions = new FakeSuppressions();
    const ada = lead('ada@example.com');
    const sending = {
      sequenceId: 'welcome',
      number: 1,
      status: 'active' as const,
      enrolledAt: '2026-11-27T10:00:00.000Z',
      step: 0,
      dueAt: '2026-11-27T10:00:00.000Z',
      sending: { step: 0, at: '2026-11-27T10:00:10.000Z' },
    };
    leads.leads.set(ada.leadId, {
      ...ada,
      nurture: { enrollments: { welcome: sending }, sent: [], seen: [] },
    });
    const deps = { leads, suppressions, ...eraseRecorder(), clock: fixedClock() };
    await expect(eraseLead(deps, ada.leadId, 'marketer')).rejects.toMatchObject({ code: 'send_in_progress' });
    expect(leads.leads.has(ada.leadId)).toBe(true);
    expect(await suppressions.lookup('ada@example.com')).toBeUndefined();
    // A claim older than the claim timeout belongs to a run that died: the erase goes ahead.
    const later = { ...deps, clock: fixedClock('2026-11-27T10:03:00.000Z') };
    expect(await eraseLead(later, ada.leadId, 'marketer')).toMatchObject({ erased: true });
  });

  it('tells the hot-lead queue of a lead ever handed off, before anything is deleted', async () => {
    const leads = new ErasableLeads();
    const ada = lead('ada@example.com');
    leads.leads.set(ada.leadId, {
      ...ada,
      handoff: { number: 1, status: 'closed', becameHotAt: '2026-11-20T10:00:00.000Z', rules: [] },
    } as LeadState);
    const recorder = eraseRecorder();
    await eraseLead(
      { leads, suppressions: new FakeSuppressions(), ...recorder, clock: fixedClock() },
      ada.leadId,
      'm',
    );
    expect(recorder.calls).toEqual([
      `erase event ${ada.leadId} 2026-11-27T10:00:30.000Z`,
      'exports withdrawn',
      `deliveries ${ada.leadId}`,
    ]);
  });
});
