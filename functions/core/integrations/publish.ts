import { eventsOf } from './entry-events';
import type { IntegrationEvent } from './events';
import type { DeliveryMessage, DeliveryQueue, DestinationDirectory, UnpublishedEntries } from './ports';

export interface FanOutDeps {
  destinations: Pick<DestinationDirectory, 'active'>;
  queue: Pick<DeliveryQueue, 'enqueue'>;
  clock: { now(): Date };
}

export interface PublishDeps extends FanOutDeps {
  entries: UnpublishedEntries;
}

export interface PublishOptions {
  shards: number;
  /** Entries per read (a Query and a BatchGet). */
  batchSize: number;
  /** Reads per shard per run: the rest waits for the next tick. */
  maxBatches: number;
}

export interface PublishResult {
  entries: number;
  events: number;
  deliveries: number;
}

/** The fan-out messages of events: one per (event, active destination accepting its type). */
export function fanOut(
  events: readonly IntegrationEvent[],
  targets: readonly { id: string; accepts(type: IntegrationEvent['type']): boolean }[],
  at: Date,
): DeliveryMessage[] {
  const firstQueuedAt = at.toISOString();
  return events.flatMap((event) =>
    targets
      .filter((target) => target.accepts(event.type))
      .map((target) => ({ event, destinationId: target.id, attempt: 1, firstQueuedAt })),
  );
}

/**
 * Sends one event that is not on a timeline (`lead.erased` from the erase, `lead.sla_breached`
 * from the SLA watcher) to every active destination accepting it. Returns the messages queued.
 */
export async function publishEvent(deps: FanOutDeps, event: IntegrationEvent): Promise<number> {
  const messages = fanOut([event], await deps.destinations.active(), deps.clock.now());
  if (messages.length > 0) await deps.queue.enqueue(messages);
  return messages.length;
}

/**
 * Publishes the events of new timeline entries, at least once.
 * Input: the ports and how much to do per run. Output: what was published. Per shard:
 * 1. Read up to `batchSize` entries still carrying the "not yet published" key, oldest first.
 * 2. Map each to its events (entry-events.ts) and fan them out: one message per event and active
 *    destination accepting its type, on the integration-deliveries queue.
 * 3. Only then take the entries off the index. A crash between 2 and 3 sends the same events
 *    again next run, with the same ids: receivers dedupe by `webhook-id`; nothing is lost.
 */
export async function publishPending(deps: PublishDeps, options: PublishOptions): Promise<PublishResult> {
  const result: PublishResult = { entries: 0, events: 0, deliveries: 0 };
  const targets = await deps.destinations.active();
  const shards = Array.from({ length: options.shards }, (_, shard) => shard);
  const runs = await Promise.allSettled(
    shards.map(async (shard) => {
      for (let round = 0; round < options.maxBatches; round += 1) {
        const entries = await deps.entries.next(shard, options.batchSize);
        if (entries.length === 0) return;
        const events = entries.flatMap(eventsOf);
        const messages = fanOut(events, targets, deps.clock.now());
        if (messages.length > 0) await deps.queue.enqueue(messages);
        await deps.entries.markPublished(entries.map(({ leadId, activityId }) => ({ leadId, activityId })));
        result.entries += entries.length;
        result.events += events.length;
        result.deliveries += messages.length;
        if (entries.length < options.batchSize) return;
      }
    }),
  );
  const failed = runs.find((run) => run.status === 'rejected');
  if (failed) throw failed.reason;
  return result;
}
