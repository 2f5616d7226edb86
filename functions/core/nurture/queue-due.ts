/** One entry of the due index: the lead and the index key tick saw (the lease is conditional on it). */
export interface DueLead {
  leadId: string;
  indexKey: string;
}

export interface DueIndex {
  readonly shards: number;
  due(
    shard: number,
    now: string,
    limit: number,
    cursor?: Record<string, unknown>,
  ): Promise<{ leads: DueLead[]; cursor?: Record<string, unknown> }>;
  /** Moves the entry to `until` if it is still the one seen; false when the lead changed meanwhile. */
  lease(lead: DueLead, until: string): Promise<boolean>;
}

export interface EmailJobs {
  /** Queues one send-email job per lead (batched on SQS). */
  enqueue(leadIds: string[]): Promise<void>;
}

export interface QueueDueOptions {
  now: Date;
  /** A queued lead is not queued again before this; a lost job is re-queued after it. */
  leaseSeconds: number;
  pageSize: number;
  /** At most this many leads per run (the rest stay due for the next run). */
  maxLeads: number;
}

export interface QueueDueResult {
  queued: number;
  /** Entries another writer moved between the query and the lease: picked up next time. */
  contended: number;
  pages: number;
}

/**
 * tick's nurture part: pages through every shard of the due index (entries due by now, oldest
 * first within a shard, each shard its fair share of the run's budget first), leases each lead
 * (its entry moves to the lease's end) and queues one send-email job per lead. The lease comes first: a failed queue send leaves the lead leased, and it is
 * queued again when the lease ends — nothing due is lost, at the cost of a delay.
 * Cost is linear in due leads: one Query per page, one UpdateItem per lead, one
 * SendMessageBatch per 10.
 */
export async function queueDueSteps(
  index: DueIndex,
  jobs: EmailJobs,
  options: QueueDueOptions,
): Promise<QueueDueResult> {
  const now = options.now.toISOString();
  const until = new Date(options.now.getTime() + options.leaseSeconds * 1000).toISOString();
  const result: QueueDueResult = { queued: 0, contended: 0, pages: 0 };
  // Under a backlog bigger than one run's budget, no shard may starve: each shard first gets its
  // fair share (oldest first within it), then what is left goes round again; and the shard that
  // starts turns every minute.
  const start = Math.floor(options.now.getTime() / 60_000) % index.shards;
  const order = Array.from({ length: index.shards }, (_, i) => (start + i) % index.shards);
  const fairShare = Math.ceil(options.maxLeads / index.shards);
  const cursors = new Map<number, Record<string, unknown> | undefined>();
  const drained = new Set<number>();
  for (const pass of [fairShare, Number.POSITIVE_INFINITY]) {
    for (const shard of order) {
      if (drained.has(shard)) continue;
      let taken = 0;
      let cursor = cursors.get(shard);
      while (result.queued < options.maxLeads && taken < pass) {
        const limit = Math.min(options.pageSize, options.maxLeads - result.queued, pass - taken);
        const page = await index.due(shard, now, limit, cursor);
        result.pages += 1;
        const leased = await Promise.all(page.leads.map((lead) => index.lease(lead, until)));
        const leadIds = page.leads.filter((_, i) => leased[i]).map((lead) => lead.leadId);
        result.contended += page.leads.length - leadIds.length;
        if (leadIds.length > 0) await jobs.enqueue(leadIds);
        result.queued += leadIds.length;
        taken += page.leads.length;
        cursor = page.cursor;
        if (!cursor) {
          drained.add(shard);
          break;
        }
      }
      cursors.set(shard, cursor);
    }
  }
  return result;
}
