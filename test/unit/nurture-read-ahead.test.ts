import { describe, expect, it } from 'vitest';
import type { Suppression } from '../../functions/core/consent/suppression';
import type { LeadState } from '../../functions/core/leads/lead';
import type { SendDeps } from '../../functions/core/nurture/send-ports';
import { answeredOnce, READ_AHEAD_MAX_AGE_MS, readAhead } from '../../functions/core/nurture/send-read-ahead';

const at = '2026-12-03T15:00:00.000Z';
const lead = (n: number, due: boolean): LeadState => ({
  leadId: `ld_00000000000000000000000${n}`,
  email: `ada${n}@example.com`,
  stage: 'subscriber',
  profile: {},
  createdAt: at,
  updatedAt: at,
  version: 1,
  aggregate: { rules: {}, applied: [] } as unknown as LeadState['aggregate'],
  score: null,
  nurture: {
    enrollments: due
      ? {
          welcome: { sequenceId: 'welcome', number: 1, status: 'active', enrolledAt: at, step: 0, dueAt: at },
        }
      : {},
    sent: [],
    seen: [],
  },
});

const bounced: Suppression = { reason: 'bounced', at, source: 'ses:bounce' };

/** Deps whose batch reads answer from memory and record what they were asked. */
function deps(leads: LeadState[], suppressed: Record<string, Suppression>, now = at) {
  const asked = { leads: [] as string[][], emails: [] as string[][], lookups: [] as string[] };
  const send = {
    clock: { now: () => new Date(now) },
    suppressions: {
      async lookup(email: string) {
        asked.lookups.push(email);
        return suppressed[email];
      },
    },
    readAhead: {
      async leads(ids: readonly string[]) {
        asked.leads.push([...ids]);
        return leads.filter((l) => ids.includes(l.leadId));
      },
      async suppressions(emails: readonly string[]) {
        asked.emails.push([...emails]);
        return new Map(emails.flatMap((e) => (suppressed[e] ? [[e, suppressed[e]] as const] : [])));
      },
    },
  } as unknown as SendDeps;
  return { send, asked };
}

describe('send-email read-ahead', () => {
  it('reads leads once and looks up only the addresses of leads with a step due', async () => {
    const leads = [lead(1, true), lead(2, false), lead(3, true)];
    const { send, asked } = deps(leads, { 'ada3@example.com': bounced });
    const ahead = await readAhead(send, [
      'ld_000000000000000000000001',
      'ld_000000000000000000000002',
      'ld_000000000000000000000003',
      'ld_000000000000000000000001',
    ]);
    expect(asked.leads).toEqual([
      ['ld_000000000000000000000001', 'ld_000000000000000000000002', 'ld_000000000000000000000003'],
    ]);
    expect(asked.emails).toEqual([['ada1@example.com', 'ada3@example.com']]);
    const now = new Date(at);
    expect(ahead?.take('ld_000000000000000000000003', now)).toEqual({
      lead: leads[2],
      suppression: { entry: bounced },
    });
    expect(ahead?.take('ld_000000000000000000000001', now)).toEqual({
      lead: leads[0],
      suppression: { entry: undefined },
    });
    expect(ahead?.take('ld_000000000000000000000002', now)).toEqual({ lead: leads[1] });
    // Once per lead: a second job for the same lead reads the store.
    expect(ahead?.take('ld_000000000000000000000001', now)).toBeUndefined();
  });

  it('hands out nothing older than its maximum age', async () => {
    const { send } = deps([lead(1, true), lead(2, true)], {});
    const ahead = await readAhead(send, ['ld_000000000000000000000001', 'ld_000000000000000000000002']);
    const late = new Date(Date.parse(at) + READ_AHEAD_MAX_AGE_MS + 1);
    expect(ahead?.take('ld_000000000000000000000001', late)).toBeUndefined();
    expect(
      ahead?.take('ld_000000000000000000000002', new Date(Date.parse(at) + READ_AHEAD_MAX_AGE_MS)),
    ).toBeDefined();
  });

  it('reads nothing ahead for a single job or without the port', async () => {
    const { send, asked } = deps([lead(1, true)], {});
    expect(await readAhead(send, ['ld_000000000000000000000001'])).toBeUndefined();
    expect(
      await readAhead({ ...send, readAhead: undefined }, [
        'ld_000000000000000000000001',
        'ld_000000000000000000000002',
      ]),
    ).toBeUndefined();
    expect(asked.leads).toEqual([]);
  });

  it('answers the lead’s own address once from the read-ahead, every other look-up from the store', async () => {
    const { send, asked } = deps([], { 'ada1@example.com': bounced });
    const part = { lead: lead(1, true), suppression: { entry: undefined } };
    const suppressions = answeredOnce(send.suppressions, part);
    expect(await suppressions.lookup('ada1@example.com')).toBeUndefined();
    expect(asked.lookups).toEqual([]);
    expect(await suppressions.lookup('ada1@example.com')).toEqual(bounced);
    expect(await suppressions.lookup('other@example.com')).toBeUndefined();
    expect(asked.lookups).toEqual(['ada1@example.com', 'other@example.com']);
    expect(answeredOnce(send.suppressions, { lead: lead(1, false) })).toBe(send.suppressions);
  });
});
