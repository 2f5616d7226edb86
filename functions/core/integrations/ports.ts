import type { Activity } from '../leads/lead';
import type { Destination } from './destination';
import type { IntegrationEvent, LeadAtDelivery } from './events';

/** A timeline entry by its keys. */
export interface EntryRef {
  leadId: string;
  activityId: string;
}

/** Timeline entries standing for events not yet fanned out (the sparse gsi11 index), per shard. */
export interface UnpublishedEntries {
  /** Up to `limit` entries of a shard, oldest first, each read consistently (one already published is left out). */
  next(shard: number, limit: number): Promise<Activity[]>;
  /** Take the entries off the index (idempotent; an entry gone is skipped). */
  markPublished(entries: EntryRef[]): Promise<void>;
}

/** One (event, destination) pair on the integration-deliveries queue: the unit of retry. */
export interface DeliveryMessage {
  event: IntegrationEvent;
  destinationId: string;
  /** The attempt this message is for (1 = the first). */
  attempt: number;
  /** When the first attempt was queued: retries stop a day after it. */
  firstQueuedAt: string;
  /** A retry's next attempt waits until then (a hop of at most 15 minutes at a time). */
  notBefore?: string;
  /** Set by a replay (retry route, CLI): the delivery log entry it replays. */
  replayOf?: string;
}

export interface DeliveryQueue {
  /** Queue the messages now (the fan-out: one per event and destination). */
  enqueue(messages: DeliveryMessage[]): Promise<void>;
  /** Queue one message after `delaySeconds` (≤ 900, SQS's longest delay). */
  enqueueLater(message: DeliveryMessage, delaySeconds: number): Promise<void>;
  /** Park a message whose retries are used up on the dead-letter queue (replay: CLI, retry route). */
  deadLetter(message: DeliveryMessage): Promise<void>;
}

/** What the fan-out needs of a destination: its id and the event types it takes. */
export type FanOutTarget = Pick<Destination, 'id' | 'accepts'>;

/** Every destination events may go to (webhook endpoints, Slack, HubSpot), as the fan-out sees it. */
export interface DestinationDirectory {
  /** Where new events go: active destinations, and endpoints paused after a day of failures (their messages are parked for a redelivery). */
  active(): Promise<FanOutTarget[]>;
  /**
   * One destination to deliver to, and whether it takes deliveries now (a paused endpoint's
   * messages are parked on the DLQ for replay); undefined when it is gone (the message is dropped).
   */
  find(id: string): Promise<{ destination: Destination; active: boolean } | undefined>;
}

/** The lead as destinations see it when an event is delivered: undefined once gone or being erased. */
export interface LeadsAtDelivery {
  atDelivery(leadId: string): Promise<LeadAtDelivery>;
}

/** How a destination has been doing: what pauses an endpoint failing for a day. */
export interface DestinationHealth {
  succeeded(id: string, at: string): Promise<void>;
  /** Records a failure; answers since when it has been failing with no success (this one included). */
  failed(id: string, at: string): Promise<string | undefined>;
  /** Stops an active destination (paused after a day of failures, disabled on 410); false when it was not active. */
  stop(
    id: string,
    status: 'paused' | 'disabled',
    reason: 'failing_24h' | 'gone_410',
    at: string,
  ): Promise<boolean>;
}

export const DELIVERY_OUTCOMES = ['delivered', 'retrying', 'failed', 'dead_lettered'] as const;

/** One attempt in a destination's delivery log (kept 30 days; no request body, no personal data). */
export interface DeliveryLogEntry {
  deliveryId: string;
  destinationId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  at: string;
  outcome: (typeof DELIVERY_OUTCOMES)[number];
  status?: number;
  latencyMs: number;
  reason?: string;
  /** The receiver's answer, at most 500 characters. */
  excerpt?: string;
  nextAttemptAt?: string;
  /** What a replay queues again (the event carries no personal data). */
  message: DeliveryMessage;
}

export interface DeliveryLog {
  record(entry: DeliveryLogEntry): Promise<void>;
  /** Newest first, `limit` at a time; `cursor` continues a page. */
  list(
    destinationId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ entries: DeliveryLogEntry[]; cursor?: string }>;
  get(destinationId: string, deliveryId: string): Promise<DeliveryLogEntry | undefined>;
}
