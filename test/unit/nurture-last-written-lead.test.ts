import { describe, expect, it } from 'vitest';
import type { Activity, LeadState } from '../../functions/core/leads/lead';
import { LastWrittenLead } from '../../functions/core/nurture/last-written-lead';
import type { SendLeads } from '../../functions/core/nurture/send-ports';

/** An in-memory lead store that counts reads and refuses a write on a stale version. */
function memoryLeads(initial: LeadState) {
  const items = new Map([[initial.leadId, initial]]);
  const store = {
    reads: 0,
    puts: [] as Activity[],
    async load(leadId: string) {
      store.reads += 1;
      return structuredClone(items.get(leadId));
    },
    async replace(lead: LeadState, expectedVersion: number) {
      if (items.get(lead.leadId)?.version !== expectedVersion) return false;
      items.set(lead.leadId, structuredClone(lead));
      return true;
    },
    async putActivity(activity: Activity) {
      store.puts.push(activity);
      return { duplicate: false };
    },
    async hasActivity() {
      return false;
    },
    /** Someone else writes the lead. */
    bump(leadId: string) {
      const lead = items.get(leadId) as LeadState;
      items.set(leadId, { ...lead, version: lead.version + 1 });
    },
  } satisfies SendLeads & Record<string, unknown>;
  return store;
}

const at = '2026-11-27T15:00:00.000Z';
const lead: LeadState = {
  leadId: 'ld_000000000000000000000001',
  email: 'ada@example.com',
  stage: 'subscriber',
  profile: {},
  createdAt: at,
  updatedAt: at,
  version: 1,
  aggregate: { rules: {}, applied: [] } as unknown as LeadState['aggregate'],
  score: null,
  nurture: { enrollments: {}, sent: [], seen: [] },
};
const entry: Activity = {
  activityId: 'act_1',
  leadId: lead.leadId,
  type: 'email_skipped',
  at,
  source: 'nurture',
};

describe('LastWrittenLead', () => {
  it('answers the next read of a lead with the copy it just wrote, once, then reads the store', async () => {
    const store = memoryLeads(lead);
    const leads = new LastWrittenLead(store);
    const next = { ...lead, version: 2 };

    expect(await leads.replace(next, 1)).toBe(true);
    expect(await leads.load(lead.leadId)).toBe(next);
    expect(store.reads).toBe(0);
    expect(await leads.load(lead.leadId)).toEqual(next);
    expect(store.reads).toBe(1);
  });

  it('forgets the copy when a write loses, so the next read sees the other writer', async () => {
    const store = memoryLeads(lead);
    const leads = new LastWrittenLead(store);
    await leads.replace({ ...lead, version: 2 }, 1);
    store.bump(lead.leadId);

    expect(await leads.replace({ ...lead, version: 3 }, 1)).toBe(false);
    expect((await leads.load(lead.leadId))?.version).toBe(3);
    expect(store.reads).toBe(1);
  });

  it('drops the outbox from the copy once its entries are stored (the next round stores nothing again)', async () => {
    const store = memoryLeads(lead);
    const leads = new LastWrittenLead(store);
    const next: LeadState = {
      ...lead,
      version: 2,
      nurture: { enrollments: {}, sent: [], seen: [], outbox: [entry] },
    };
    await leads.replace(next, 1);

    leads.outboxStored(lead.leadId);

    const read = await leads.load(lead.leadId);
    expect(read?.version).toBe(2);
    expect(read?.nurture?.outbox).toBeUndefined();
    expect(next.nurture?.outbox).toEqual([entry]);
    expect(store.reads).toBe(0);
  });

  it('never answers a read of another lead with the copy', async () => {
    const store = memoryLeads(lead);
    const leads = new LastWrittenLead(store);
    await leads.replace({ ...lead, version: 2 }, 1);

    expect(await leads.load('ld_000000000000000000000002')).toBeUndefined();
    expect(store.reads).toBe(1);
  });
});
