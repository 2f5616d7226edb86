import type { DeliveryResult } from './destination';

/**
 * What a vendor's HTTP API answered to one call, as the adapters report it (they never throw):
 * the status, the parsed body (JSON, else the text), Retry-After in seconds where sent; or a
 * timeout / network failure. The core maps it to a DeliveryResult.
 */
export type HttpReply =
  | { status: number; latencyMs: number; body: unknown; retryAfterSeconds?: number }
  | { status?: undefined; latencyMs: number; failure: 'timeout' | 'network'; reason: string };

/** When a 429 names no Retry-After: wait this long (seconds) before the next attempt. */
export const DEFAULT_RETRY_AFTER_SECONDS = 30;

/** Timeouts, network errors, 408/425/429 and 5xx are worth another attempt; other 4xx are not. */
export function transportResult(reply: HttpReply, vendor: string): DeliveryResult | undefined {
  if (reply.status === undefined)
    return {
      kind: 'retry',
      latencyMs: reply.latencyMs,
      reason: `${vendor} ${reply.failure}: ${reply.reason}`,
    };
  const { status, latencyMs } = reply;
  if (status === 429)
    return {
      kind: 'retry',
      status,
      latencyMs,
      reason: `${vendor} rate limited`,
      retryAfterSeconds: reply.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
    };
  if (status >= 500 || status === 408 || status === 425)
    return {
      kind: 'retry',
      status,
      latencyMs,
      reason: `${vendor} answered ${status}`,
      excerpt: excerptOf(reply.body),
    };
  return undefined;
}

/** A short, personal-data-free excerpt of a vendor's answer: only its error code fields, at most 200 characters. */
export function excerptOf(body: unknown): string | undefined {
  if (typeof body === 'string') return /^[a-z_]{1,60}$/.test(body) ? body : undefined;
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  const parts = ['error', 'category', 'errorType', 'policyName', 'subCategory']
    .filter((key) => typeof record[key] === 'string')
    .map((key) => `${key}=${String(record[key]).slice(0, 60)}`);
  return parts.length > 0 ? parts.join(' ').slice(0, 200) : undefined;
}

/** Nothing to send for this event (an erased lead, no owner): recorded as delivered, no call made. */
export const nothingToSend = (why: string): DeliveryResult => ({
  kind: 'delivered',
  status: 204,
  latencyMs: 0,
  excerpt: `nothing to send: ${why}`,
});
