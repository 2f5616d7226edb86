import type { Suppression } from '../consent/suppression';
import { ownedBySales } from '../handoff/hot-lead-message';
import type { FieldValue } from '../leads/lead';
import { type LeadFacts, matches, type SegmentFacts } from '../segments/segments';
import type { Segment, Variant } from './broadcast-bodies';
import type { Broadcast, ExcludedCounts } from './broadcast-ports';
import type { Enrollment } from './enrollment';
import { BROADCAST_PREFIX } from './sequences';

/**
 * Broadcasts: a one-off email to a segment of leads, now or at `sendAt`. Each recipient gets a
 * one-step enrollment `broadcast:<id>` on its lead item, so tick and send-email send it through
 * the same gate (suppression, consent, owned by sales, frequency cap, send window) as any
 * sequence step, and it ends on the timeline as sent, skipped or failed. These are the rules;
 * the use cases that page through the leads are in broadcast.ts.
 */

export const broadcastKey = (broadcastId: string) => `${BROADCAST_PREFIX}${broadcastId}`;
export const noneExcluded = (): ExcludedCounts => ({ suppressed: 0, noConsent: 0, ownedBySales: 0, test: 0 });

export type Verdict = 'recipient' | 'outside' | keyof ExcludedCounts;

/** Stage and field equality, and a saved segment's conditions: who the marketer asked for. */
export function inSegment(lead: SegmentFacts, segment: Segment, now = new Date()): boolean {
  if (segment.stages && !segment.stages.includes(lead.stage)) return false;
  if (segment.definition && !matches(lead, segment.definition, now)) return false;
  for (const [name, value] of Object.entries(segment.fields ?? {})) {
    const actual: FieldValue | undefined = name === 'email' ? lead.email : lead.profile[name]?.value;
    if (actual !== value) return false;
  }
  return true;
}

/**
 * Who of the segment may get marketing email, cheapest checks first (the suppression lookup
 * is a read): test leads, no consent (including unsubscribed), owned by sales, suppressed.
 * A lead is counted under the first reason that excludes it.
 */
export async function verdict(
  lead: LeadFacts,
  segment: Segment,
  suppression: () => Promise<Suppression | boolean | undefined> | boolean,
  now = new Date(),
): Promise<Verdict> {
  if (!inSegment(lead, segment, now)) return 'outside';
  if (lead.test) return 'test';
  if (lead.marketingConsent?.granted !== true) return 'noConsent';
  if (ownedBySales(lead)) return 'ownedBySales';
  if (await suppression()) return 'suppressed';
  return 'recipient';
}

/** A recipient's one-step enrollment in the broadcast, due at its `sendAt` (with its A/B variant, if any). */
export function broadcastEnrollment(broadcast: Broadcast, now: Date, variant?: Variant): Enrollment {
  return {
    sequenceId: broadcastKey(broadcast.broadcastId),
    number: 1,
    status: 'active',
    enrolledAt: now.toISOString(),
    step: 0,
    dueAt: broadcast.sendAt,
    broadcast: {
      id: broadcast.broadcastId,
      template: variant?.template ?? broadcast.template,
      ignoreSendWindow: broadcast.ignoreSendWindow,
      ...(variant ? { variant: variant.id } : {}),
      ...(variant?.subject ? { subject: variant.subject } : {}),
    },
  };
}

/** A busy lead (activity arriving as we write) is read again after 10, 20, 40... ms, jittered ±50%. */
export const busyLeadBackoffMs = (attempt: number, random: number) => 10 * 2 ** attempt * (0.5 + random);
