import { describe, expect, it } from 'vitest';
import type { LeadState } from '../../functions/core/leads/lead';
import {
  type BroadcastDeps,
  processBroadcastPage,
  startBroadcast,
} from '../../functions/core/nurture/broadcast';
import { leadPlace, testVariant } from '../../functions/core/nurture/broadcast-ab';
import type { AbTest } from '../../functions/core/nurture/broadcast-bodies';
import { cancelBroadcast, listBroadcasts } from '../../functions/core/nurture/broadcast-lifecycle';
import type { BroadcastCounts } from '../../functions/core/nurture/broadcast-results';
import { broadcastStatus } from '../../functions/core/nurture/broadcast-status';
import { decideAbTests } from '../../functions/core/nurture/broadcast-winner';
import { decideStep } from '../../functions/core/nurture/gate';
import { MemoryBroadcastStore } from '../fixtures/memory-broadcasts';

/** A broadcast's life on a fake clock with in-memory ports: the A/B phases, tick's winner, cancel. */
const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const by = { name: 'Maya', username: 'maya' };
const lead = (n: number): LeadState =>
  ({
    leadId: `ld_${String(n).padStart(24, '0')}`,
    email: `lead-${n}@example.com`,
    stage: 'subscriber',
    profile: {},
    marketingConsent: { granted: true, at: '2026-11-01T00:00:00.000Z', source: 'form:newsletter' },
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    version: 1,
    score: null,
  }) as unknown as LeadState;

function world(count: number) {
  let now = T0;
  const all = Array.from({ length: count }, (_, i) => lead(i));
  const items = new Map(all.map((l) => [l.leadId, l]));
  const queued: [string, string | null][] = [];
  const broadcasts = new MemoryBroadcastStore();
  const deps: BroadcastDeps = {
    leads: {
      load: async (id) => structuredClone(items.get(id)),
      replace: async (next) => Boolean(items.set(next.leadId, next)),
      page: async (cursor, limit) => {
        const from = cursor ? Number(cursor) : 0;
        return {
          leads: all.slice(from, from + limit),
          cursor: from + limit < all.length ? String(from + limit) : null,
        };
      },
    },
    suppressions: { lookup: async () => undefined },
    broadcasts,
    requestPage: async (id, cursor) => {
      queued.push([id, cursor]);
    },
    clock: { now: () => new Date(now) },
    sleep: async () => {},
  };
  const drain = async () => {
    while (queued.length > 0) {
      const [id, cursor] = queued.shift() ?? ['', null];
      await processBroadcastPage(deps, id, cursor);
    }
  };
  return { deps, items, broadcasts, drain, at: (ms: number) => (now = T0 + ms) };
}

const ab: AbTest = {
  variants: [
    { id: 'a', subject: 'A' },
    { id: 'b', template: 'spring-sale-b' },
    { id: 'c', subject: 'C' },
  ],
  testShare: 30,
  metric: 'clicked',
  waitHours: 4,
};

