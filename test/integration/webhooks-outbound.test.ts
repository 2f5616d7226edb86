import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { api, hotDemoRequest, type Json, startTestStack, waitFor } from '../fixtures/local-api';

/**
 * Outbound webhooks on the local stack, delivered to a real receiver on 127.0.0.1: signatures
 * checked with standardwebhooks' own verify, retries with the same webhook-id, Retry-After, a slow
 * endpoint, 410, an erase while a delivery waits, a secret rotation.
 */
interface Received {
  path: string;
  id: string;
  body: string;
  headers: Record<string, string>;
}
const received: Received[] = [];
/** Per path: the statuses to answer in turn (the last one repeats), or a delay before answering. */
const script = new Map<string, { statuses: number[]; delayMs?: number; retryAfter?: string }>();
let receiver: Server;
let base = '';
let stack: LocalStack;
let call: ReturnType<typeof api>;
let admin = '';

async function read(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  receiver = createServer(async (req, res) => {
    const body = await read(req);
    const path = req.url ?? '';
    const plan = script.get(path) ?? { statuses: [200] };
    received.push({
      path,
      id: String(req.headers['webhook-id']),
      body,
      headers: req.headers as Record<string, string>,
    });
    if (plan.delayMs) await new Promise((resolve) => setTimeout(resolve, plan.delayMs));
    const status = plan.statuses.length > 1 ? (plan.statuses.shift() as number) : (plan.statuses[0] ?? 200);
    res.writeHead(status, plan.retryAfter && status === 429 ? { 'retry-after': plan.retryAfter } : {});
    res.end(status >= 400 ? `no thanks (${status})` : 'ok');
  });
  receiver.listen(0, '127.0.0.1');
  await new Promise((resolve) => receiver.once('listening', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  process.env.LEADFLOW_WEBHOOK_RETRY_BASE_SECONDS = '1';
  stack = await startTestStack({ tickSeconds: 1 });
  call = api(stack);
  admin = stack.tokens.admin;
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  receiver?.close();
});

async function endpoint(path: string, eventTypes: string[]) {
  const res = await call.post('/v1/admin/webhooks/endpoints', { url: `${base}${path}`, eventTypes }, admin);
  expect(res.status).toBe(201);
  return res.json as Json;
}
const at = (path: string) => received.filter((r) => r.path === path);
const arrived = (path: string, count: number, timeoutMs = 20_000) =>
  waitFor(
    `${count} deliveries to ${path}`,
    async () => (at(path).length >= count ? at(path) : undefined),
    timeoutMs,
  );

describe('outbound webhooks', () => {
  it('delivers lead.hot signed per Standard Webhooks; retries a 500 with the same webhook-id; honours 429 Retry-After', async () => {
    const ok = await endpoint('/ok', ['lead.hot']);
    expect(ok.secret).toMatch(/^whsec_/);
    script.set('/flaky', { statuses: [500, 200] });
    await endpoint('/flaky', ['lead.hot']);
    script.set('/limited', { statuses: [429, 200], retryAfter: '1' });
    await endpoint('/limited', ['lead.hot']);
    expect((await call.submit('demo-request', hotDemoRequest('hot.one@initech.example'))).status).toBe(202);

    const [delivery] = await arrived('/ok', 1);
    const payload = new Webhook(ok.secret).verify(delivery?.body ?? '', delivery?.headers ?? {}) as Json;
    expect(payload).toMatchObject({ schema: 'leadflow.webhook.v1', type: 'lead.hot' });
    expect(payload.data.lead.email).toBe('hot.one@initech.example');
    expect(delivery?.id).toBe(payload.data.eventId);

    const flaky = await arrived('/flaky', 2);
    expect(new Set(flaky.map((r) => r.id)).size).toBe(1);
    const limited = await arrived('/limited', 2);
    expect(limited[0]?.id).toBe(limited[1]?.id);

    const log = await waitFor('the flaky log', async () => {
      const res = await call.get(`/v1/admin/webhooks/endpoints/${ok.id}/deliveries`, admin);
      return res.json.deliveries.length > 0 ? res.json.deliveries : undefined;
    });
    expect(log[0]).toMatchObject({ outcome: 'delivered', status: 200, eventType: 'lead.hot', attempt: 1 });
    expect(JSON.stringify(log)).not.toContain('hot.one@');
  }, 60_000);

  it('retries a slow endpoint after the 10-second timeout, and disables an endpoint that answers 410', async () => {
    script.set('/slow', { statuses: [200], delayMs: 10_500 });
    const slow = await endpoint('/slow', ['lead.stage_changed']);
    script.set('/gone', { statuses: [410] });
    const gone = await endpoint('/gone', ['lead.stage_changed']);
    await call.submit('demo-request', hotDemoRequest('slow.one@initech.example'));
    await arrived('/gone', 1);
    const disabled = await waitFor('the 410 to disable the endpoint', async () => {
      const res = await call.get(`/v1/admin/webhooks/endpoints/${gone.id}`, admin);
      return res.json.status === 'disabled' ? res.json : undefined;
    });
    expect(disabled.pausedReason).toBe('gone_410');
    const slowLog = await waitFor(
      'the timed-out attempt',
      async () => {
        const res = await call.get(`/v1/admin/webhooks/endpoints/${slow.id}/deliveries`, admin);
        return res.json.deliveries.find((d: Json) => d.reason === 'timeout');
      },
      25_000,
    );
    expect(slowLog).toMatchObject({ outcome: 'retrying', attempt: 1 });
    expect(slowLog.latencyMs).toBeGreaterThanOrEqual(9_900);
  }, 60_000);

  it('an erase while a delivery waits: the retry carries no personal data, and lead.erased goes out', async () => {
    script.set('/held', { statuses: [503, 503, 200] });
    await endpoint('/held', ['lead.hot', 'lead.erased']);
    await call.submit('demo-request', hotDemoRequest('erase.me@initech.example'));
    const [first] = await arrived('/held', 1);
    expect(first?.body).toContain('erase.me@initech.example');
    const leadId = JSON.parse(first?.body ?? '{}').data.leadId;
    const erased = await fetch(`${stack.apiUrl}/v1/admin/leads/${leadId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${stack.tokens.marketing}` },
    });
    expect(erased.status).toBe(200);
    const all = await waitFor(
      'the retries and lead.erased',
      async () => {
        const held = at('/held');
        return held.some((r) => r.body.includes('"lead.erased"')) && held.length >= 4 ? held : undefined;
      },
      30_000,
    );
    for (const later of all.slice(1)) {
      expect(later.body).not.toContain('erase.me');
      expect(later.body).not.toContain('Vera');
    }
    const erasedEvent = JSON.parse(all.find((r) => r.body.includes('"lead.erased"'))?.body ?? '{}');
    expect(erasedEvent.data).toMatchObject({ leadId, lead: null });
  }, 60_000);

  it('rotation: the old secret still verifies during the overlap, and the new one does', async () => {
    const ep = await endpoint('/rotated', ['lead.outcome']);
    const rotated = await call.post(`/v1/admin/webhooks/endpoints/${ep.id}/rotate-secret`, {}, admin);
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).not.toBe(ep.secret);
    const test = await call.post(`/v1/admin/webhooks/endpoints/${ep.id}/test`, {}, admin);
    expect(test.json).toMatchObject({ delivered: true, status: 200 });
    const [ping] = at('/rotated');
    for (const secret of [ep.secret, rotated.json.secret])
      expect(new Webhook(secret).verify(ping?.body ?? '', ping?.headers ?? {})).toMatchObject({
        type: 'webhook.test',
      });
    const view = await call.get(`/v1/admin/webhooks/endpoints/${ep.id}`, admin);
    expect(JSON.stringify(view.json)).not.toContain('whsec_');
    expect(view.json.updatedBy.name).toBeTruthy();
  });

  it('refuses private URLs (and plain http other than 127.0.0.1:<port>), and marketing gets 403', async () => {
    for (const url of [
      'http://10.0.0.5:8080/x',
      'https://169.254.169.254/latest',
      'http://localhost:9999/x',
      'https://[::1]/x',
    ]) {
      const res = await call.post('/v1/admin/webhooks/endpoints', { url, eventTypes: ['lead.hot'] }, admin);
      expect(res.status).toBe(400);
      expect(res.json.error.details[0].path).toBe('url');
    }
    const res = await call.post(
      '/v1/admin/webhooks/endpoints',
      { url: `${base}/x`, eventTypes: ['lead.hot'] },
      stack.tokens.marketing,
    );
    expect(res.status).toBe(403);
  });
});
