import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import { EVENT_TYPES, type EventType } from './events';

/** Who made a change: a person's name and user name (or an API token's name). */
export interface ChangedBy {
  name: string;
  username?: string;
}

export const ENDPOINT_STATUSES = ['active', 'paused', 'disabled'] as const;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];
/** Why the system (not an admin) stopped an endpoint. */
export type PauseReason = 'failing_24h' | 'gone_410';

/** An admin's outbound webhook endpoint, as stored (secrets included: never answered after creation). */
export interface WebhookEndpoint {
  /** `wh_<ulid>`: also its destination id. */
  endpointId: string;
  url: string;
  description: string;
  eventTypes: EventType[];
  /** `disabled`: the receiver answered 410 Gone; an admin may set it active again. */
  status: EndpointStatus;
  secret: string;
  /** The secret before the last rotation, still signed with until `previousSecretUntil`. */
  previousSecret?: string;
  previousSecretUntil?: string;
  pausedReason?: PauseReason;
  pausedAt?: string;
  /** Set at the first failure after a success; cleared by a success. */
  failingSince?: string;
  lastSuccessAt?: string;
  createdAt: string;
  createdBy: ChangedBy;
  updatedAt: string;
  updatedBy: ChangedBy;
  version: number;
}

/** Standard Webhooks secrets: `whsec_` + base64 of 32 random bytes. */
export const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
/** How long the previous secret still verifies after a rotation. */
export const ROTATION_OVERLAP_HOURS = 24;

/** The secrets to sign with now: the current one, and the previous during its overlap. */
export function signingSecrets(endpoint: WebhookEndpoint, now: Date): string[] {
  const previous =
    endpoint.previousSecret &&
    endpoint.previousSecretUntil &&
    Date.parse(endpoint.previousSecretUntil) > now.getTime()
      ? [endpoint.previousSecret]
      : [];
  return [endpoint.secret, ...previous];
}

const eventTypes = z.array(z.enum(EVENT_TYPES)).check(z.minLength(1), z.maxLength(EVENT_TYPES.length));
const url = z.string().check(z.trim(), z.minLength(8), z.maxLength(2048));
const description = z.string().check(z.trim(), z.maxLength(500));

/** POST /v1/admin/webhooks/endpoints */
export const endpointCreateSchema = z.object({
  url,
  description: z._default(description, ''),
  eventTypes,
  status: z._default(z.enum(['active', 'paused']), 'active'),
});
export type EndpointCreate = z.infer<typeof endpointCreateSchema>;

/** PATCH /v1/admin/webhooks/endpoints/{id}: any of the fields. */
export const endpointPatchSchema = z.object({
  url: z.optional(url),
  description: z.optional(description),
  eventTypes: z.optional(eventTypes),
  status: z.optional(z.enum(['active', 'paused'])),
});
export type EndpointPatch = z.infer<typeof endpointPatchSchema>;
export const ENDPOINT_BODY_BYTES = 16 * 1024;

const by = z.object({ name: z.string(), username: z.optional(z.string()) });

/** An endpoint as the API answers it: never its secrets. */
export const endpointViewSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.enum(EVENT_TYPES)),
  status: z.enum(ENDPOINT_STATUSES),
  pausedReason: z.optional(z.enum(['failing_24h', 'gone_410'])),
  pausedAt: z.optional(z.string()),
  failingSince: z.optional(z.string()),
  lastSuccessAt: z.optional(z.string()),
  previousSecretUntil: z.optional(z.string()),
  createdAt: z.string(),
  createdBy: by,
  updatedAt: z.string(),
  updatedBy: by,
});
export type EndpointView = z.infer<typeof endpointViewSchema>;

/** The creation's answer: the view and the secret, shown this once. */
export const endpointCreatedSchema = z.object({ ...endpointViewSchema.shape, secret: z.string() });
export const endpointListSchema = z.object({ endpoints: z.array(endpointViewSchema) });
export const secretRotatedSchema = z.object({
  id: z.string(),
  secret: z.string(),
  previousSecretUntil: z.string(),
});

export function endpointView(endpoint: WebhookEndpoint): EndpointView {
  const optional = {
    pausedReason: endpoint.pausedReason,
    pausedAt: endpoint.pausedAt,
    failingSince: endpoint.failingSince,
    lastSuccessAt: endpoint.lastSuccessAt,
    previousSecretUntil: endpoint.previousSecretUntil,
  };
  return {
    id: endpoint.endpointId,
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: endpoint.eventTypes,
    status: endpoint.status,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    createdAt: endpoint.createdAt,
    createdBy: endpoint.createdBy,
    updatedAt: endpoint.updatedAt,
    updatedBy: endpoint.updatedBy,
  };
}

/** GET .../{id}/deliveries: the log, newest first. */
export const deliveryListSchema = z.object({
  deliveries: z.array(
    z.object({
      deliveryId: z.string(),
      eventId: z.string(),
      eventType: z.string(),
      attempt: z.number(),
      at: z.string(),
      outcome: z.enum(['delivered', 'retrying', 'failed', 'dead_lettered']),
      status: z.optional(z.number()),
      latencyMs: z.number(),
      reason: z.optional(z.string()),
      excerpt: z.optional(z.string().check(z.maxLength(500))),
      nextAttemptAt: z.optional(z.string()),
    }),
  ),
  cursor: z.optional(z.string()),
});
export const deliveryRetriedSchema = z.object({
  queued: z.boolean(),
  eventId: z.string(),
  replayOf: z.string(),
});
export const endpointTestedSchema = z.object({
  eventId: z.string(),
  delivered: z.boolean(),
  status: z.optional(z.number()),
  latencyMs: z.number(),
  reason: z.optional(z.string()),
  excerpt: z.optional(z.string()),
});
