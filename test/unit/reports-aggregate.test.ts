import { describe, expect, it } from 'vitest';
import { reportShard } from '../../functions/adapters/dynamodb/lead-item';
import type { Activity } from '../../functions/core/leads/lead';
import { type AggregatorDeps, aggregateReports } from '../../functions/core/reports/aggregate';
import { reportDefinitions } from '../../functions/core/reports/definitions';
import { recount } from '../../functions/core/reports/recount';
import type { LeadContext } from '../../functions/core/reports/report';
import { fixedClock } from '../fixtures/fakes';
import { MemoryReports, memoryPorts } from '../fixtures/report-fakes';

const definitions = Object.values(reportDefinitions({ slaMinutes: 15 }));
const TZ = 'Europe/Berlin';
const OPTIONS = { shards: 4, batchSize: 7, maxBatches: 50 };

/** A seeded workload: leads captured, scored, handed off, claimed, won, mailed (opens repeat). */
function workload(seed: number, leads: number): { entries: Activity[]; contexts: LeadContext[] } {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const entries: Activity[] = [];
  const contexts: LeadContext[] = [];
  for (let n = 0; n < leads; n += 1) {
    const leadId = `ld_${seed}_${n.toString(16).padStart(4, '0')}`;
    const start = Date.parse('2026-11-01T08:00:00Z') + Math.floor(random() * 20) * 86_400_000;
    const at = (hours: number) => new Date(start + hours * 3_600_000).toISOString();
    const source = random() < 0.5 ? 'google' : 'newsletter';
    contexts.push({
      leadId,
      createdAt: at(0),
      firstTouch: { source, campaign: 'spring', formId: 'demo-request' },
    });
    const entry = (i: number, type: string, hours: number, rest: Partial<Activity> = {}): Activity => ({
      activityId: `act_${leadId}_${i}`,
      leadId,
      type,
      at: at(hours),
      source: 'form:demo-request',
      ...rest,
    });
    entries.push(
      entry(0, 'form_submitted', 0, { attribution: { utm_source: source }, effect: { created: 'lead' } }),
    );
    const messageId = `msg_${leadId}`;
    const mail = { sequenceId: 'welcome', step: 'hello', templateId: 'welcome-1', messageId };
    entries.push(entry(1, 'email_sent', 0.1, { properties: mail }));
    for (let open = 0; open < Math.floor(random() * 3); open += 1)
      entries.push(entry(10 + open, 'email_opened', 1 + open, { properties: mail }));
    if (random() < 0.6) {
      const hot = {
        total: 60 + Math.floor(random() * 60),
        grade: random() < 0.5 ? 'A' : 'B',
        modelVersion: 2,
        rules: ['trial'],
      };
      entries.push(
        entry(2, 'trial_started', 5, { effect: { stage: { from: 'lead', to: 'mql' }, handoff: 1, hot } }),
      );
      const props = { handoff: 1, becameHotAt: at(5), rep: 'ravi' };
      entries.push(entry(3, 'sales_claimed', 5.1 + random(), { source: 'sales:ravi', properties: props }));
      if (random() < 0.5) {
        entries.push(
          entry(4, 'sales_won', 30, {
            source: 'sales:ravi',
            properties: { handoff: 1, rep: 'ravi', handoffScore: hot, claimedAt: at(5.5) },
            effect: { stage: { from: 'mql', to: 'customer' } },
          }),
        );
      }
    }
  }
  return { entries, contexts };
}

function setup(seed: number, leads: number) {
  const memory = new MemoryReports(reportShard);
  const { entries, contexts } = workload(seed, leads);
  for (const context of contexts) memory.contexts.set(context.leadId, context);
  const deps: AggregatorDeps = {
    ...memoryPorts(memory),
    definitions,
    clock: fixedClock('2026-12-01T00:00:00.000Z'),
    timeZone: TZ,
  };
  return { memory, deps, entries, contexts };
}

