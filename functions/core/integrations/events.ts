import type { LeadState } from '../leads/lead';

/**
 * What Leadflow tells the team's tools (outbound webhooks, Slack, a CRM): one event per thing
 * that happened to a lead, made from its timeline entry (or, for `lead.erased` and
 * `lead.sla_breached`, by the erase and the SLA watcher). An event is an at-least-once fact: its
 * `id` never changes between retries, so a receiver dedupes by it (Standard Webhooks'
 * `webhook-id`).
 */
export const EVENT_TYPES = [
  'lead.hot',
  'lead.claimed',
  'lead.stage_changed',
  'lead.outcome',
  'lead.activity',
  'lead.unsubscribed',
  'lead.erased',
  'lead.sla_breached',
  'email.bounced',
  'email.complained',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface IntegrationEvent {
  /**
   * Stable across retries: `evt_<timeline entry id>.<type>` (entry-events.ts eventIdOf; one entry may
   * stand for several events), or the erase's/SLA mark's own.
   */
  id: string;
  type: EventType;
  /** When it happened (the timeline entry's `at`). */
  occurredAt: string;
  leadId: string;
  /**
   * Facts of the event that are NOT personal data (stage names, rule names, outcome, rep
   * username, sequence ids, counts). Personal data (email, name, phone, profile) is read from the
   * lead when the event is delivered, so an event of a lead erased meanwhile carries none.
   */
  data: Record<string, string | number | boolean | null | string[]>;
}

/**
 * The lead as a destination sees it at delivery time: undefined when the lead is gone or being
 * erased (then only `leadId` and the event's own data may be sent).
 */
export type LeadAtDelivery = LeadState | undefined;
