import { sha256Hex } from '../kernel/email';
import { LeadNotFoundError } from '../kernel/errors';
import type { Activity } from '../leads/lead';
import { type RecordDeps, recordActivity } from '../leads/record-activity';
import { CONSENT_CONFIRMED } from '../nurture/enroll';

export type Confirmation =
  /** Consent granted now: nurture for the form starts in this same lead write. */
  | 'confirmed'
  /** A second click, or a retry: nothing new. */
  | 'already_confirmed'
  /** Nothing waits for this link: the lead is gone, unsubscribed since, or signed up on another form later. */
  | 'not_pending';

export interface ConfirmRequest {
  leadId: string;
  formId: string;
  /** The clicking browser's IP, kept with the consent record as evidence. */
  ip?: string;
}

/**
 * Confirm a double opt-in (the POST behind the link in the confirmation email; the caller has
 * verified the signed, unexpired token).
 * Input: the lead and form the link was signed for, the click's IP.
 * Output: confirmed, already confirmed, or not pending.
 * 1. Read the lead: gone (erased) → not pending; its opt-in from this form confirmed → already.
 * 2. Record a `consent_confirmed` activity through recordActivity, carrying the consent record
 *    (the text shown on the form, source `form:<id>`, `doubleOptIn`, the click's time and IP):
 *    marketing consent, the opt-in's status, scoring, stage and the sequences triggered by the
 *    form all change in that one lead write. Its id derives from the opt-in request, so a second
 *    click or a retry stores nothing new.
 */
export async function confirmSubscription(deps: RecordDeps, request: ConfirmRequest): Promise<Confirmation> {
  const lead = await deps.leads.load(request.leadId);
  const optIn = lead?.optIn;
  if (!lead || optIn?.formId !== request.formId) return 'not_pending';
  if (optIn.status === 'confirmed') return 'already_confirmed';
  if (optIn.status !== 'pending') return 'not_pending';

  const at = deps.clock.now().toISOString();
  const source = `form:${request.formId}`;
  const activity: Activity = {
    activityId: `act_confirmed_${sha256Hex(`${lead.leadId}|${request.formId}|${optIn.requestedAt}`).slice(0, 24)}`,
    leadId: lead.leadId,
    type: CONSENT_CONFIRMED,
    at,
    source,
    formId: request.formId,
    consent: {
      granted: true,
      text: optIn.text,
      at,
      source,
      doubleOptIn: true,
      ...(request.ip ? { ip: request.ip } : {}),
    },
    properties: { requestedAt: optIn.requestedAt },
  };
  try {
    const recorded = await recordActivity(
      deps,
      { leadId: lead.leadId, email: lead.email, activity },
      { createIfMissing: false },
    );
    return recorded.duplicate ? 'already_confirmed' : 'confirmed';
  } catch (error) {
    // Erased between the read and the write: nothing to confirm, and never created again.
    if (error instanceof LeadNotFoundError) return 'not_pending';
    throw error;
  }
}
