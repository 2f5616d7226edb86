import type { CaptureResult } from '../core/capture/capture';
import { type Form, isOriginAllowed } from '../core/capture/form';
import { LeadflowError } from '../core/kernel/errors';
import { errorResponse, type HttpResult, json } from './http';
import type { BodyEncoding } from './request-body';

/** CORS answers only for the form's own allowed origins; others get no CORS headers at all. */
export function corsHeaders(form: Form | undefined, origin: string | undefined): Record<string, string> {
  if (!form || !origin || !isOriginAllowed(form, origin)) return { vary: 'Origin' };
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': 'Retry-After',
    vary: 'Origin',
  };
}

export function preflight(form: Form, origin: string | undefined): HttpResult {
  return {
    statusCode: 204,
    headers: {
      ...corsHeaders(form, origin),
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'Content-Type, Idempotency-Key',
      'access-control-max-age': '600',
    },
  };
}

const redirect = (location: string, headers: Record<string, string>): HttpResult => ({
  statusCode: 303,
  headers: { ...headers, location, 'cache-control': 'no-store' },
});

/** 202 for scripts; a browser form post goes on to the thank-you page, bots included. */
export function acceptedResponse(
  result: CaptureResult,
  encoding: BodyEncoding,
  cors: Record<string, string>,
): HttpResult {
  if (encoding === 'urlencoded') return redirect(result.form.thankYouUrl, cors);
  return json(202, { leadId: result.leadId, status: 'accepted' }, cors);
}

/**
 * A browser post that failed goes back to the page it came from with what failed in the query
 * (`error` — the error code —, `error_form`, `error_fields` — the names of the form's fields that
 * failed), so forms work with JavaScript off. No free text travels: the page shows its own fixed
 * message for the code, so nobody can put words on a customer's page with a crafted link. The
 * page must be on one of the form's origins: never an open redirect. Otherwise the JSON error stands.
 */
export function failedResponse(
  error: unknown,
  form: Form | undefined,
  encoding: BodyEncoding | undefined,
  backTo: string | undefined,
  cors: Record<string, string>,
): HttpResult {
  const page = safeBackUrl(form, backTo);
  if (encoding !== 'urlencoded' || !page || !form || !(error instanceof LeadflowError))
    return errorResponse(error, cors);
  for (const name of ['error', 'error_form', 'error_message', 'error_fields']) page.searchParams.delete(name);
  page.searchParams.set('error', error.code);
  page.searchParams.set('error_form', form.id);
  const declared = new Set(form.fields.map((f) => f.name));
  const fields = [...new Set(error.details.map((d) => d.path).filter((path) => declared.has(path)))];
  if (fields.length > 0) page.searchParams.set('error_fields', fields.join(','));
  return redirect(page.toString(), cors);
}

function safeBackUrl(form: Form | undefined, backTo: string | undefined): URL | undefined {
  if (!form || !backTo) return undefined;
  try {
    const url = new URL(backTo);
    return isOriginAllowed(form, url.origin) ? url : undefined;
  } catch {
    return undefined;
  }
}
