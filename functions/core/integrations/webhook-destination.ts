// standardwebhooks: the Standard Webhooks project's own library (the spec's reference
// implementation, the one receivers verify with), so our signatures match theirs byte for byte.
import { Webhook } from 'standardwebhooks';
import { parseRetryAfter } from './backoff';
import type { DeliveryResult, Destination } from './destination';
import type { EventType, IntegrationEvent, LeadAtDelivery } from './events';
import { addressAllowed, checkEndpointUrl, type UrlPolicy } from './url-rules';
import { signingSecrets, type WebhookEndpoint } from './webhook-endpoint';
import { type WebhookPayload, webhookPayload } from './webhook-payload';

export const DELIVERY_TIMEOUT_MS = 10_000;
export const EXCERPT_CHARS = 500;

/** What one POST came to: the receiver's answer, or why there was none. */
export type TransportAnswer =
  | { kind: 'answered'; status: number; retryAfter?: string; excerpt: string; latencyMs: number }
  | { kind: 'failed'; reason: 'timeout' | 'network' | 'dns' | 'address_refused'; latencyMs: number };

/**
 * POSTs to a URL: resolves the host, refuses unless `allowed(address)` holds for every address
 * it would use, connects to the checked address (never resolving again), follows no redirect.
 */
export interface WebhookTransport {
  post(
    url: URL,
    request: { headers: Record<string, string>; body: string; timeoutMs: number },
    allowed: (address: string) => boolean,
  ): Promise<TransportAnswer>;
}

/** Standard Webhooks headers: one `v1,<sig>` per secret (the previous one too during a rotation). */
export function signedHeaders(
  secrets: string[],
  msgId: string,
  at: Date,
  body: string,
): Record<string, string> {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(msgId, at, body));
  return {
    'content-type': 'application/json',
    'user-agent': 'Leadflow-Webhooks/1',
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}

/** Statuses worth trying again (RFC 9110: timeouts, conflicts, too early, too many requests) besides 5xx. */
const RETRYABLE = new Set([408, 409, 425, 429]);

/** An admin's webhook endpoint as a destination: signs, POSTs (10 s), and reads the answer. */
export class WebhookDestination implements Destination {
  readonly kind = 'webhook' as const;
  readonly id: string;

  constructor(
    private readonly endpoint: WebhookEndpoint,
    private readonly transport: WebhookTransport,
    private readonly policy: UrlPolicy,
    private readonly clock: { now(): Date },
  ) {
    this.id = endpoint.endpointId;
  }

  accepts(type: EventType): boolean {
    return this.endpoint.eventTypes.includes(type);
  }

  deliver(event: IntegrationEvent, lead: LeadAtDelivery, _attempt: number): Promise<DeliveryResult> {
    return this.send(event.id, webhookPayload(event, lead));
  }

  /** Signs and POSTs one payload under `msgId` (the event id: the same on every retry). */
  async send(msgId: string, payload: WebhookPayload): Promise<DeliveryResult> {
    const verdict = checkEndpointUrl(this.endpoint.url, this.policy);
    if (!verdict.ok) return { kind: 'rejected', latencyMs: 0, reason: `url_refused: ${verdict.reason}` };
    const now = this.clock.now();
    const body = JSON.stringify(payload);
    const answer = await this.transport.post(
      verdict.url,
      {
        headers: signedHeaders(signingSecrets(this.endpoint, now), msgId, now, body),
        body,
        timeoutMs: DELIVERY_TIMEOUT_MS,
      },
      (address) => addressAllowed(address, verdict.url, this.policy),
    );
    return resultOf(answer, now);
  }
}

function resultOf(answer: TransportAnswer, now: Date): DeliveryResult {
  if (answer.kind === 'failed') {
    if (answer.reason === 'address_refused')
      return { kind: 'rejected', latencyMs: answer.latencyMs, reason: 'address_refused' };
    return { kind: 'retry', latencyMs: answer.latencyMs, reason: answer.reason };
  }
  const { status, latencyMs } = answer;
  const excerpt = answer.excerpt.slice(0, EXCERPT_CHARS);
  if (status >= 200 && status < 300) return { kind: 'delivered', status, latencyMs, excerpt };
  if (status >= 500 || RETRYABLE.has(status)) {
    const retryAfterSeconds = parseRetryAfter(answer.retryAfter, now);
    return {
      kind: 'retry',
      status,
      latencyMs,
      reason: `http_${status}`,
      excerpt,
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    };
  }
  return { kind: 'rejected', status, latencyMs, reason: status === 410 ? 'gone' : `http_${status}`, excerpt };
}
