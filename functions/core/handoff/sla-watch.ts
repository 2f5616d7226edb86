import type { IntegrationEvent } from '../integrations/events';
import type { Clock } from '../kernel/clock';
import type { Handoff, LeadState } from '../leads/lead';

/** The SLA mark kept on the hand-off (in the lead item, so it goes with the hand-off it belongs to). */
export interface SlaBreach {
  at: string;
  waitingMinutes: number;
  /** The event went to the feed; false after a crash between the mark and the publish. */
  published: boolean;
}
export type MarkedHandoff = Handoff & { slaBreach?: SlaBreach };

export interface SlaMarks {
  /** Marks the lead's current hand-off breached: a conditional write (unmarked, same version); false when not applied. */
  mark(lead: LeadState, breach: SlaBreach): Promise<boolean>;
  /** Records that the mark's event was published. */
  published(leadId: string, handoff: number): Promise<void>;
}

export interface SlaWatchDeps {
  handoffs: { open(): Promise<LeadState[]> };
  marks: SlaMarks;
  /** The integrations feed (publishEvent): fans the event out to the destinations taking it. */
  publish(event: IntegrationEvent): Promise<unknown>;
  clock: Clock;
}

/** A mark left unpublished this long (a crash after the mark) is published again by the next tick. */
export const REPUBLISH_AFTER_MS = 120_000;

/** Stable per hand-off: a republished or repeated event has the same id, so receivers dedupe it. */
export const slaEventId = (leadId: string, handoff: number) => `evt_sla_${leadId}.${handoff}`;

/**
 * tick's SLA watcher. Input: the open hand-offs, the SLA in minutes. Output: how many breaches
 * were marked and published, and how many marks left unpublished were published again.
 * 1. Skip a lead being erased, a live claim, or a hand-off whose breach was published.
 * 2. A hot lead waiting (unclaimed, or back from an expired claim) longer than the SLA: mark its
 *    hand-off (conditional write), and only when the mark applied, publish `lead.sla_breached`.
 * 3. Mark the event published. A mark older than REPUBLISH_AFTER_MS and not published (a crash
 *    between 2 and 3) is published again with the same event id.
 */
export async function watchSla(
  deps: SlaWatchDeps,
  slaMinutes: number,
): Promise<{ breached: number; republished: number }> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  let breached = 0;
  let republished = 0;
  for (const lead of await deps.handoffs.open()) {
    const handoff = lead.handoff as MarkedHandoff | undefined;
    if (!handoff || lead.erasing) continue;
    if (handoff.status === 'claimed' && handoff.claim && handoff.claim.expiresAt > nowIso) continue;
    const mark = handoff.slaBreach;
    if (mark?.published) continue;
    if (mark) {
      if (now.getTime() - Date.parse(mark.at) < REPUBLISH_AFTER_MS) continue;
      await deps.publish(slaEvent(lead.leadId, handoff.number, mark, slaMinutes));
      await deps.marks.published(lead.leadId, handoff.number);
      republished++;
      continue;
    }
    const waitedMs = now.getTime() - Date.parse(handoff.becameHotAt);
    if (!(waitedMs > slaMinutes * 60_000)) continue;
    const waitingMinutes = Math.floor(waitedMs / 60_000);
    const breach: SlaBreach = { at: nowIso, waitingMinutes, published: false };
    if (!(await deps.marks.mark(lead, breach))) continue;
    await deps.publish(slaEvent(lead.leadId, handoff.number, breach, slaMinutes));
    await deps.marks.published(lead.leadId, handoff.number);
    breached++;
  }
  return { breached, republished };
}

function slaEvent(leadId: string, handoff: number, breach: SlaBreach, slaMinutes: number): IntegrationEvent {
  return {
    id: slaEventId(leadId, handoff),
    type: 'lead.sla_breached',
    occurredAt: breach.at,
    leadId,
    data: { handoff, waitingMinutes: breach.waitingMinutes, slaMinutes },
  };
}