function stored(memory: MemoryReports) {
  return [...memory.rows.values()]
    .map(({ report, day, dims, counts }) => ({ report, day, dims, counts: sorted(counts) }))
    .sort((a, b) => `${a.report}${a.day}${a.dims}`.localeCompare(`${b.report}${b.day}${b.dims}`));
}
function expected(entries: Activity[], contexts: LeadContext[]) {
  return recount(definitions, entries, new Map(contexts.map((c) => [c.leadId, c])), TZ)
    .map(({ report, day, dims, counts }) => ({ report, day, dims, counts: sorted(counts) }))
    .sort((a, b) => `${a.report}${a.day}${a.dims}`.localeCompare(`${b.report}${b.day}${b.dims}`));
}
const sorted = (counts: Record<string, number>) =>
  Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));

describe('aggregateReports', () => {
  it('counts every timeline entry once: the rollups equal a naive recount', async () => {
    const { memory, deps, entries, contexts } = setup(7, 12);
    for (const entry of entries) memory.write(entry);
    const result = await aggregateReports(deps, OPTIONS);
    expect(result.entries).toBe(entries.length);
    expect(stored(memory)).toEqual(expected(entries, contexts));
    expect(stored(memory).length).toBeGreaterThan(20);
    // Nothing left: a second run counts nothing.
    expect((await aggregateReports(deps, OPTIONS)).entries).toBe(0);
  });

  it('counts exactly once after a crash at any port call, resumed by the next run, with entries arriving in between', async () => {
    const probe = setup(11, 8);
    const firstWave = probe.entries.filter((_, i) => i % 3 !== 0);
    for (const entry of firstWave) probe.memory.write(entry);
    await aggregateReports(probe.deps, OPTIONS);
    const calls = probe.memory.calls;
    expect(calls).toBeGreaterThan(30);
    for (let crashAt = 1; crashAt <= calls; crashAt += 1) {
      const { memory, deps, entries, contexts } = setup(11, 8);
      for (const entry of firstWave) memory.write(entry);
      memory.crashAt = crashAt;
      await aggregateReports(deps, OPTIONS).catch(() => undefined);
      memory.crashAt = undefined;
      for (const entry of entries) memory.write(entry);
      await aggregateReports(deps, OPTIONS);
      expect(stored(memory), `crash at call ${crashAt}`).toEqual(expected(entries, contexts));
    }
  });

  it('counts once when two runs race over the same shards', async () => {
    const { memory, deps, entries, contexts } = setup(5, 10);
    for (const entry of entries) memory.write(entry);
    const [a, b] = await Promise.all([aggregateReports(deps, OPTIONS), aggregateReports(deps, OPTIONS)]);
    await aggregateReports(deps, OPTIONS);
    expect(stored(memory)).toEqual(expected(entries, contexts));
    expect(a.entries + b.entries).toBeGreaterThanOrEqual(entries.length);
  });

  it('counts a unique open once per message, however many opens and batches it spans', async () => {
    const { memory, deps, entries } = setup(3, 6);
    for (const entry of entries) memory.write(entry);
    await aggregateReports(deps, { ...OPTIONS, batchSize: 1 });
    const opened = [...memory.rows.values()]
      .filter((row) => row.report === 'email')
      .reduce((sum, row) => sum + (row.counts.opened ?? 0), 0);
    const messages = new Set(
      entries.filter((entry) => entry.type === 'email_opened').map((entry) => entry.properties?.messageId),
    );
    expect(opened).toBe(messages.size);
    expect(messages.size).toBeGreaterThan(0);
  });

  it('hands each batch to the event archive under its shard and seq', async () => {
    const { memory, deps, entries } = setup(9, 5);
    for (const entry of entries) memory.write(entry);
    await aggregateReports(deps, OPTIONS);
    const archived = [...memory.archived.values()].flat().sort();
    expect(archived).toEqual(entries.map((entry) => entry.activityId).sort());
  });

  it('hands the archive each lead’s archive key, and none for a lead gone (erased)', async () => {
    const { memory, deps, entries, contexts } = setup(9, 5);
    const erased = contexts[0]?.leadId as string;
    memory.contexts.delete(erased);
    for (const entry of entries) memory.write(entry);
    await aggregateReports(deps, OPTIONS);
    expect(memory.archivedKeys.size).toBe(entries.length);
    for (const entry of entries)
      expect(memory.archivedKeys.get(entry.activityId), entry.activityId).toBe(
        entry.leadId === erased ? undefined : memory.archiveKeys.get(entry.leadId),
      );
    expect(memory.archiveKeys.has(erased)).toBe(false);
    expect(entries.some((entry) => entry.leadId === erased)).toBe(true);
  });
});
