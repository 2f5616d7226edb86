import * as z from 'zod/mini';
import { EVENT_TYPES, type EventType, type IntegrationEvent, type LeadAtDelivery } from './events';

/** The payload version receivers check: `leadflow.webhook.v1` (the JSON Schema's $id says the same). */
export const WEBHOOK_SCHEMA = 'leadflow.webhook.v1';
/** The ping POST .../{id}/test sends: not a lead event. */
export const TEST_EVENT_TYPE = 'webhook.test';

const PERSON_FIELDS = ['firstName', 'lastName', 'company', 'jobTitle', 'phone', 'country'] as const;

/** The person as the payload carries them, read at delivery time (null once erased). */
const leadSchema = z.nullable(
  z.object({
    email: z.string(),
    stage: z.string(),
    score: z.nullable(z.number()),
    grade: z.nullable(z.string()),
    ...Object.fromEntries(PERSON_FIELDS.map((name) => [name, z.optional(z.string())])),
  }),
);
const facts = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]),
);
const eventDocs: Record<EventType | typeof TEST_EVENT_TYPE, string> = {
  'lead.hot': 'The lead turned hot: hand-off N is waiting for sales (data: handoff, rules, score, grade).',
  'lead.claimed': 'A rep claimed the hot lead (data: rep, handoff).',
  'lead.stage_changed': 'The lead moved to another funnel stage (data: from, to).',
  'lead.outcome': 'Sales recorded an outcome (data: outcome, rep, handoff).',
  'lead.activity': 'New activity on a lead sales owns (data: activityType, rep, source).',
  'lead.unsubscribed': 'The person unsubscribed from marketing email.',
  'lead.erased': 'The person was erased (GDPR): forget them. Never carries personal data.',
  'lead.sla_breached': 'A hot lead waited longer than the sales SLA.',
  'email.bounced': 'A permanent bounce: the address is suppressed (data: subType, sequenceId, step).',
  'email.complained': 'A spam complaint: the address is suppressed.',
  'webhook.test': 'A ping sent from the endpoint test route: no lead.',
};
const payloadOf = (type: EventType | typeof TEST_EVENT_TYPE) =>
  z.object({
    schema: z.literal(WEBHOOK_SCHEMA),
    type: z.literal(type).check(z.describe(eventDocs[type])),
    timestamp: z.iso.datetime({ offset: true }),
    data: z.object({
      eventId: z.string(),
      leadId: z.nullable(z.string()),
      facts,
      lead: leadSchema,
    }),
  });

/** Every payload a webhook receives: one object per event type (`type` tells them apart). */
const PAYLOAD_TYPES: (EventType | typeof TEST_EVENT_TYPE)[] = [...EVENT_TYPES, TEST_EVENT_TYPE];
export const webhookPayloadSchema = z.union(PAYLOAD_TYPES.map(payloadOf));
export type WebhookPayload = z.infer<ReturnType<typeof payloadOf>>;

/** Served at /v1/schemas/webhook-events.v1.json: one document, a oneOf over the event types. */
export function webhookPayloadJsonSchema() {
  return {
    $id: 'https://leadflow.dev/schemas/webhook-events.v1.json',
    title: 'Leadflow outbound webhook payload (v1)',
    description:
      'The JSON body of every outbound webhook, signed per Standard Webhooks (webhook-id = data.eventId, stable across retries).',
    ...z.toJSONSchema(webhookPayloadSchema, { target: 'draft-2020-12' }),
  };
}

/**
 * The body of one delivery, built when it is sent: the event's own facts, and the person as the
 * lead holds them at that moment, or `null` when the lead is gone or being erased (and always for
 * `lead.erased`), so a delivery pending across an erase carries nothing personal.
 */
export function webhookPayload(event: IntegrationEvent, lead: LeadAtDelivery): WebhookPayload {
  const person = event.type === 'lead.erased' || !lead || lead.erasing ? null : projection(lead);
  return {
    schema: WEBHOOK_SCHEMA,
    type: event.type,
    timestamp: event.occurredAt,
    data: { eventId: event.id, leadId: event.leadId, facts: event.data, lead: person },
  } as WebhookPayload;
}

/** The test ping's body. */
export function testPayload(eventId: string, at: Date): WebhookPayload {
  return {
    schema: WEBHOOK_SCHEMA,
    type: TEST_EVENT_TYPE,
    timestamp: at.toISOString(),
    data: { eventId, leadId: null, facts: {}, lead: null },
  } as WebhookPayload;
}

function projection(lead: NonNullable<LeadAtDelivery>) {
  const fields = Object.fromEntries(
    PERSON_FIELDS.flatMap((name) => {
      const value = lead.profile[name]?.value;
      return value === undefined || value === '' ? [] : [[name, String(value)]];
    }),
  );
  return {
    email: lead.email,
    stage: lead.stage,
    score: lead.score?.total ?? null,
    grade: lead.score?.grade ?? null,
    ...fields,
  };
}
