import { describe, expect, it } from 'vitest';
import { type DueIndex, type DueLead, queueDueSteps } from '../../functions/core/nurture/queue-due';

/** An in-memory due index: entries per shard, oldest first; a lease removes the entry (it moves past now). */
function fakeIndex(perShard: number[]): DueIndex & { leased: string[] } {
  const shards = perShard.map((n, shard) =>
    Array.from({ length: n }, (_, i) => ({ leadId: `ld_s${shard}_${i}`, indexKey: `k${i}` })),
  );
  const leased: string[] = [];
  return {
    shards: shards.length,
    leased,
    async due(shard, _now, limit, cursor) {
      const from = Number(cursor?.offset ?? 0);
      const entries = (shards[shard] ?? []).slice(from, from + limit);
      const next = from + entries.length;
      return { leads: entries, cursor: next < (shards[shard]?.length ?? 0) ? { offset: next } : undefined };
    },
    async lease(lead: DueLead) {
      leased.push(lead.leadId);
      return true;
    },
  };
}

const options = (maxLeads: number) => ({
  now: new Date('2026-11-27T10:00:00.000Z'),
  leaseSeconds: 900,
  pageSize: 100,
  maxLeads,
});

describe('tick: queueing due steps', () => {
  it('queues every due lead once when the budget allows', async () => {
    const index = fakeIndex([3, 0, 250, 1]);
    const queued: string[] = [];
    const result = await queueDueSteps(
      index,
      { enqueue: async (ids) => void queued.push(...ids) },
      options(1000),
    );
    expect(result.queued).toBe(254);
    expect(new Set(queued).size).toBe(254);
  });

  it('lets no shard starve behind another shard’s backlog: each gets its fair share first', async () => {
    const index = fakeIndex([2000, 0, 0, 0, 0, 1, 0, 0]);
    const queued: string[] = [];
    const result = await queueDueSteps(
      index,
      { enqueue: async (ids) => void queued.push(...ids) },
      options(600),
    );
    expect(result.queued).toBe(600);
    expect(queued).toContain('ld_s5_0');
    // The rest of the budget goes to the backlog, oldest first.
    expect(queued.filter((id) => id.startsWith('ld_s0_'))).toEqual(
      Array.from({ length: 599 }, (_, i) => `ld_s0_${i}`),
    );
  });
});
