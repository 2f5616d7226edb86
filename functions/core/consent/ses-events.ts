import * as z from 'zod/mini';
import { leadIdFor, sha256Hex } from '../kernel/email';
import { attributionFromTags } from '../kernel/email-attribution';
import { LeadNotFoundError } from '../kernel/errors';
import { LEAD_ID } from '../kernel/lead-id';
import type { Activity } from '../leads/lead';
import { type RecordDeps, recordActivity } from '../leads/record-activity';
import type { SuppressionReason, SuppressionStore } from './suppression';

/**
 * SES event publishing (configuration set → SNS → ses-events), as documented in
 * docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html.
 * Only the fields Leadflow acts on are read; everything else is ignored.
 */
const text = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));
const address = z.object({ emailAddress: text(3, 320) });
// zod/mini: the same schema library, tree-shakable, keeping this consumer's bundle small.
const sesEventSchema = z.object({
  eventType: z.string(),
  mail: z.object({
    messageId: text(1, 200),
    timestamp: z.optional(z.string()),
    destination: z.array(text(0, 320)).check(z.maxLength(100)),
    tags: z.optional(z.record(z.string(), z.array(z.string()))),
  }),
  bounce: z.optional(
    z.object({
      bounceType: z.string(),
      bounceSubType: z.optional(z.string()),
      bouncedRecipients: z.optional(z.array(address)),
      timestamp: z.string(),
    }),
  ),
  complaint: z.optional(
    z.object({
      complainedRecipients: z.optional(z.array(address)),
      complaintFeedbackType: z.optional(z.string()),
      timestamp: z.string(),
    }),
  ),
  delivery: z.optional(z.object({ timestamp: z.string() })),
  open: z.optional(z.object({ timestamp: z.string() })),
  click: z.optional(z.object({ timestamp: z.string(), link: text(0, 2048) })),
});
type SesEvent = z.infer<typeof sesEventSchema>;

export type SesAction =
  | { kind: 'suppress'; email: string; reason: SuppressionReason; source: string; at: string }
  | { kind: 'activity'; leadId: string; email: string; activity: Activity };

export type SesMapping = { kind: 'actions'; eventType: string; actions: SesAction[] } | { kind: 'malformed' };

const ISO = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/;

/**
 * What one SES event means for Leadflow (pure): a permanent bounce or a complaint suppresses
 * the recipients and is noted on their timeline (email_bounced, email_complained); delivery,
 * open and click become activities (engagement scoring counts opens and clicks); a transient
 * bounce is only noted on the timeline. Every entry carries the message id and what the send is
 * counted under (sequence, step, template, broadcast: the message's tags, kernel/email-attribution). The activity id derives from
 * the SES message id, the event type and its time, so SNS redelivering the record stores nothing
 * new. Unknown and uninteresting event types (Send, Reject, DeliveryDelay...) map to no action.
 */
export function mapSesEvent(message: string): SesMapping {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return { kind: 'malformed' };
  }
  const result = sesEventSchema.safeParse(parsed);
  if (!result.success) return { kind: 'malformed' };
  const event = result.data;
  const type = event.eventType;
  const actions = actionsOf(event);
  return actions ? { kind: 'actions', eventType: type, actions } : { kind: 'malformed' };
}

function actionsOf(event: SesEvent): SesAction[] | undefined {
  switch (event.eventType) {
    case 'Bounce': {
      const bounce = event.bounce;
      if (!bounce || !ISO.test(bounce.timestamp)) return undefined;
      if (bounce.bounceType === 'Permanent') {
        const bounced = recipients(event, bounce.bouncedRecipients);
        return [
          ...suppressAll(bounced, 'bounced', 'ses:bounce', bounce.timestamp),
          ...activities(
            event,
            'email_bounced',
            bounce.timestamp,
            { bounceSubType: bounce.bounceSubType },
            bounced,
          ),
        ];
      }
      if (bounce.bounceType !== 'Transient') return [];
      return activities(event, 'email_bounced_transient', bounce.timestamp, {
        bounceSubType: bounce.bounceSubType,
      });
    }
    case 'Complaint': {
      const complaint = event.complaint;
      if (!complaint || !ISO.test(complaint.timestamp)) return undefined;
      const complained = recipients(event, complaint.complainedRecipients);
      return [
        ...suppressAll(complained, 'complained', 'ses:complaint', complaint.timestamp),
        ...activities(
          event,
          'email_complained',
          complaint.timestamp,
          { feedbackType: complaint.complaintFeedbackType },
          complained,
        ),
      ];
    }
    case 'Delivery':
      if (!event.delivery || !ISO.test(event.delivery.timestamp)) return undefined;
      return activities(event, 'email_delivered', event.delivery.timestamp, {});
    case 'Open':
      if (!event.open || !ISO.test(event.open.timestamp)) return undefined;
      return activities(event, 'email_opened', event.open.timestamp, {});
    case 'Click':
      if (!event.click || !ISO.test(event.click.timestamp)) return undefined;
      return activities(event, 'email_clicked', event.click.timestamp, { link: event.click.link });
    default:
      return [];
  }
}

