import { api } from '../api';

/** An outbound webhook endpoint as GET /v1/admin/webhooks/endpoints answers it (never its secret). */
export interface Endpoint {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  status: 'active' | 'paused' | 'disabled';
  pausedReason?: 'failing_24h' | 'gone_410';
  pausedAt?: string;
  failingSince?: string;
  lastSuccessAt?: string;
  previousSecretUntil?: string;
  createdAt: string;
  createdBy: { name: string; username?: string };
  updatedAt: string;
  updatedBy: { name: string; username?: string };
}

export interface Delivery {
  deliveryId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  at: string;
  outcome: 'delivered' | 'retrying' | 'failed' | 'dead_lettered';
  status?: number;
  latencyMs: number;
  reason?: string;
  excerpt?: string;
  nextAttemptAt?: string;
}
export interface DeliveryPage {
  deliveries: Delivery[];
  cursor?: string;
}

export interface TestResult {
  eventId: string;
  delivered: boolean;
  status?: number;
  latencyMs: number;
  reason?: string;
  excerpt?: string;
}

export const ENDPOINTS = '/v1/admin/webhooks/endpoints';
export const endpointPath = (id: string) => `${ENDPOINTS}/${encodeURIComponent(id)}`;

export const STATUS_LABELS: Record<Endpoint['status'], string> = {
  active: 'Active',
  paused: 'Paused',
  disabled: 'Disabled',
};
export const REASON_LABELS: Record<NonNullable<Endpoint['pausedReason']>, string> = {
  failing_24h: 'paused by Leadflow: every delivery failed for 24 hours',
  gone_410: 'disabled by Leadflow: the receiver answered 410 Gone',
};
export const OUTCOME_LABELS: Record<Delivery['outcome'], string> = {
  delivered: 'Delivered',
  retrying: 'Failed, retrying',
  failed: 'Failed',
  dead_lettered: 'Failed, retries used up',
};

/** Why an endpoint is not active, in words ("paused by an admin" when no reason is kept). */
export function stoppedBecause(endpoint: Endpoint): string | null {
  if (endpoint.status === 'active') return null;
  if (endpoint.pausedReason) return REASON_LABELS[endpoint.pausedReason];
  return `${endpoint.status} by ${endpoint.updatedBy.name}`;
}

export interface EventTypeInfo {
  type: string;
  description: string;
}

let eventTypes: Promise<EventTypeInfo[]> | undefined;

/**
 * The event types an endpoint can take, read off the served payload schema
 * (/v1/schemas/webhook-events.v1.json: one object per type); the test ping's type is left out.
 */
export function loadEventTypes(): Promise<EventTypeInfo[]> {
  eventTypes ??= api
    .get<{ anyOf?: SchemaPart[]; oneOf?: SchemaPart[] }>('/v1/schemas/webhook-events.v1.json')
    .then((schema) =>
      (schema.anyOf ?? schema.oneOf ?? [])
        .map((part) => ({
          type: part.properties?.type?.const ?? '',
          description: part.properties?.type?.description ?? '',
        }))
        .filter((t) => t.type && t.type !== 'webhook.test'),
    )
    .catch((error: unknown) => {
      eventTypes = undefined;
      throw error;
    });
  return eventTypes;
}
interface SchemaPart {
  properties?: { type?: { const?: string; description?: string } };
}
