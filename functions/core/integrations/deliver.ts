import { newId } from '../kernel/ids';
import { MAX_ATTEMPTS, mayRetry, RETRY_WINDOW_SECONDS, retryDelaySeconds } from './backoff';
import type { DeliveryResult } from './destination';
import type {
  DeliveryLog,
  DeliveryLogEntry,
  DeliveryMessage,
  DeliveryQueue,
  DestinationDirectory,
  DestinationHealth,
  LeadsAtDelivery,
} from './ports';

/** SQS's longest delay: a longer wait is chained in hops of at most this. */
export const HOP_SECONDS = 900;

export interface DeliverDeps {
  destinations: Pick<DestinationDirectory, 'find'>;
  leads: LeadsAtDelivery;
  queue: DeliveryQueue;
  log: DeliveryLog;
  health: DestinationHealth;
  clock: { now(): Date };
  random: () => number;
  /** The first retry's backoff ceiling in seconds (default 120; doubles each attempt). */
  retryBaseSeconds?: number;
}

export type DeliverOutcome =
  | 'delivered'
  | 'retrying'
  | 'failed'
  | 'dead_lettered'
  | 'waiting'
  | 'dropped'
  | { stopped: 'paused' | 'disabled' };

/**
 * One attempt of one (event, destination) message from integration-deliveries.
 * Input: the message. Output: what came of it (the log holds the details).
 * 1. Not due yet (a retry's wait is longer than one SQS delay): queue it again for the next hop.
 * 2. Load the destination (gone: drop) and, when it is paused, park the message on the DLQ.
 * 3. Load the lead as it is now (nothing personal once erased) and deliver.
 * 4. Log the attempt. Delivered: the destination is healthy again. Otherwise record the failure:
 *    failing a day with no success pauses it (and parks the message); 410 Gone disables it; a
 *    retryable failure is queued again after a backoff with full jitter, same event id, until 12
 *    attempts or a day have gone by, then the DLQ.
 */
export async function deliverMessage(deps: DeliverDeps, message: DeliveryMessage): Promise<DeliverOutcome> {
  const now = deps.clock.now();
  const waitMs = message.notBefore ? Date.parse(message.notBefore) - now.getTime() : 0;
  if (waitMs > 1000) {
    await deps.queue.enqueueLater(message, Math.min(HOP_SECONDS, Math.ceil(waitMs / 1000)));
    return 'waiting';
  }
  const found = await deps.destinations.find(message.destinationId);
  if (!found) return 'dropped';
  if (!found.active) {
    await park(deps, message, { kind: 'rejected', latencyMs: 0, reason: 'endpoint_paused' });
    return 'dead_lettered';
  }
  const lead = await deps.leads.atDelivery(message.event.leadId);
  const result = await found.destination.deliver(message.event, lead, message.attempt);
  const at = deps.clock.now();
  if (result.kind === 'delivered') {
    await deps.health.succeeded(message.destinationId, at.toISOString());
    await deps.log.record(entryOf(message, result, at, 'delivered'));
    return 'delivered';
  }
  const failingSince = await deps.health.failed(message.destinationId, at.toISOString());
  if (result.kind === 'rejected' && result.status === 410) {
    await deps.health.stop(message.destinationId, 'disabled', 'gone_410', at.toISOString());
    await deps.log.record(entryOf(message, result, at, 'failed'));
    return { stopped: 'disabled' };
  }
  if (failingSince && at.getTime() - Date.parse(failingSince) >= RETRY_WINDOW_SECONDS * 1000) {
    await deps.health.stop(message.destinationId, 'paused', 'failing_24h', at.toISOString());
    await park(deps, message, result);
    return { stopped: 'paused' };
  }
  if (result.kind === 'rejected') {
    await deps.log.record(entryOf(message, result, at, 'failed'));
    return 'failed';
  }
  const delay = retryDelaySeconds(
    message.attempt,
    deps.random(),
    result.retryAfterSeconds,
    deps.retryBaseSeconds,
  );
  if (!mayRetry(message.attempt, message.firstQueuedAt, at, delay)) {
    await park(deps, message, result);
    return 'dead_lettered';
  }
  const notBefore = new Date(at.getTime() + delay * 1000).toISOString();
  await deps.queue.enqueueLater(
    { ...message, attempt: message.attempt + 1, notBefore },
    Math.min(HOP_SECONDS, delay),
  );
  await deps.log.record({ ...entryOf(message, result, at, 'retrying'), nextAttemptAt: notBefore });
  return 'retrying';
}

/** Retries used up (or the endpoint paused): the message waits on the DLQ for a replay. */
async function park(deps: DeliverDeps, message: DeliveryMessage, result: DeliveryResult) {
  const at = deps.clock.now();
  await deps.queue.deadLetter(message);
  await deps.log.record(entryOf(message, result, at, 'dead_lettered'));
}

function entryOf(
  message: DeliveryMessage,
  result: DeliveryResult,
  at: Date,
  outcome: DeliveryLogEntry['outcome'],
): DeliveryLogEntry {
  const { notBefore: _n, ...replayable } = message;
  return {
    deliveryId: newId('dlv', at),
    destinationId: message.destinationId,
    eventId: message.event.id,
    eventType: message.event.type,
    attempt: message.attempt,
    at: at.toISOString(),
    outcome,
    ...(result.status !== undefined ? { status: result.status } : {}),
    latencyMs: Math.round(result.latencyMs),
    ...(result.kind !== 'delivered' ? { reason: result.reason } : {}),
    ...(result.excerpt ? { excerpt: result.excerpt.slice(0, 500) } : {}),
    message: replayable,
  };
}

/** A replay (retry route, CLI): the same event id, a fresh attempt count and day. */
export function replayMessage(
  entry: Pick<DeliveryLogEntry, 'message' | 'deliveryId'>,
  now: Date,
): DeliveryMessage {
  const { notBefore: _n, ...message } = entry.message;
  return { ...message, attempt: 1, firstQueuedAt: now.toISOString(), replayOf: entry.deliveryId };
}

export { MAX_ATTEMPTS };
