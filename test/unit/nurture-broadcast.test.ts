import { describe, expect, it } from 'vitest';
import type { Suppression } from '../../functions/core/consent/suppression';
import type { LeadState } from '../../functions/core/leads/lead';
import {
  type Broadcast,
  type BroadcastDeps,
  broadcastIdFor,
  previewBroadcast,
  processBroadcastPage,
  type Segment,
} from '../../functions/core/nurture/broadcast';
import { verdict } from '../../functions/core/nurture/broadcast-rules';
import { MemoryBroadcastStore } from '../fixtures/memory-broadcasts';
import { factsPages, suppressionsOf } from '../fixtures/segment-facts-pages';

const previewDeps = (leads: LeadState[]) => ({
  segmentFacts: factsPages(leads),
  suppressions: suppressionsOf([]),
});

const at = '2026-11-27T15:00:00.000Z';
const segment: Segment = { stages: ['subscriber'], consent: true };

const lead = (n: number, overrides: Partial<LeadState> = {}): LeadState => ({
  leadId: `ld_${String(n).padStart(24, '0')}`,
  email: `lead-${n}@example.com`,
  stage: 'subscriber',
  profile: {},
  marketingConsent: { granted: true, at, source: 'form:newsletter' },
  createdAt: at,
  updatedAt: at,
  version: 1,
  aggregate: { rules: {}, applied: [] } as unknown as LeadState['aggregate'],
  score: null,
  ...overrides,
});

/** In-memory ports: leads (a write can be made to lose `busy` times), suppressions, broadcasts, pages. */
function fakes(all: LeadState[], options: { busy?: number; suppressed?: string[] } = {}) {
  const items = new Map(all.map((l) => [l.leadId, l]));
  let busy = options.busy ?? 0;
  const slept: number[] = [];
  const requested: (string | null)[] = [];
  const stored = new Map<string, Broadcast>();
  const deps: BroadcastDeps = {
    leads: {
      load: async (id) => structuredClone(items.get(id)),
      replace: async (next, expected) => {
        if (busy > 0 || items.get(next.leadId)?.version !== expected) {
          busy -= 1;
          return false;
        }
        items.set(next.leadId, next);
        return true;
      },
      page: async (cursor, limit) => {
        const from = cursor ? Number(cursor) : 0;
        const leads = all.slice(from, from + limit);
        return { leads, cursor: from + limit < all.length ? String(from + limit) : null };
      },
    },
    suppressions: {
      lookup: async (email) =>
        options.suppressed?.includes(email)
          ? ({ reason: 'bounced', at, source: 'ses:bounce' } as Suppression)
          : undefined,
    },
    broadcasts: new MemoryBroadcastStore(stored),
    requestPage: async (_id, cursor) => {
      requested.push(cursor);
    },
    clock: { now: () => new Date(at) },
    sleep: async (ms) => {
      slept.push(ms);
    },
  };
  const broadcast: Broadcast = {
    broadcastId: 'bc_01JDQ7ZK3M4N5P6Q7R8S9T0V1W',
    template: 'spring-sale',
    segment,
    sendAt: at,
    ignoreSendWindow: false,
    createdAt: at,
    createdBy: 'test',
    status: 'running',
    cursor: null,
    pages: 0,
    scanned: 0,
    enrolled: 0,
    excluded: { suppressed: 0, noConsent: 0, ownedBySales: 0, test: 0 },
  };
  stored.set(broadcast.broadcastId, broadcast);
  return { deps, items, slept, requested, broadcast };
}

describe('broadcast ids', () => {
  it('derives the same id from a caller and Idempotency-Key as before the split (retries across deploys)', () => {
    expect(broadcastIdFor('marketing', 'key-1', 'unused')).toBe('bc_E9FDPGT2MKZK8ES2TJEE3NDNFQ');
    expect(broadcastIdFor('ops', 'Idem 7f3c2a', 'unused')).toBe('bc_H09NWQPSDWQGRE1ZFG6R8A2XVV');
    expect(broadcastIdFor('marketing', undefined, 'bc_fresh')).toBe('bc_fresh');
  });
});

