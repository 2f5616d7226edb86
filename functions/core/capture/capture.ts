import type { Clock } from '../kernel/clock';
import { sha256Hex } from '../kernel/email';
import { FormNotFoundError, OriginNotAllowedError, RateLimitedError } from '../kernel/errors';
import { newId } from '../kernel/ids';
import type { Activity } from '../leads/lead';
import type { LeadCapturedListener } from '../leads/ports';
import { type RecordDeps, recordActivity } from '../leads/record-activity';
import { type Form, honeypotFilled, isFormId, isOriginAllowed } from './form';
import type { FormCatalog, FormCounters, RateLimiter } from './ports';
import { normalizeSubmission, type SubmissionBody } from './submission';

export interface CaptureDeps extends RecordDeps {
  forms: FormCatalog;
  limiter: RateLimiter;
  counters: FormCounters;
  clock: Clock;
  limits: {
    perIpPerMinute: number;
    perEmailPerMinute: number;
    /** Double opt-in confirmation emails asked for from one IP per hour (default 10). */
    confirmationsPerIpPerHour?: number;
  };
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
 * 1. Find the active form (404; an id that cannot be a form's is not looked up); a browser's
 *    Origin must be one the form allows (403; `Origin: null` — sandboxed frames, data: pages — too).
 * 2. Normalize and validate by the form's rules (400 with every field error).
 * 3. A filled honeypot then answers the success a person would get and stores nothing but a
 *    counter: a bot cannot tell the trap from a real answer.
 * 4. Rate-limit per IP, then per email inside the lead write itself (429). A double opt-in
 *    sign-up past the per-IP hourly cap on confirmation emails is stored as usual, but asks for
 *    no email (so a script cannot turn the form into a mail relay).
 * 5. Record a `form_submitted` activity: merge, score and stage in one lead write, then the
 *    activity; a retried Idempotency-Key maps to the same activity id, so it stores nothing new.
 * 6. Tell listeners (scoring, nurture) the lead was captured.
 */
export async function captureSubmission(
  deps: CaptureDeps,
  request: SubmissionRequest,
): Promise<CaptureResult> {
  if (!isFormId(request.formId)) throw new FormNotFoundError(request.formId);
  const form = await deps.forms.activeForm(request.formId);
  if (!form) throw new FormNotFoundError(request.formId);
  if (request.origin !== undefined && !isOriginAllowed(form, request.origin)) {
    throw new OriginNotAllowedError();
  }

  const now = deps.clock.now();
  const at = now.toISOString();
  const lead = await normalizeSubmission(form, request.body, {
    at,
    ip: request.ip,
    referer: request.referer,
  });
  if (honeypotFilled(request.body[form.honeypotField])) {
    await deps.counters.honeypotCaught(form.id);
    // The bot sees the same answer a person would, with a lead id that was never stored.
    return { outcome: 'honeypot', form, leadId: lead.leadId };
  }
  const window = Math.floor(now.getTime() / 60_000);
  if (request.ip) {
    const allowed = await deps.limiter.hit(`ip#${sha256Hex(request.ip)}`, {
      limit: deps.limits.perIpPerMinute,
      window,
    });
    if (!allowed) throw new RateLimitedError(secondsToNextWindow(now));
  }
  const withholdConfirmation =
    lead.consent?.pendingConfirmation === true && request.ip !== undefined
      ? !(await deps.limiter.hit(`confirm-ip#${sha256Hex(request.ip)}`, {
          limit: deps.limits.confirmationsPerIpPerHour ?? CONFIRMATIONS_PER_IP_PER_HOUR,
          window: hourWindow(now),
        }))
      : false;

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
        ...(withholdConfirmation ? { withholdConfirmation } : {}),
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

/** Double opt-in confirmation emails asked for from one IP per clock hour, unless configured. */
export const CONFIRMATIONS_PER_IP_PER_HOUR = 10;

/**
 * The limiter counts per minute window (and expires a counter two minutes after it): an hour is
 * counted under the number of its last minute, so its counter lives until the hour is over.
 */
function hourWindow(now: Date): number {
  return (Math.floor(now.getTime() / 3_600_000) + 1) * 60 - 1;
}

function secondsToNextWindow(now: Date): number {
  return 60 - Math.floor((now.getTime() % 60_000) / 1000);
}