function recipients(event: SesEvent, listed: { emailAddress: string }[] | undefined): string[] {
  const emails = listed && listed.length > 0 ? listed.map((r) => r.emailAddress) : event.mail.destination;
  return emails.filter((email) => email.includes('@'));
}

function suppressAll(emails: string[], reason: SuppressionReason, source: string, at: string): SesAction[] {
  return emails.map((email) => ({ kind: 'suppress', email, reason, source, at }));
}

/**
 * Nurture mail goes to one lead, named by the sender's `leadId` tag; without it, each recipient's
 * id (of `only` when given: the recipients a bounce or complaint names). Proofs (tag
 * `purpose: proof`) record nothing; their bounces and complaints still suppress.
 */
function activities(
  event: SesEvent,
  type: string,
  at: string,
  extra: Record<string, unknown>,
  only?: string[],
): SesAction[] {
  // A proof (test-send) is a marketer reading their own email: no engagement for anyone's lead.
  if (event.mail.tags?.purpose?.includes('proof')) return [];
  const tagged = event.mail.tags?.leadId?.[0];
  const emails = (only ?? event.mail.destination).filter((email) => email.includes('@'));
  if (only && emails.length === 0) return [];
  const targets =
    tagged && LEAD_ID.test(tagged)
      ? [{ leadId: tagged, email: emails[0] ?? '' }]
      : emails.map((email) => ({ leadId: leadIdFor(email), email }));
  const { messageId } = event.mail;
  return targets.map(({ leadId, email }) => ({
    kind: 'activity',
    leadId,
    email,
    activity: {
      activityId: `act_ses_${sha256Hex(`${messageId}|${type}|${at}|${leadId}`).slice(0, 24)}`,
      leadId,
      type,
      at,
      source: 'ses',
      properties: {
        messageId,
        ...attributionFromTags(event.mail.tags),
        ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)),
      },
    },
  }));
}

export interface SesEventDeps extends RecordDeps {
  suppressions: Pick<SuppressionStore, 'suppress'>;
}

export interface SesApplied {
  suppressed: number;
  recorded: number;
  duplicates: number;
  /** Activities for addresses Leadflow holds no lead for (a proof, an erased lead): skipped. */
  unknownLeads: number;
  handoffs: number;
}

/** Applies the actions; store failures propagate so SNS/Lambda retry the record. */
export async function applySesActions(deps: SesEventDeps, actions: SesAction[]): Promise<SesApplied> {
  const applied: SesApplied = { suppressed: 0, recorded: 0, duplicates: 0, unknownLeads: 0, handoffs: 0 };
  for (const action of actions) {
    if (action.kind === 'suppress') {
      await deps.suppressions.suppress(action.email, action.reason, action.source, action.at);
      applied.suppressed += 1;
      continue;
    }
    try {
      const recorded = await recordActivity(
        deps,
        { leadId: action.leadId, email: action.email, activity: action.activity },
        { createIfMissing: false },
      );
      if (recorded.duplicate) applied.duplicates += 1;
      else applied.recorded += 1;
      if (recorded.activity.effect?.handoff) applied.handoffs += 1;
    } catch (error) {
      if (!(error instanceof LeadNotFoundError)) throw error;
      applied.unknownLeads += 1;
    }
  }
  return applied;
}