describe('broadcast rules', () => {
  it('counts a lead under the first reason that excludes it: test, consent, sales, suppression', async () => {
    const suppressed = async () => ({ reason: 'bounced', at, source: 'ses:bounce' }) as Suppression;
    const none = async () => undefined;

    expect(await verdict(lead(1, { stage: 'customer' }), segment, suppressed)).toBe('outside');
    expect(await verdict(lead(1, { test: true, marketingConsent: undefined }), segment, suppressed)).toBe(
      'test',
    );
    expect(await verdict(lead(1, { marketingConsent: undefined }), segment, suppressed)).toBe('noConsent');
    expect(await verdict(lead(1, { handoff: { status: 'queued' } as never }), segment, suppressed)).toBe(
      'ownedBySales',
    );
    expect(await verdict(lead(1), segment, suppressed)).toBe('suppressed');
    expect(await verdict(lead(1), segment, none)).toBe('recipient');
  });
});

describe('a broadcast page', () => {
  it('enrolls the recipients, counts the rest, and queues the next page', async () => {
    const leads = [
      lead(1),
      lead(2, { marketingConsent: undefined }),
      lead(3),
      lead(4, { stage: 'customer' }),
    ];
    const { deps, items, requested, broadcast } = fakes(leads, { suppressed: ['lead-3@example.com'] });

    const count = await processBroadcastPage(deps, broadcast.broadcastId, null);

    expect(count).toMatchObject({ scanned: 4, enrolled: 1, excluded: { noConsent: 1, suppressed: 1 } });
    expect(
      items.get(lead(1).leadId)?.nurture?.enrollments[`broadcast:${broadcast.broadcastId}`],
    ).toMatchObject({
      dueAt: at,
      broadcast: { id: broadcast.broadcastId, template: 'spring-sale' },
    });
    expect(requested).toEqual([]);
  });

  it('reads a busy lead again after a growing backoff through the injected sleep', async () => {
    const { deps, slept, broadcast } = fakes([lead(1)], { busy: 2 });

    const count = await processBroadcastPage(deps, broadcast.broadcastId, null);

    expect(count?.enrolled).toBe(1);
    expect(slept).toHaveLength(2);
    expect(slept[0]).toBeGreaterThanOrEqual(5);
    expect(slept[0]).toBeLessThan(15);
    expect(slept[1]).toBeGreaterThanOrEqual(10);
    expect(slept[1]).toBeLessThan(30);
  });

  it('gives up on a lead that keeps changing after eight writes (the message is retried)', async () => {
    const { deps, slept, broadcast } = fakes([lead(1)], { busy: 100 });

    await expect(processBroadcastPage(deps, broadcast.broadcastId, null)).rejects.toThrow(/kept changing/);
    expect(slept).toHaveLength(8);
  });
});

describe('a broadcast preview', () => {
  it('stops when its time budget is spent, by the injected clock, and says it is incomplete', async () => {
    const leads = Array.from({ length: 350 }, (_, i) => lead(i + 1));
    let now = Date.parse(at);
    const clock = {
      now: () => {
        const current = new Date(now);
        now += 15_000;
        return current;
      },
    };

    const preview = await previewBroadcast({ ...previewDeps(leads), clock }, segment);

    // Started at 0 s; the first page asked at 15 s, the second at 45 s: past the 20-s budget.
    expect(preview).toMatchObject({ recipients: 100, scanned: 100, complete: false });
  });

  it('counts every page when there is time', async () => {
    const leads = Array.from({ length: 250 }, (_, i) => lead(i + 1));

    const preview = await previewBroadcast(
      { ...previewDeps(leads), clock: { now: () => new Date(at) } },
      segment,
    );

    expect(preview).toMatchObject({ recipients: 250, scanned: 250, complete: true });
  });

  it('says why each left-out lead is left out, the same with the suppression list read whole or a page at a time', async () => {
    const leads = [
      lead(1),
      lead(2, { stage: 'mql' }),
      lead(3, { test: true }),
      lead(4, { marketingConsent: { granted: false, at, source: 'unsubscribe' } }),
      lead(5, { handoff: { status: 'sent' } as LeadState['handoff'] }),
      lead(6),
      lead(7, { handoff: { status: 'closed' } as LeadState['handoff'] }),
    ];
    for (const indexed of [true, false]) {
      const preview = await previewBroadcast(
        {
          segmentFacts: factsPages(leads, 3),
          suppressions: suppressionsOf(['lead-6@example.com'], indexed),
          clock: { now: () => new Date(at) },
        },
        segment,
      );
      expect(preview).toEqual({
        recipients: 2,
        excluded: { test: 1, noConsent: 1, ownedBySales: 1, suppressed: 1 },
        scanned: 7,
        complete: true,
      });
    }
  });
});
