import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  backoffCeiling,
  MAX_ATTEMPTS,
  parseRetryAfter,
  retryDelaySeconds,
} from '../../functions/core/integrations/backoff';
import { type DeliverDeps, deliverMessage } from '../../functions/core/integrations/deliver';
import type { DeliveryResult } from '../../functions/core/integrations/destination';
import type { DeliveryLogEntry, DeliveryMessage } from '../../functions/core/integrations/ports';
import { signedHeaders } from '../../functions/core/integrations/webhook-destination';
import {
  newSecret,
  signingSecrets,
  type WebhookEndpoint,
} from '../../functions/core/integrations/webhook-endpoint';
import { webhookPayload } from '../../functions/core/integrations/webhook-payload';
import type { LeadState } from '../../functions/core/leads/lead';

describe('signing (Standard Webhooks)', () => {
  it("verifies with standardwebhooks' own verify, with either secret during a rotation", () => {
    const [current, previous] = [newSecret(), newSecret()];
    const body = JSON.stringify({ type: 'lead.hot' });
    const at = new Date();
    const headers = signedHeaders([current, previous], 'evt_1.lead.hot', at, body);
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, headers)).toEqual({ type: 'lead.hot' });
    expect(new Webhook(previous).verify(body, headers)).toEqual({ type: 'lead.hot' });
    expect(() => new Webhook(newSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(current).verify(`${body} `, headers)).toThrow();
  });

  it('signs with the previous secret only until its overlap ends', () => {
    const endpoint = {
      secret: 'whsec_new',
      previousSecret: 'whsec_old',
      previousSecretUntil: '2026-12-04T10:00:00Z',
    } as WebhookEndpoint;
    expect(signingSecrets(endpoint, new Date('2026-12-04T09:59:59Z'))).toEqual(['whsec_new', 'whsec_old']);
    expect(signingSecrets(endpoint, new Date('2026-12-04T10:00:01Z'))).toEqual(['whsec_new']);
  });
});

