import { erasedSince, type SuppressionStore } from '../consent/suppression';
import { type RecordDeps, recordActivity } from '../leads/record-activity';
import { type AdLead, adLeadToCapture } from './ad-lead';
import type { DeliveryStore } from './ports';

export interface AdCaptureDeps extends RecordDeps {
  deliveries: Pick<DeliveryStore, 'linkLead' | 'remove'>;
  suppressions: Pick<SuppressionStore, 'lookup'>;
}

/** Deliveries and their links to leads are kept 30 days. */
export const DELIVERY_KEEP_SECONDS = 30 * 24 * 3600;

export type AdCaptureResult =
  | { leadId: string; duplicate: boolean; erased?: undefined }
  | { leadId: string; duplicate: false; erased: true };

/**
 * Capture a lead from an ad platform into the same pipeline as forms: deduplicated by email,
 * scored, handed off when hot. The platform's lead id fixes the activity id, so a redelivery
 * (Meta retries for ~36 hours) stores nothing new.
 * 1. Map the platform's answers (400 only when the email is missing or invalid).
 * 2. A person erased after the platform took this lead is not brought back (a queued fetch, a
 *    platform's retry or a replay of a delivery received before the erase): the delivery that
 *    carried them is removed and nothing is stored.
 * 3. Link the delivery to the lead (so an erase finds it), then record the activity.
 */
export async function captureAdLead(deps: AdCaptureDeps, lead: AdLead): Promise<AdCaptureResult> {
  const now = deps.clock.now();
  const { input, activity } = await adLeadToCapture(lead, now.toISOString());
  if (erasedSince(await deps.suppressions.lookup(input.email), lead.submittedAt)) {
    await deps.deliveries.remove(lead.deliveryId);
    return { leadId: input.leadId, duplicate: false, erased: true };
  }
  if (lead.test) input.test = true;
  await deps.deliveries.linkLead(
    lead.deliveryId,
    input.leadId,
    Math.floor(now.getTime() / 1000) + DELIVERY_KEEP_SECONDS,
  );
  const recorded = await recordActivity(
    deps,
    { leadId: input.leadId, email: input.email, activity, merge: input },
    { createIfMissing: true },
  );
  return { leadId: input.leadId, duplicate: recorded.duplicate };
}
