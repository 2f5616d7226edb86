import { type Activity, SALES_OUTCOMES } from '../leads/lead';
import type { EventType, IntegrationEvent } from './events';

const OUTCOME_TYPES = new Map<string, string>(SALES_OUTCOMES.map((outcome) => [`sales_${outcome}`, outcome]));
/** Entries of sales' own work on a lead (claims, outcomes, notes): never "new activity" for the owner. */
const SALES_WORK = /^(sales_|note$)/;

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
const repOf = (entry: Activity) =>
  text(entry.properties?.rep) ?? (entry.source.startsWith('sales:') ? entry.source.slice(6) : null);

/** An event's id: stable across retries, one per (timeline entry, event type). */
export const eventIdOf = (activityId: string, type: EventType) => `evt_${activityId}.${type}`;

/**
 * The events one timeline entry stands for (none for most entries), with only non-personal facts
 * in `data`: the receiver reads the person from the payload built at delivery time.
 * - the entry whose effect starts a hand-off → `lead.hot`; a stage move → `lead.stage_changed`;
 * - `sales_claimed` → `lead.claimed`; `sales_<outcome>` → `lead.outcome`;
 * - `unsubscribed`, `email_bounced`, `email_complained` → `lead.unsubscribed`, `email.*`;
 * - any other activity on a lead sales owned when it came (effect.ownedBy) → `lead.activity`.
 */
export function eventsOf(entry: Activity): IntegrationEvent[] {
  const events: IntegrationEvent[] = [];
  const add = (type: EventType, data: IntegrationEvent['data']) =>
    events.push({
      id: eventIdOf(entry.activityId, type),
      type,
      occurredAt: entry.at,
      leadId: entry.leadId,
      data,
    });
  const effect = entry.effect;
  if (effect?.handoff !== undefined)
    add('lead.hot', {
      handoff: effect.handoff,
      rules: effect.hot?.rules ?? effect.score?.rules ?? [],
      score: effect.hot?.total ?? effect.score?.to ?? null,
      grade: effect.hot?.grade ?? null,
      activityType: entry.type,
    });
  if (effect?.stage) add('lead.stage_changed', { from: effect.stage.from, to: effect.stage.to });
  const outcome = OUTCOME_TYPES.get(entry.type);
  const handoff = typeof entry.properties?.handoff === 'number' ? entry.properties.handoff : null;
  if (entry.type === 'sales_claimed') add('lead.claimed', { rep: repOf(entry), handoff });
  else if (outcome) add('lead.outcome', { outcome, rep: repOf(entry), handoff });
  else if (entry.type === 'unsubscribed') add('lead.unsubscribed', { source: entry.source });
  else if (entry.type === 'email_bounced') add('email.bounced', emailFacts(entry));
  else if (entry.type === 'email_complained') add('email.complained', emailFacts(entry));
  else if (effect?.ownedBy && !SALES_WORK.test(entry.type))
    add('lead.activity', { activityType: entry.type, rep: effect.ownedBy, source: entry.source });
  return events;
}

/** Whether the entry stands for any event: only those carry the "not yet published" key. */
export const publishes = (entry: Activity) => eventsOf(entry).length > 0;

/** The bounce sub-type or complaint feedback type and the message's sequence/step where SES tagged it: no address. */
function emailFacts(entry: Activity): IntegrationEvent['data'] {
  const props = entry.properties ?? {};
  const pick = (name: string) => text(props[name]) ?? null;
  return {
    subType: pick('bounceSubType') ?? pick('feedbackType'),
    sequenceId: pick('sequenceId'),
    step: pick('step'),
    broadcastId: pick('broadcastId'),
  };
}