describe('backoff', () => {
  it('grows exponentially with full jitter, honours Retry-After, and spans about a day over 12 attempts', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffCeiling(attempt))).toEqual([120, 240, 480, 960]);
    expect(retryDelaySeconds(3, 0.5)).toBe(240);
    expect(retryDelaySeconds(3, 0)).toBe(1);
    expect(retryDelaySeconds(1, 0.1, 120)).toBe(120);
    const ceilings = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => backoffCeiling(i + 1));
    const total = ceilings.reduce((a, b) => a + b, 0);
    // Expected wait (half of each ceiling) ≈ a day; the 24-hour window cuts the tail.
    expect(total / 2 / 3600).toBeGreaterThan(18);
    expect(total / 2 / 3600).toBeLessThan(30);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = new Date('2026-12-03T10:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30);
    expect(parseRetryAfter('Thu, 03 Dec 2026 10:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('payload at delivery time', () => {
  const event = {
    id: 'evt_1.lead.hot',
    type: 'lead.hot' as const,
    occurredAt: '2026-12-03T10:00:00Z',
    leadId: 'l1',
    data: { handoff: 1 },
  };
  const lead = {
    email: 'vera@initech.example',
    stage: 'sql',
    score: { total: 80, grade: 'A' },
    profile: { firstName: { value: 'Vera', source: 'form', at: '' } },
  } as unknown as LeadState;

  it('carries the person as the lead holds them now, and nothing once the lead is gone or being erased', () => {
    expect(webhookPayload(event, lead).data.lead).toMatchObject({
      email: 'vera@initech.example',
      firstName: 'Vera',
    });
    expect(webhookPayload(event, undefined).data.lead).toBeNull();
    expect(JSON.stringify(webhookPayload(event, { ...lead, erasing: '2026-12-03T10:00:00Z' }))).not.toContain(
      'vera',
    );
    expect(webhookPayload({ ...event, type: 'lead.erased' }, lead).data.lead).toBeNull();
  });
});

describe('delivery worker', () => {
  const start = new Date('2026-12-03T10:00:00Z');
  const message: DeliveryMessage = {
    event: {
      id: 'evt_1.lead.hot',
      type: 'lead.hot',
      occurredAt: start.toISOString(),
      leadId: 'l1',
      data: {},
    },
    destinationId: 'wh_1',
    attempt: 1,
    firstQueuedAt: start.toISOString(),
  };
  function harness(
    results: DeliveryResult[],
    options: { failingSince?: string; now?: Date; active?: boolean } = {},
  ) {
    const later: { message: DeliveryMessage; delay: number }[] = [];
    const dead: DeliveryMessage[] = [];
    const log: DeliveryLogEntry[] = [];
    const stopped: string[] = [];
    const deps: DeliverDeps = {
      destinations: {
        find: async () => ({
          active: options.active ?? true,
          destination: {
            id: 'wh_1',
            kind: 'webhook',
            accepts: () => true,
            deliver: async () => results.shift() as DeliveryResult,
          },
        }),
      },
      leads: { atDelivery: async () => undefined },
      queue: {
        enqueue: async () => {},
        enqueueLater: async (m, delay) => void later.push({ message: m, delay }),
        deadLetter: async (m) => void dead.push(m),
      },
      log: {
        record: async (e) => void log.push(e),
        list: async () => ({ entries: [] }),
        get: async () => undefined,
      },
      health: {
        succeeded: async () => {},
        failed: async (_id, at) => options.failingSince ?? at,
        stop: async (_id, status, reason) => Boolean(stopped.push(`${status}:${reason}`)),
      },
      clock: { now: () => options.now ?? start },
      random: () => 0.5,
    };
    return { deps, later, dead, log, stopped };
  }

  it('queues a retryable failure again with the same event id, attempt + 1, within one SQS delay', async () => {
    const h = harness([{ kind: 'retry', status: 500, latencyMs: 12, reason: 'http_500' }]);
    expect(await deliverMessage(h.deps, message)).toBe('retrying');
    expect(h.later[0]?.message).toMatchObject({ event: { id: 'evt_1.lead.hot' }, attempt: 2 });
    expect(h.later[0]?.delay).toBe(60);
    expect(h.log[0]).toMatchObject({ outcome: 'retrying', status: 500, attempt: 1 });
  });

  it('waits Retry-After (429), chaining hops of at most 15 minutes', async () => {
    const h = harness([
      { kind: 'retry', status: 429, latencyMs: 5, reason: 'http_429', retryAfterSeconds: 3600 },
    ]);
    await deliverMessage(h.deps, message);
    expect(h.later[0]?.delay).toBe(900);
    const next = h.later[0]?.message as DeliveryMessage;
    expect(Date.parse(next.notBefore ?? '') - start.getTime()).toBe(3600_000);
    const hop = harness([]);
    expect(await deliverMessage(hop.deps, next)).toBe('waiting');
    expect(hop.later[0]?.delay).toBe(900);
  });

  it('parks the message on the DLQ after the last attempt', async () => {
    const h = harness([{ kind: 'retry', latencyMs: 10_000, reason: 'timeout' }]);
    expect(await deliverMessage(h.deps, { ...message, attempt: MAX_ATTEMPTS })).toBe('dead_lettered');
    expect(h.dead).toHaveLength(1);
  });

  it('disables the endpoint on 410 Gone, pauses it after a day of failures, parks deliveries of a paused one', async () => {
    const gone = harness([{ kind: 'rejected', status: 410, latencyMs: 3, reason: 'gone' }]);
    expect(await deliverMessage(gone.deps, message)).toEqual({ stopped: 'disabled' });
    expect(gone.stopped).toEqual(['disabled:gone_410']);
    const failing = harness([{ kind: 'retry', status: 503, latencyMs: 3, reason: 'http_503' }], {
      failingSince: '2026-12-02T09:59:00Z',
    });
    expect(await deliverMessage(failing.deps, message)).toEqual({ stopped: 'paused' });
    expect(failing.stopped).toEqual(['paused:failing_24h']);
    expect(failing.dead).toHaveLength(1);
    const paused = harness([], { active: false });
    expect(await deliverMessage(paused.deps, message)).toBe('dead_lettered');
  });
});
