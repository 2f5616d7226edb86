import type { Clock } from '../kernel/clock';
import { sha256Hex } from '../kernel/email';
import type { Activity, LeadState } from '../leads/lead';
import type { LeadStore } from '../leads/ports';
import type { LeadNurture } from '../nurture/enrollment';
import type { SuppressionStore } from './suppression';

export interface UnsubscribeDeps {
  leads: Pick<LeadStore, 'load' | 'replace' | 'putActivity'>;
  suppressions: Pick<SuppressionStore, 'suppress'>;
  clock: Clock;
}

export interface Unsubscribed {
  /** False when the token's lead no longer exists (erased): there is nothing left to mail. */
  found: boolean;
  /** False when the lead had already unsubscribed: nothing changed. */
  changed: boolean;
}

const ATTEMPTS = 8;
const unsubscribedAlready = (lead: LeadState) =>
  lead.marketingConsent?.granted === false && lead.marketingConsent.source === 'unsubscribe';

/**
 * One-click unsubscribe (RFC 8058), honoured at once: the address goes on the suppression list
 * first (what keeps every sequence and broadcast away), then the lead's marketing consent is
 * withdrawn and every active enrollment ends (optimistic write on its version; send-email
 * records the skipped steps within a tick) and an `unsubscribed` activity goes on its
 * timeline. The activity id derives from the time consent was withdrawn, so a repeat (a second
 * click, a retry after a crash between the writes) stores nothing new.
 */
/** Every active enrollment ends now: send-email records its remaining steps as skipped (`unsubscribed`). */
function exitAll(nurture: LeadNurture | undefined, at: string): LeadNurture | undefined {
  if (!nurture) return undefined;
  const enrollments = Object.fromEntries(
    Object.entries(nurture.enrollments).map(([id, e]) => [
      id,
      e.status === 'active' ? { ...e, exit: 'unsubscribed' as const, dueAt: at, waitFrom: undefined } : e,
    ]),
  );
  return { ...nurture, enrollments };
}

/** `by`: a person withdrew the consent for the lead (the console's Unsubscribe), not a link in an email. */
export async function unsubscribe(
  deps: UnsubscribeDeps,
  leadId: string,
  by?: { name: string; username?: string },
): Promise<Unsubscribed> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const prev = await deps.leads.load(leadId);
    if (!prev) return { found: false, changed: false };
    const at = deps.clock.now().toISOString();
    await deps.suppressions.suppress(prev.email, 'unsubscribed', 'unsubscribe', at);
    let withdrawnAt = prev.marketingConsent?.at ?? at;
    const changed = !unsubscribedAlready(prev);
    if (changed) {
      withdrawnAt = at;
      const next: LeadState = {
        ...prev,
        marketingConsent: { granted: false, at, source: 'unsubscribe' },
        // A double opt-in still waiting for its click can no longer be confirmed by that link.
        optIn: prev.optIn?.status === 'pending' ? { ...prev.optIn, status: 'withdrawn' } : prev.optIn,
        nurture: exitAll(prev.nurture, at),
        updatedAt: at,
        version: prev.version + 1,
      };
      if (!(await deps.leads.replace(next, prev.version))) continue;
    }
    const activity: Activity = {
      activityId: `act_unsubscribed_${sha256Hex(`${leadId}|${withdrawnAt}`).slice(0, 24)}`,
      leadId,
      type: 'unsubscribed',
      at: withdrawnAt,
      source: 'unsubscribe',
      properties: { method: by ? 'by_person' : 'one_click', suppressed: true },
      ...(by ? { by } : {}),
    };
    const put = await deps.leads.putActivity(activity);
    return { found: true, changed: changed || !put.duplicate };
  }
  throw new Error(`lead ${leadId} kept changing while unsubscribing`);
}
