import type { EventType, IntegrationEvent, LeadAtDelivery } from './events';

/** One attempt's result, as the delivery log keeps it (no personal data in `excerpt`). */
export type DeliveryResult =
  | { kind: 'delivered'; status: number; latencyMs: number; excerpt?: string }
  /** Try again later: 5xx, 429, timeouts, network errors. `retryAfterSeconds` from Retry-After. */
  | {
      kind: 'retry';
      status?: number;
      latencyMs: number;
      reason: string;
      retryAfterSeconds?: number;
      excerpt?: string;
    }
  /** Never worth retrying (4xx other than 408/409/425/429, a refused URL): goes to the log as failed. */
  | { kind: 'rejected'; status?: number; latencyMs: number; reason: string; excerpt?: string };

/**
 * Where events go: an admin's webhook endpoint, the Slack app, the HubSpot CRM. The dispatcher
 * (tick) fans each event out to every active destination that accepts its type; the delivery
 * worker loads the lead and calls `deliver` once per attempt.
 */
export interface Destination {
  /** `wh_<id>` for a webhook endpoint, `slack`, `hubspot`. */
  id: string;
  kind: 'webhook' | 'slack' | 'hubspot';
  accepts(type: EventType): boolean;
  deliver(event: IntegrationEvent, lead: LeadAtDelivery, attempt: number): Promise<DeliveryResult>;
}
