import { leadIdFor, sha256Hex } from './email';
import { FormNotFoundError, OriginNotAllowedError, RateLimitedError } from './errors';
import { type Form, isOriginAllowed } from './form';
import { newId } from './ids';
import type { Activity } from './lead';
import type { Clock, FormCatalog, FormCounters, LeadCapturedListener, RateLimiter } from './ports';
import { type RecordDeps, recordActivity } from './record-activity';
import { normalizeSubmission, type SubmissionBody } from './submission';

export interface CaptureDeps extends RecordDeps {
  forms: FormCatalog;
  limiter: RateLimiter;
  counters: FormCounters;
  clock: Clock;
  limits: { perIpPerMinute: number; perEmailPerMinute: number };
  listeners?: LeadCapturedListener[];
}

export interface SubmissionRequest {
  formId: string;
  body: SubmissionBody;
  ip?: string;
  origin?: string;
  referer?: string;
  idempotencyKey?: string;
}

export type CaptureResult =
  | { outcome: 'accepted'; form: Form; leadId: string; duplicate: boolean }
  | { outcome: 'honeypot'; form: Form; leadId: string };

/**
 * Capture a form submission.
 * Input: the form id, the raw fields and what the request tells (IP, Origin, Referer, Idempotency-Key).
 * Output: the lead id it was stored under (or a quiet success for a bot).
 * 1. Find the active form (404); a browser's Origin must be one the form allows (403).
 * 2. A filled honeypot answers as success and stores nothing but a counter.
 * 3. Normalize and validate by the form's rules (400 with every field error).
 * 4. Rate-limit per IP, then per email inside the lead write itself (429).
 * 5. Record a `form_submitted` activity: merge, score and stage in one lead write, then the
 *    activity; a retried Idempotency-Key maps to the same activity id, so it stores nothing new.
 * 6. Tell listeners (scoring, nurture) the lead was captured.
 */
export async function captureSubmission(
  deps: CaptureDeps,
  request: SubmissionRequest,
): Promise<CaptureResult> {
  const form = await deps.forms.activeForm(request.formId);
  if (!form) throw new FormNotFoundError(request.formId);
  if (request.origin !== undefined && request.origin !== 'null' && !isOriginAllowed(form, request.origin)) {
    throw new OriginNotAllowedError();
  }
  const trap = request.body[form.honeypotField];
  if (trap !== undefined && trap !== null && String(trap).trim() !== '') {
    await deps.counters.honeypotCaught(form.id);
    // The bot sees the same answer a person would, with a lead id that was never stored.
    return { outcome: 'honeypot', form, leadId: leadIdFor(String(request.body.email ?? '')) };
  }

  const now = deps.clock.now();
  const at = now.toISOString();
  const lead = await normalizeSubmission(form, request.body, {
    at,
    ip: request.ip,
    referer: request.referer,
  });
  const window = Math.floor(now.getTime() / 60_000);
  if (request.ip) {
    const allowed = await deps.limiter.hit(`ip#${sha256Hex(request.ip)}`, {
      limit: deps.limits.perIpPerMinute,
      window,
    });
    if (!allowed) throw new RateLimitedError(secondsToNextWindow(now));
  }

  const activity: Activity = {
    activityId: request.idempotencyKey
      ? `act_k${sha256Hex(`${form.id}\n${request.idempotencyKey}`).slice(0, 25)}`
      : newId('act', now),
    leadId: lead.leadId,
    type: 'form_submitted',
    at,
    source: `form:${form.id}`,
    formId: form.id,
    attribution: lead.attribution,
    consent: lead.consent,
    fields: Object.keys(lead.fields).sort(),
  };
  let duplicate: boolean;
  try {
    ({ duplicate } = await recordActivity(
      deps,
      {
        leadId: lead.leadId,
        email: lead.email,
        activity,
        merge: lead,
        perEmail: { limit: deps.limits.perEmailPerMinute, window },
      },
      { expectNew: true, createIfMissing: true },
    ));
  } catch (error) {
    if (error instanceof RateLimitedError) throw new RateLimitedError(secondsToNextWindow(now));
    throw error;
  }
  for (const listener of deps.listeners ?? []) await listener({ lead, activity, duplicate });
  return { outcome: 'accepted', form, leadId: lead.leadId, duplicate };
}

function secondsToNextWindow(now: Date): number {
  return 60 - Math.floor((now.getTime() % 60_000) / 1000);
}
