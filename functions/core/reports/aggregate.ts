import type { Clock } from '../kernel/clock';
import type { Activity } from '../leads/lead';
import type {
  BatchIncrement,
  EventArchive,
  ReportBatch,
  ReportCursors,
  RollupStore,
  UnreportedEntries,
} from './ports';
import type { Increment, LeadContext, ReportDefinition } from './report';

export interface AggregatorDeps {
  entries: UnreportedEntries;
  cursors: ReportCursors;
  rollups: RollupStore;
  archive: EventArchive;
  definitions: readonly ReportDefinition[];
  clock: Clock;
  timeZone: string;
}

export interface AggregateOptions {
  shards: number;
  /** Entries per batch (one cursor item holds the batch: keep it well under 400 KB). */
  batchSize: number;
  /** Batches per shard per run: the rest waits for the next tick. */
  maxBatches: number;
}

export interface AggregateResult {
  batches: number;
  entries: number;
  /** Batches another run proposed first (this run applied them too: harmless). */
  contended: number;
}

/** Every increment of one entry over every report (what a recount applies naively too). */
export function incrementsOf(
  definitions: readonly ReportDefinition[],
  entry: Activity,
  lead: LeadContext | undefined,
  timeZone: string,
): Increment[] {
  return definitions.flatMap((definition) => definition.increments(entry, lead, timeZone));
}

const rowKey = (increment: Increment) => `${increment.report}\u0000${increment.day}\u0000${increment.dims}`;

/** Increments summed per row (report, day, dims). */
export function sumRows(increments: readonly Increment[]): Increment[] {
  const summed = new Map<string, Increment>();
  for (const increment of increments) {
    const key = rowKey(increment);
    const row = summed.get(key) ?? {
      report: increment.report,
      day: increment.day,
      dims: increment.dims,
      counts: {},
    };
    for (const [name, value] of Object.entries(increment.counts))
      row.counts[name] = (row.counts[name] ?? 0) + value;
    summed.set(key, row);
  }
  return [...summed.values()];
}

/** Increments of a batch: without a once-key summed per row; with one, kept apart with their entry. */
export function batchIncrements(perEntry: { entry: Activity; increments: Increment[] }[]): BatchIncrement[] {
  const plain = perEntry.flatMap(({ increments }) => increments.filter((increment) => !increment.once));
  const once = perEntry.flatMap(({ entry, increments }) =>
    increments
      .filter((increment) => increment.once)
      .map((increment) => ({ ...increment, owner: entry.activityId })),
  );
  return [...sumRows(plain), ...once];
}

/**
 * Counts timeline entries into the report rollups, exactly once, without transactions.
 * Input: the ports; output: what was counted. Per shard, up to `maxBatches` times:
 * 1. Read the shard's cursor.
 * 2. No batch pending: read up to `batchSize` uncounted entries and their leads' context and
 *    archive keys, compute the increments, and write them as batch seq+1 into the cursor
 *    (conditional: one run wins). The raw entries go to the event archive (same shard+seq, same
 *    object; each lead pseudonymized with its own archive key, which an erase deletes).
 * 3. Apply the batch: claim once-keys (a marker owned by the entry), then add each row under the
 *    shard's high-water mark (a row already at this seq adds nothing).
 * 4. Take the batch's entries off the uncounted index, then complete the batch in the cursor.
 * A crash anywhere resumes at step 3 with the same batch.
 */
export async function aggregateReports(
  deps: AggregatorDeps,
  options: AggregateOptions,
): Promise<AggregateResult> {
  const result: AggregateResult = { batches: 0, entries: 0, contended: 0 };
  const shards = Array.from({ length: options.shards }, (_, shard) => shard);
  const runs = await Promise.allSettled(shards.map((shard) => aggregateShard(deps, options, shard, result)));
  const failed = runs.find((run) => run.status === 'rejected');
  if (failed) throw failed.reason;
  return result;
}

async function aggregateShard(
  deps: AggregatorDeps,
  options: AggregateOptions,
  shard: number,
  result: AggregateResult,
): Promise<void> {
  for (let round = 0; round < options.maxBatches; round += 1) {
    const cursor = await deps.cursors.read(shard);
    let batch = cursor.pending;
    if (batch) {
      // Resumed after a crash (or another run's batch): archive again (idempotent), then apply.
      const entries = await deps.entries.read(batch.entries);
      const { archiveKeys } = await deps.entries.batchLeads(leadIdsOf(entries));
      await deps.archive.put({ shard, seq: batch.seq, entries, keys: archiveKeys });
    } else {
      const entries = await deps.entries.next(shard, options.batchSize);
      if (entries.length === 0) {
        await deps.cursors.checked(shard, deps.clock.now().toISOString());
        return;
      }
      const leads = await deps.entries.batchLeads(leadIdsOf(entries));
      batch = await proposeBatch(deps, shard, cursor.seq + 1, entries, leads.contexts);
      if (!batch) {
        result.contended += 1;
        continue;
      }
      await deps.archive.put({ shard, seq: batch.seq, entries, keys: leads.archiveKeys });
    }
    await applyBatch(deps, shard, batch);
    await deps.entries.markCounted(batch.entries);
    await deps.cursors.complete(shard, batch.seq, deps.clock.now().toISOString());
    result.batches += 1;
    result.entries += batch.entries.length;
    // A short fresh batch emptied the shard; a resumed one may have left newer entries waiting.
    if (!cursor.pending && batch.entries.length < options.batchSize) return;
  }
}

const leadIdsOf = (entries: Activity[]) => [...new Set(entries.map((entry) => entry.leadId))];

async function proposeBatch(
  deps: AggregatorDeps,
  shard: number,
  seq: number,
  entries: Activity[],
  leads: ReadonlyMap<string, LeadContext>,
): Promise<ReportBatch | undefined> {
  const batch: ReportBatch = {
    seq,
    entries: entries.map(({ leadId, activityId }) => ({ leadId, activityId })),
    increments: batchIncrements(
      entries.map((entry) => ({
        entry,
        increments: incrementsOf(deps.definitions, entry, leads.get(entry.leadId), deps.timeZone),
      })),
    ),
    createdAt: deps.clock.now().toISOString(),
  };
  return (await deps.cursors.propose(shard, batch)) ? batch : undefined;
}

/**
 * Step 3: once-keys first (the batch's first entry carrying a key claims it; its increments with
 * that key count when the claim holds, every other entry's add nothing), then every row.
 */
export async function applyBatch(deps: Pick<AggregatorDeps, 'rollups'>, shard: number, batch: ReportBatch) {
  const counted: Increment[] = [];
  const claims = new Map<string, { owner: string; won: boolean }>();
  for (const increment of batch.increments) {
    const { once, owner, ...plain } = increment;
    if (!once || !owner) {
      counted.push(plain);
      continue;
    }
    let claim = claims.get(once);
    if (!claim) {
      claim = { owner, won: await deps.rollups.claimOnce(once, owner) };
      claims.set(once, claim);
    }
    if (claim.won && claim.owner === owner) counted.push(plain);
  }
  // Rows are independent items: add them a few at a time (each is its own conditional update).
  const rows = sumRows(counted);
  for (let start = 0; start < rows.length; start += ADDS_AT_ONCE)
    await Promise.all(
      rows.slice(start, start + ADDS_AT_ONCE).map((row) => deps.rollups.add(shard, batch.seq, row)),
    );
}

const ADDS_AT_ONCE = 10;
