import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { LeadflowError, RateLimitedError } from '../core/kernel/errors';
import { logger } from './logger';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** The one place a named error becomes an HTTP status. */
const STATUS: Record<string, number> = {
  validation_failed: 400,
  malformed_body: 400,
  invalid_unsubscribe_token: 400,
  invalid_confirmation_token: 400,
  confirmation_expired: 400,
  unauthorized: 401,
  forbidden: 403,
  origin_not_allowed: 403,
  form_not_found: 404,
  webhook_not_configured: 404,
  lead_not_found: 404,
  route_not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  claim_not_held: 409,
  send_in_progress: 409,
  lead_being_erased: 409,
  // Nurture admin: unknown ids, refused manual enrollments, proofs SES did not take.
  config_not_found: 404,
  version_not_found: 404,
  // An edit based on a version that is no longer the active one (someone else activated theirs).
  version_conflict: 409,
  sequence_not_found: 404,
  template_not_found: 404,
  broadcast_not_found: 404,
  segment_not_found: 404,
  // A broadcast that is done or cancelled cannot be cancelled; only a draft can be edited or scheduled.
  broadcast_not_cancellable: 409,
  broadcast_not_draft: 409,
  already_enrolled: 409,
  already_enrolled_once: 409,
  no_consent: 409,
  owned_by_sales: 409,
  stage_reached: 409,
  test_lead: 409,
  sequence_disabled: 409,
  suppressed_address: 400,
  proof_rejected: 400,
  proof_throttled: 429,
  // Background lead exports: unknown or expired, or asked for its file before it is ready.
  export_not_found: 404,
  export_not_ready: 409,
  // CSV imports: unknown or expired, started already, started before its file was uploaded.
  import_not_found: 404,
  import_not_startable: 409,
  import_not_uploaded: 409,
  // Outbound webhooks: an unknown endpoint, a delivery not in its 30-day log.
  webhook_endpoint_not_found: 404,
  delivery_not_found: 404,
  // Reports: a query the API cannot answer, a report that does not exist.
  invalid_report_query: 400,
  report_not_found: 404,
  // SES did not answer: not the caller's input; the proof may or may not have gone out.
  proof_not_sent: 502,
};

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

export function statusOf(error: LeadflowError): number {
  return STATUS[error.code] ?? 400;
}

/** `{"error":{"code","message","details"}}` for every 4xx/5xx; unknown errors never leak their message. */
export function errorResponse(error: unknown, headers: Record<string, string> = {}): HttpResult {
  if (error instanceof LeadflowError) {
    const extra: Record<string, string> =
      error instanceof RateLimitedError ? { 'retry-after': String(error.retryAfterSeconds) } : {};
    return json(
      statusOf(error),
      { error: { code: error.code, message: error.message, details: error.details } },
      { ...headers, ...extra },
    );
  }
  const name = error instanceof Error ? error.name : typeof error;
  logger.error('unhandled error', { errorName: name });
  return json(
    500,
    { error: { code: 'internal_error', message: 'Something went wrong on our side.', details: [] } },
    headers,
  );
}

export function header(event: HttpEvent, name: string): string | undefined {
  const value = event.headers?.[name];
  return value === undefined || value === '' ? undefined : value;
}