describe('an A/B broadcast on a fake clock', () => {
  it('enrolls the test share by lead hash, waits, lets tick pick the winner from clicks per send, then enrolls the rest with it', async () => {
    const w = world(250);
    const id = 'bc_01KB0000000000000000000000';
    await startBroadcast(
      w.deps,
      {
        broadcastId: id,
        template: 'spring-sale',
        segment: { consent: true },
        sendAt: new Date(T0),
        ignoreSendWindow: true,
        abTest: ab,
      },
      by,
      new Date(T0),
    );
    await w.drain();
    const key = `broadcast:${id}`;
    const enrolled = () => [...w.items.values()].filter((l) => l.nurture?.enrollments[key]);
    const planned = [...w.items.keys()].filter((leadId) => testVariant(ab, leadPlace(id, leadId)));
    expect(
      enrolled()
        .map((l) => l.leadId)
        .sort(),
    ).toEqual(planned.sort());
    for (const l of enrolled())
      expect(l.nurture?.enrollments[key]?.broadcast?.variant).toBe(
        testVariant(ab, leadPlace(id, l.leadId))?.id,
      );
    expect(
      enrolled().find((l) => l.nurture?.enrollments[key]?.broadcast?.variant === 'b')?.nurture?.enrollments[
        key
      ]?.broadcast?.template,
    ).toBe('spring-sale-b');
    const stored = await w.broadcasts.get(id);
    expect(stored).toMatchObject({
      status: 'waiting',
      phase: 'test',
      enrolled: planned.length,
      scanned: 250,
    });
    expect(broadcastStatus(stored as never, new Date(T0))).toBe('running');

    // Clicks per send: c leads (b has more clicks, but more sends too).
    const counts: BroadcastCounts = {
      steps: {
        'variant-a': { sent: 25, clicked: 2 },
        'variant-b': { sent: 30, clicked: 6 },
        'variant-c': { sent: 20, clicked: 5 },
      },
      freshAsOf: null,
    };
    const report = { countsOf: async () => counts };
    w.at(3 * 3_600_000);
    expect(await decideAbTests({ ...w.deps, report })).toEqual({ decided: [] });
    w.at(4 * 3_600_000);
    expect(await decideAbTests({ ...w.deps, report })).toEqual({ decided: [id] });
    expect(await decideAbTests({ ...w.deps, report })).toEqual({ decided: [] });
    await w.drain();
    expect(enrolled()).toHaveLength(250);
    const rest = enrolled().filter((l) => !planned.includes(l.leadId));
    expect(new Set(rest.map((l) => l.nurture?.enrollments[key]?.broadcast?.variant))).toEqual(new Set(['c']));
    expect(await w.broadcasts.get(id)).toMatchObject({
      status: 'done',
      phase: 'rest',
      enrolled: 250,
      scanned: 250,
      abTest: { winner: 'c' },
    });
  });

  it('gives a tie, or no data at all, to the first variant', async () => {
    const w = world(20);
    const id = 'bc_01KB0000000000000000000001';
    await startBroadcast(
      w.deps,
      {
        broadcastId: id,
        template: 'spring-sale',
        segment: { consent: true },
        sendAt: new Date(T0),
        ignoreSendWindow: true,
        abTest: ab,
      },
      by,
      new Date(T0),
    );
    await w.drain();
    w.at(5 * 3_600_000);
    await decideAbTests({ ...w.deps, report: { countsOf: async () => ({ steps: {}, freshAsOf: null }) } });
    expect((await w.broadcasts.get(id))?.abTest?.winner).toBe('a');
  });
});

describe('cancel', () => {
  it('cancels a scheduled broadcast once, keeps who did it, and the send gate ends its enrollments as broadcast_cancelled', async () => {
    const w = world(3);
    const id = 'bc_01KB0000000000000000000002';
    await startBroadcast(
      w.deps,
      {
        broadcastId: id,
        template: 'spring-sale',
        segment: { consent: true },
        sendAt: new Date(T0 + 86_400_000),
        ignoreSendWindow: false,
      },
      by,
      new Date(T0),
    );
    await w.drain();
    expect(
      (await listBroadcasts(w.deps, { status: 'scheduled' }, new Date(T0))).broadcasts.map(
        (b) => b.broadcastId,
      ),
    ).toEqual([id]);
    const cancelled = await cancelBroadcast(w.deps, id, by, new Date(T0 + 1000));
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledBy: by });
    await expect(cancelBroadcast(w.deps, id, by, new Date(T0 + 2000))).rejects.toMatchObject({
      code: 'broadcast_not_cancellable',
    });
    expect((await listBroadcasts(w.deps, { status: 'scheduled' }, new Date(T0))).broadcasts).toEqual([]);
    const decision = decideStep({
      lead: lead(0),
      enrollment: { sequenceId: `broadcast:${id}`, number: 1, status: 'active', enrolledAt: '', step: 0 },
      sequence: { id: `broadcast:${id}`, enabled: true, requireConsent: true, steps: [] },
      settings: {} as never,
      suppression: undefined,
      zone: 'UTC',
      now: new Date(T0),
      broadcastCancelled: true,
    });
    expect(decision).toEqual({ kind: 'end', reason: 'broadcast_cancelled', skip: 'broadcast_cancelled' });
  });
});
