import type { DeliveryResult } from '../destination';
import { excerptOf, type HttpReply, transportResult } from '../http-reply';

/**
 * HubSpot's answer when it is not the expected success: 429 (ten-secondly or daily limit, with
 * `policyName`) and 5xx are retried, 401/403 (a revoked or under-scoped private app token) and
 * other 4xx are refused. A daily limit waits until HubSpot's next day (midnight, taken as UTC).
 */
export function hubspotFailure(reply: HttpReply, step: string, now = new Date()): DeliveryResult {
  const body = reply.status === undefined ? undefined : (reply.body as { policyName?: string } | undefined);
  const transport = transportResult(reply, `hubspot ${step}`);
  if (transport?.kind === 'retry' && transport.status === 429 && body?.policyName === 'DAILY')
    return {
      ...transport,
      reason: `hubspot ${step}: daily limit`,
      retryAfterSeconds: secondsToNextUtcDay(now),
      excerpt: excerptOf(body),
    };
  if (transport) return transport.status === 429 ? { ...transport, excerpt: excerptOf(body) } : transport;
  const status = reply.status as number;
  const why = status === 401 ? 'token refused' : status === 403 ? 'missing scope' : `answered ${status}`;
  return {
    kind: 'rejected',
    status,
    latencyMs: reply.latencyMs,
    reason: `hubspot ${step}: ${why}`,
    excerpt: excerptOf(body),
  };
}

export const secondsToNextUtcDay = (now: Date) => {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000) + 60);
};

/** The id HubSpot names in a 409 CONFLICT on create ("Contact already exists. Existing ID: 123"). */
export function existingIdOf(body: unknown): string | undefined {
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? /Existing ID:\s*(\d+)/.exec(message)?.[1] : undefined;
}

export const isOk = (reply: HttpReply): reply is Extract<HttpReply, { status: number }> =>
  reply.status !== undefined && reply.status >= 200 && reply.status < 300;

export const idOf = (reply: HttpReply): string | undefined => {
  const id = reply.status === undefined ? undefined : (reply.body as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
};
