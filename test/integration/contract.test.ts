import { createHmac, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { signConfirmationToken } from '../../functions/core/consent/confirmation-token';
import { signUnsubscribeToken } from '../../functions/core/consent/unsubscribe-token';
import { leadIdFor } from '../../functions/core/kernel/email';
import type { LocalStack } from '../../functions/local/stack';
import { ROUTES } from '../../functions/shared/routes';
import { recordAwsCalls } from '../fixtures/aws-calls';
import { type Answer, answerOf, contractChecker } from '../fixtures/contract';
import { startFakeGraph } from '../fixtures/fake-graph';
import { startFakeLinkedin } from '../fixtures/fake-linkedin';
import { ungrantedCalls } from '../fixtures/granted-calls';
import { hotDemoRequest, type Json, startTestStack, waitFor } from '../fixtures/local-api';

/**
 * Every route of the route table, driven over HTTP on the local stack, and each real answer
 * (status, media type, required headers, body with no undocumented field) checked against the
 * served /v1/openapi.json by test/fixtures/contract.ts. The last tests fail when a route of the
 * table, or a documented status, was never observed (a status may only be left out with its
 * reason in NOT_OBSERVED_HERE), or when a JSON answer is documented as generic JSON.
 */
let stack: LocalStack;
let graph: Awaited<ReturnType<typeof startFakeGraph>>;
let linkedin: Awaited<ReturnType<typeof startFakeLinkedin>>;
let doc: Json;
let checker: Awaited<ReturnType<typeof contractChecker>>;

const META_SECRET = 'meta-app-secret-for-contract';
const META_VERIFY = 'meta-verify-token-for-contract';
const GOOGLE_KEY = 'google-key-for-contract';
const LINKEDIN_SECRET = 'linkedin-client-secret-for-contract';
const TIKTOK_SECRET = 'tiktok-secret-for-contract';
const SIGNING_KEY = randomBytes(32).toString('base64url');
const hmacHex = (secret: string, data: Buffer) => createHmac('sha256', secret).update(data).digest('hex');

/** Which route and status each answer was, so the last test can say what was never reached. */
const seen = new Map<string, Set<number>>();
/** The first JSON object each "route status" answered with a 2xx, for the undocumented-field check. */
const succeeded = new Map<string, { route: string; status: number; json: Json }>();

// Every AWS call the handlers make while this file drives every route (see the last test).
const awsCalls = recordAwsCalls();

beforeAll(async () => {
  graph = await startFakeGraph();
  linkedin = await startFakeLinkedin();
  Object.assign(process.env, {
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    LEADFLOW_UNSUBSCRIBE_KEY: SIGNING_KEY,
    META_APP_SECRET: META_SECRET,
    META_VERIFY_TOKEN: META_VERIFY,
    META_ACCESS_TOKEN: 'meta-page-token',
    META_GRAPH_URL: graph.url,
    GOOGLE_ADS_WEBHOOK_KEY: GOOGLE_KEY,
    LINKEDIN_CLIENT_SECRET: LINKEDIN_SECRET,
    LINKEDIN_ACCESS_TOKEN: 'linkedin-access-token',
    LINKEDIN_API_URL: linkedin.url,
    TIKTOK_WEBHOOK_SECRET: TIKTOK_SECRET,
  });
  stack = await startTestStack({ rateLimits: { perIpPerMinute: 1_000_000, perEmailPerMinute: 3 } });
  checker = await contractChecker(stack.apiUrl);
  doc = checker.doc;
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await graph?.stop();
  await linkedin?.stop();
});

interface Call {
  headers?: Record<string, string>;
  body?: unknown;
  token?: string;
  params?: Record<string, string>;
  query?: string;
}
/** Calls `route` on the stack and checks the answer against the document; returns it. */
async function call(route: string, c: Call = {}): Promise<Answer> {
  const [method, template] = route.split(' ') as [string, string];
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(c.params?.[name] ?? ''),
  );
  const body =
    c.body === undefined ? undefined : Buffer.isBuffer(c.body) ? c.body : Buffer.from(JSON.stringify(c.body));
  const res = await fetch(`${stack.apiUrl}${path}${c.query ? `?${c.query}` : ''}`, {
    method,
    redirect: 'manual',
    headers: {
      ...(c.body !== undefined && !Buffer.isBuffer(c.body) ? { 'content-type': 'application/json' } : {}),
      ...(c.token ? { authorization: `Bearer ${c.token}` } : {}),
      ...c.headers,
    },
    body: body === undefined ? undefined : new Uint8Array(body),
  });
  const answer = await answerOf(res);
  checker.expectDocumented(route, answer);
  const statuses = seen.get(route) ?? new Set<number>();
  statuses.add(res.status);
  seen.set(route, statuses);
  const key = `${route} ${res.status}`;
  const object = typeof answer.json === 'object' && answer.json !== null && !Array.isArray(answer.json);
  if (res.status < 300 && object && !succeeded.has(key))
    succeeded.set(key, { route, status: res.status, json: answer.json });
  return answer;
}

const tokens = () => stack.tokens;

/** An edit based on a version no longer active: 409 to save and to activate; an activation's body errors. */
async function expectVersionConflicts(
  versions: string,
  activate: string,
  c: { body: Record<string, unknown>; params: Record<string, string>; stale: number; token: string },
) {
  const { body, params, stale, token } = c;
  const saved = await call(versions, { params, body: { ...body, basedOn: stale }, token });
  expect(saved.status).toBe(409);
  expect(saved.json.error.code).toBe('version_conflict');
  const at = { ...params, version: String(stale) };
  expect((await call(activate, { params: at, body: { basedOn: stale }, token })).status).toBe(409);
  expect((await call(activate, { params: at, body: Buffer.from('{}'), token })).status).toBe(415);
  const big = Buffer.from(JSON.stringify({ basedOn: 1, pad: 'x'.repeat(2000) }));
  const json = { 'content-type': 'application/json' };
  expect((await call(activate, { params: at, body: big, headers: json, token })).status).toBe(413);
}

describe('public routes', () => {
  it('health, the document, the embed script and the message schemas', async () => {
    expect((await call('GET /v1/health')).json).toEqual({ status: 'ok' });
    expect((await call('GET /v1/openapi.json')).json.openapi).toBe('3.1.0');
    expect((await call('GET /v1/embed.js')).type).toMatch(/^text\/javascript/);
    expect((await call('GET /v1/schemas/hot-lead.v1.json')).status).toBe(200);
    expect((await call('GET /v1/schemas/lead-erased.v1.json')).status).toBe(200);
    expect((await call('GET /v1/schemas/webhook-events.v1.json')).status).toBe(200);
  });
});

describe('forms', () => {
  const route = 'POST /v1/forms/{formId}/submissions';
  const origin = () => ({ origin: stack.apiUrl });
  it('answers 202, 303, 400, 403, 404, 413, 415 and 429 as documented, and the preflight', async () => {
    const params = { formId: 'newsletter' };
    expect(
      (await call(route, { params, body: { email: 'contract.form@acme.io', consent: true } })).status,
    ).toBe(202);
    const form = Buffer.from('email=contract.browser%40acme.io&consent=true');
    const browser = { 'content-type': 'application/x-www-form-urlencoded', ...origin() };
    expect((await call(route, { params, body: form, headers: browser })).status).toBe(303);
    expect((await call(route, { params, body: { email: 'not-an-email' } })).status).toBe(400);
    expect(
      (
        await call(route, {
          params,
          body: { email: 'a@acme.io' },
          headers: { origin: 'https://evil.example' },
        })
      ).status,
    ).toBe(403);
    expect(
      (await call(route, { params: { formId: 'no-such-form' }, body: { email: 'a@acme.io' } })).status,
    ).toBe(404);
    expect(
      (await call(route, { params, body: { email: 'a@acme.io', note: 'x'.repeat(40_000) } })).status,
    ).toBe(413);
    expect(
      (await call(route, { params, body: Buffer.from('email=a'), headers: { 'content-type': 'text/plain' } }))
        .status,
    ).toBe(415);
    let last: Answer | undefined;
    for (let i = 0; i < 5; i += 1)
      last = await call(route, { params, body: { email: 'contract.rate@acme.io' } });
    expect(last?.status).toBe(429);
    const preflight = await call('OPTIONS /v1/forms/{formId}/submissions', {
      params,
      headers: { ...origin(), 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    const unknown = { headers: { ...origin(), 'access-control-request-method': 'POST' } };
    for (const formId of ['no-such-form', 'Not_A_Form_Id!'])
      expect(
        (await call('OPTIONS /v1/forms/{formId}/submissions', { ...unknown, params: { formId } })).status,
      ).toBe(404);
  });
});

describe('leads', () => {
  it('the lead list, its CSV export and notes: 200/201, 400, 401, 403, 404, 413, 415', async () => {
    const submitted = await call('POST /v1/forms/{formId}/submissions', {
      params: { formId: 'demo-request' },
      body: { ...hotDemoRequest('contract.list@initech.de'), company: '=HYPERLINK("x")' },
    });
    const leadId = submitted.json.leadId as string;
    const list = 'GET /v1/admin/leads';
    const page = await call(list, { query: 'q=contract.list&limit=5', token: tokens().sales });
    expect(page.json).toMatchObject({ total: 1, totalExact: true, cursor: null });
    expect(page.json.leads[0]).toMatchObject({
      leadId,
      company: '=HYPERLINK("x")',
      stage: expect.any(String),
    });
    expect(
      (await call(list, { query: 'cursor=abc', token: tokens().marketing })).json.error.details[0].path,
    ).toBe('cursor');
    expect((await call(list, { query: 'sort=oldest' })).status).toBe(401);
    expect((await call(list, { token: tokens().ingest })).status).toBe(403);

    const exported = 'GET /v1/admin/leads/export';
    const csv = await call(exported, { query: 'q=contract.list', token: tokens().marketing });
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')[1]).toContain(
      `${leadId},contract.list@initech.de,Vera Price,"'=HYPERLINK(""x"")"`,
    );
    expect((await call(exported, { query: 'owned=maybe', token: tokens().marketing })).status).toBe(400);
    expect((await call(exported, {})).status).toBe(401);
    expect((await call(exported, { token: tokens().ingest })).status).toBe(403);

    const notes = 'POST /v1/admin/leads/{leadId}/notes';
    const note = await call(notes, {
      params: { leadId },
      body: { text: 'Called, asked for a demo' },
      token: tokens().sales,
    });
    expect(note.status).toBe(201);
    expect(note.json).toMatchObject({
      leadId,
      text: 'Called, asked for a demo',
      by: { name: expect.any(String) },
    });
    const view = await call('GET /v1/admin/leads/{leadId}', {
      params: { leadId },
      token: tokens().marketing,
    });
    expect(view.json.timeline[0]).toMatchObject({
      type: 'note',
      activityId: note.json.noteId,
      by: note.json.by,
    });
    expect(
      (await call(notes, { params: { leadId }, body: { text: '' }, token: tokens().sales })).status,
    ).toBe(400);
    expect((await call(notes, { params: { leadId }, body: { text: 'x' } })).status).toBe(401);
    expect(
      (await call(notes, { params: { leadId }, body: { text: 'x' }, token: tokens().ingest })).status,
    ).toBe(403);
    const unknown = { leadId: leadIdFor('nobody@acme.io') };
    expect((await call(notes, { params: unknown, body: { text: 'x' }, token: tokens().sales })).status).toBe(
      404,
    );
    const big = Buffer.from(JSON.stringify({ text: 'x'.repeat(20_000) }));
    const json = { 'content-type': 'application/json' };
    expect(
      (await call(notes, { params: { leadId }, body: big, headers: json, token: tokens().sales })).status,
    ).toBe(413);
    const form = { 'content-type': 'text/plain' };
    expect(
      (
        await call(notes, {
          params: { leadId },
          body: Buffer.from('x'),
          headers: form,
          token: tokens().sales,
        })
      ).status,
    ).toBe(415);
  });

  it('the lead view by id and by email, 400, 401, 403, 404; erase 200 and 404', async () => {
    const submitted = await call('POST /v1/forms/{formId}/submissions', {
      params: { formId: 'demo-request' },
      body: hotDemoRequest('contract.view@initech.de'),
    });
    const leadId = submitted.json.leadId as string;
    const view = await call('GET /v1/admin/leads/{leadId}', {
      params: { leadId },
      token: tokens().marketing,
    });
    expect(view.json).toMatchObject({ leadId, ownedBySales: expect.any(Boolean) });
    expect(view.json.score).not.toBeNull();
    const byEmail = await call('GET /v1/admin/leads', {
      query: 'email=contract.view@initech.de',
      token: tokens().sales,
    });
    expect(byEmail.status).toBe(200);
    const bad = await call('GET /v1/admin/leads', { query: 'stage=nope&limit=0', token: tokens().marketing });
    expect(bad.json.error.details.map((d: Json) => d.path).sort()).toEqual(['limit', 'stage']);
    const notEmail = { query: 'email=nobody', token: tokens().marketing };
    expect((await call('GET /v1/admin/leads', notEmail)).json.error.details[0].path).toBe('email');
    expect(
      (await call('GET /v1/admin/leads', { query: 'email=nobody@acme.io', token: tokens().marketing }))
        .status,
    ).toBe(404);
    for (const route of ['GET /v1/admin/leads/{leadId}', 'DELETE /v1/admin/leads/{leadId}'])
      expect(
        (await call(route, { params: { leadId: 'not-a-lead' }, token: tokens().marketing })).status,
      ).toBe(400);
    expect((await call('GET /v1/admin/leads/{leadId}', { params: { leadId } })).status).toBe(401);
    expect(
      (await call('GET /v1/admin/leads/{leadId}', { params: { leadId }, token: tokens().ingest })).status,
    ).toBe(403);
    expect(
      (
        await call('GET /v1/admin/leads/{leadId}', {
          params: { leadId: leadIdFor('nobody@acme.io') },
          token: tokens().marketing,
        })
      ).status,
    ).toBe(404);

    expect(view.json.pathToHot).toMatchObject({ status: 'hot' });
    expect(view.json.handoffs[0]).toMatchObject({ number: 1 });
    const unsubscribe = 'POST /v1/admin/leads/{leadId}/unsubscribe';
    const unsubscribed = await call(unsubscribe, { params: { leadId }, token: tokens().marketing });
    expect(unsubscribed.json).toEqual({ leadId, unsubscribed: true, changed: true });
    expect((await call(unsubscribe, { params: { leadId }, token: tokens().sales })).status).toBe(403);
    const notALead = { params: { leadId: 'not-a-lead' }, token: tokens().marketing };
    expect((await call(unsubscribe, notALead)).status).toBe(400);
    const nobody = { params: { leadId: leadIdFor('nobody@acme.io') }, token: tokens().marketing };
    expect((await call(unsubscribe, nobody)).status).toBe(404);

    const erasable = await call('POST /v1/forms/{formId}/submissions', {
      params: { formId: 'newsletter' },
      body: { email: 'contract.erase@acme.io', consent: true },
    });
    const erase = 'DELETE /v1/admin/leads/{leadId}';
    expect(
      (await call(erase, { params: { leadId: erasable.json.leadId }, token: tokens().sales })).status,
    ).toBe(403);
    expect(
      (await call(erase, { params: { leadId: erasable.json.leadId }, token: tokens().marketing })).status,
    ).toBe(200);
    expect(
      (await call(erase, { params: { leadId: leadIdFor('nobody@acme.io') }, token: tokens().marketing }))
        .status,
    ).toBe(404);
  });
});

describe('background lead exports', () => {
  it('start 202 and 400, follow 200 and 404, the file 200 and 404', async () => {
    const exportsRoute = 'POST /v1/admin/leads/exports';
    const started = await call(exportsRoute, { body: { stage: 'mql' }, token: tokens().marketing });
    expect(started.status).toBe(202);
    expect((await call(exportsRoute, { body: { stage: 'nope' }, token: tokens().marketing })).status).toBe(
      400,
    );
    const params = { exportId: started.json.exportId as string };
    const ready = await waitFor('the export', async () => {
      const answer = await call('GET /v1/admin/leads/exports/{exportId}', {
        params,
        token: tokens().marketing,
      });
      return answer.json.status === 'ready' ? answer : undefined;
    });
    expect(ready.json.download.fileName).toMatch(/\.csv$/);
    const file = await call('GET /v1/admin/leads/exports/{exportId}/file', {
      params,
      token: tokens().marketing,
    });
    expect(file.status).toBe(200);
    const unknown = { params: { exportId: 'exp_01ARZ3NDEKTSV4RRFFQ69G5FAV' }, token: tokens().marketing };
    expect((await call('GET /v1/admin/leads/exports/{exportId}', unknown)).status).toBe(404);
    expect((await call('GET /v1/admin/leads/exports/{exportId}/file', unknown)).status).toBe(404);
  });
});

describe('CSV lead imports', () => {
  it('make 201, start 202, 400 and 409, follow 200 and 404, the error report 200 and 404', async () => {
    const made = await call('POST /v1/admin/leads/imports', { token: tokens().marketing });
    expect(made.status).toBe(201);
    const params = { importId: made.json.importId as string };
    const start = (body: unknown) =>
      call('POST /v1/admin/leads/imports/{importId}/start', { params, body, token: tokens().marketing });
    const mapping = { email: 'email', firstName: 'firstName' };
    expect((await start({ mapping, consent: { basis: 'none' } })).status).toBe(409);
    const put = await fetch(made.json.upload.url, {
      method: 'PUT',
      body: 'email,firstName\nnot-an-email,Ann\n',
    });
    expect(put.status).toBe(200);
    expect((await start({ mapping: { email: 'mail' }, consent: { basis: 'none' } })).status).toBe(400);
    expect((await start({ mapping, consent: { basis: 'none' }, dryRun: true })).status).toBe(202);
    const done = await waitFor('the import', async () => {
      const answer = await call('GET /v1/admin/leads/imports/{importId}', {
        params,
        token: tokens().marketing,
      });
      return answer.json.status === 'done' ? answer : undefined;
    });
    expect(done.json.counts.failed).toBe(1);
    const report = await call('GET /v1/admin/leads/imports/{importId}/errors', {
      params,
      token: tokens().marketing,
    });
    expect(report.status).toBe(200);
    const unknown = { params: { importId: 'imp_01ARZ3NDEKTSV4RRFFQ69G5FAV' }, token: tokens().marketing };
    expect((await call('GET /v1/admin/leads/imports/{importId}', unknown)).status).toBe(404);
    expect((await call('GET /v1/admin/leads/imports/{importId}/errors', unknown)).status).toBe(404);
    expect(
      (
        await call('POST /v1/admin/leads/imports/{importId}/start', {
          ...unknown,
          body: { mapping, consent: { basis: 'none' } },
        })
      ).status,
    ).toBe(404);
  });
});

/** A newsletter sign-up with consent: its lead id. */
async function subscriber(email: string): Promise<string> {
  const res = await call('POST /v1/forms/{formId}/submissions', {
    params: { formId: 'newsletter' },
    body: { email, consent: true },
  });
  return res.json.leadId as string;
}
const acceptJson = { accept: 'application/json' };

describe('unsubscribe and confirm', () => {
  it('the unsubscribe page, one-click JSON, the page button, and invalid links as a page or JSON', async () => {
    const leadId = await subscriber('contract.unsub@acme.io');
    const t = `t=${signUnsubscribeToken(leadId, SIGNING_KEY, new Date())}`;
    const page = await call('GET /v1/unsubscribe', { query: t });
    expect([page.status, page.type]).toEqual([200, expect.stringMatching(/^text\/html/)]);
    expect((await call('GET /v1/unsubscribe', { query: 't=forged' })).status).toBe(400);
    const badJson = await call('GET /v1/unsubscribe', { query: 't=forged', headers: acceptJson });
    expect(badJson.json.error.code).toBe('invalid_unsubscribe_token');
    const oneClick = await call('POST /v1/unsubscribe', {
      query: t,
      body: Buffer.from('List-Unsubscribe=One-Click'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(oneClick.json).toEqual({ status: 'unsubscribed' });
    const button = await call('POST /v1/unsubscribe', { query: t });
    expect([button.status, button.type]).toEqual([200, expect.stringMatching(/^text\/html/)]);
    expect((await call('POST /v1/unsubscribe', { query: 't=forged', headers: acceptJson })).status).toBe(400);
    expect((await call('POST /v1/unsubscribe', { query: 't=forged' })).type).toMatch(/^text\/html/);
  });

  it('the confirmation page, the confirmation as JSON and as a page, forged and expired links', async () => {
    const leadId = await subscriber('contract.confirm@acme.io');
    const token = (issued: Date) =>
      signConfirmationToken({ leadId, formId: 'newsletter' }, SIGNING_KEY, issued, 7);
    const t = `t=${token(new Date())}`;
    expect((await call('GET /v1/confirm', { query: t })).type).toMatch(/^text\/html/);
    const confirmed = await call('POST /v1/confirm', { query: t, headers: acceptJson });
    expect(confirmed.json.status).toMatch(/^(confirmed|already_confirmed|not_pending)$/);
    expect((await call('POST /v1/confirm', { query: t })).type).toMatch(/^text\/html/);
    const expired = `t=${token(new Date(Date.now() - 30 * 86_400_000))}`;
    const late = await call('POST /v1/confirm', { query: expired, headers: acceptJson });
    expect([late.status, late.json.error.code]).toEqual([400, 'confirmation_expired']);
    const forged = await call('GET /v1/confirm', { query: 't=forged', headers: acceptJson });
    expect([forged.status, forged.json.error.code]).toEqual([400, 'invalid_confirmation_token']);
    expect((await call('GET /v1/confirm', { query: 't=forged' })).type).toMatch(/^text\/html/);
  });
});

describe('activities', () => {
  const route = 'POST /v1/activities';
  it('one event 202, a batch 200 with a failure inside, 400, 401, 403, 404, 415', async () => {
    const email = 'contract.activity@acme.io';
    await subscriber(email);
    const event = { email, type: 'page_viewed', properties: { path: '/pricing' }, idempotencyKey: 'c-1' };
    const ingest = tokens().ingest;
    expect((await call(route, { body: event, token: ingest })).json.status).toBe('accepted');
    const batch = await call(route, {
      body: { activities: [event, { email: 'ghost.batch@acme.io', type: 'trial_started' }] },
      token: ingest,
    });
    expect(batch.json.results.map((r: Json) => r.status)).toEqual(['duplicate', 'failed']);
    expect((await call(route, { body: { email, type: 'form_submitted' }, token: ingest })).status).toBe(400);
    expect((await call(route, { body: event })).status).toBe(401);
    expect((await call(route, { body: event, token: tokens().marketing })).status).toBe(403);
    const ghost = { email: 'ghost@acme.io', type: 'page_viewed' };
    expect((await call(route, { body: ghost, token: ingest })).status).toBe(404);
    const text = { 'content-type': 'text/plain' };
    expect((await call(route, { body: Buffer.from('{}'), headers: text, token: ingest })).status).toBe(415);
  });
});

describe('forms admin', () => {
  it('lists forms, adds a version (201, 400), reads and activates it (200, 400, 404), and gives the embed snippet', async () => {
    const token = tokens().marketing;
    const listed = await call('GET /v1/admin/forms', { token });
    expect(listed.json.forms.map((f: Json) => f.formId)).toContain('newsletter');
    const params = { formId: 'contract-form' };
    expect((await call('GET /v1/admin/forms/{formId}', { params, token })).status).toBe(404);
    const form = {
      name: 'Contract form',
      thankYouUrl: 'https://acme.example/thanks',
      allowedOrigins: ['https://acme.example'],
      fields: [{ name: 'email', type: 'email', required: true }],
    };
    const versions = 'POST /v1/admin/forms/{formId}/versions';
    expect((await call(versions, { params, body: { form: { ...form, fields: [] } }, token })).status).toBe(
      400,
    );
    const badId = { formId: 'Not_A_Form_Id' };
    expect((await call(versions, { params: badId, body: { form }, token })).status).toBe(404);
    expect((await call(versions, { params, body: { form }, token })).json.createdBy).toBeDefined();
    expect((await call('GET /v1/admin/forms/{formId}/embed', { params, token })).status).toBe(404);
    const version = 'GET /v1/admin/forms/{formId}/versions/{version}';
    expect((await call(version, { params: { ...params, version: '1' }, token })).json.document.id).toBe(
      'contract-form',
    );
    expect((await call(version, { params: { ...params, version: 'x' }, token })).status).toBe(400);
    expect((await call(version, { params: { ...params, version: '9' }, token })).status).toBe(404);
    const activate = 'POST /v1/admin/forms/{formId}/versions/{version}/activate';
    expect(
      (await call(activate, { params: { ...params, version: '1' }, token })).json.active.activatedBy,
    ).toBeDefined();
    expect((await call(activate, { params: { ...params, version: 'x' }, token })).status).toBe(400);
    expect((await call(activate, { params: { ...params, version: '9' }, token })).status).toBe(404);
    expect((await call('GET /v1/admin/forms/{formId}', { params, token })).json.active.version).toBe(1);
    const next = await call(versions, { params, body: { form, basedOn: 1 }, token });
    expect(next.status).toBe(201);
    const nextAt = { ...params, version: String(next.json.version) };
    expect((await call(activate, { params: nextAt, body: { basedOn: 1 }, token })).status).toBe(200);
    await expectVersionConflicts(versions, activate, { body: { form }, params, stale: 1, token });
    expect((await call('GET /v1/admin/forms/{formId}/embed', { params, token })).json.html).toContain(
      'contract-form',
    );
  });
});

describe('scoring admin', () => {
  it('versions, validation, activation, simulation, backtest and rescore progress, with their errors', async () => {
    const model = parse(await readFile('config/scoring.yaml', 'utf8'));
    const token = tokens().marketing;
    const listed = await call('GET /v1/admin/scoring', { token });
    expect(listed.json.active.version).toBe(1);
    expect((await call('GET /v1/admin/scoring', { token: tokens().sales })).status).toBe(403);
    expect((await call('GET /v1/admin/scoring')).status).toBe(401);
    const validate = 'POST /v1/admin/scoring/validate';
    expect((await call(validate, { body: { model }, token })).json.valid).toBe(true);
    expect((await call(validate, { body: { model: { fit: 'none' } }, token })).json.valid).toBe(false);
    expect((await call(validate, { body: [], token })).status).toBe(400);
    const big = Buffer.from(JSON.stringify({ model: { note: 'x'.repeat(300_000) } }));
    const json = { 'content-type': 'application/json' };
    expect((await call(validate, { body: big, headers: json, token })).status).toBe(413);
    expect((await call(validate, { body: Buffer.from('{}'), token })).status).toBe(415);

    const versions = 'POST /v1/admin/scoring/versions';
    const added = await call(versions, { body: { model }, token });
    expect(added.status).toBe(201);
    expect((await call(versions, { body: { model: { fit: 'none' } }, token })).status).toBe(400);
    const activate = 'POST /v1/admin/scoring/versions/{version}/activate';
    const activated = await call(activate, { params: { version: String(added.json.version) }, token });
    expect(activated.status).toBe(202);
    const stale = listed.json.active.version as number;
    await expectVersionConflicts(versions, activate, { body: { model }, params: {}, stale, token });
    expect((await call(activate, { params: { version: 'one' }, token })).status).toBe(400);
    expect((await call(activate, { params: { version: '999' }, token })).status).toBe(404);
    const progress = await call('GET /v1/admin/scoring/rescore', { token });
    expect(progress.json.job.version).toBe(added.json.version);

    const simulate = 'POST /v1/admin/scoring/simulate';
    const sketch = { lead: { email: 'vp@initech.com', profile: { jobTitle: 'VP Sales', country: 'US' } } };
    expect((await call(simulate, { body: sketch, token })).json.score).not.toBeNull();
    const ghost = { leadId: leadIdFor('ghost.simulated@acme.io') };
    expect((await call(simulate, { body: ghost, token })).status).toBe(404);
    expect((await call(simulate, { body: { lead: { email: 'nope' } }, token })).status).toBe(400);
    const backtest = 'POST /v1/admin/scoring/backtest';
    const generous = { ...model, thresholds: { mql: 5, hot: 5 } };
    expect((await call(backtest, { body: { model: generous, limit: 5 }, token })).status).toBe(200);
    expect((await call(backtest, { body: { model, cursor: 'not-a-cursor' }, token })).status).toBe(400);
  });
});

describe('nurture admin', () => {
  it('config versions, diff, previews, proofs, enrollment and broadcasts, with their errors', async () => {
    const token = tokens().marketing;
    const listed = await call('GET /v1/admin/nurture', { token });
    const config = listed.json.active.document;
    expect((await call('GET /v1/admin/nurture', { token: tokens().ingest })).status).toBe(403);
    const validate = 'POST /v1/admin/nurture/validate';
    expect((await call(validate, { body: { config }, token })).json.valid).toBe(true);
    expect((await call(validate, { body: { config: { sequences: 1 } }, token })).json.valid).toBe(false);
    expect((await call(validate, { body: { config, extra: 1 }, token })).status).toBe(400);
    expect((await call(validate, { body: Buffer.from('{}'), token })).status).toBe(415);
    const versions = 'POST /v1/admin/nurture/versions';
    const added = await call(versions, { body: { config }, token });
    expect(added.status).toBe(201);
    expect((await call(versions, { body: { config: { sequences: 1 } }, token })).status).toBe(400);
    const version = String(added.json.version);
    const activate = 'POST /v1/admin/nurture/versions/{version}/activate';
    expect((await call(activate, { params: { version }, token })).json.active.version).toBe(
      added.json.version,
    );
    const stale = listed.json.active.version as number;
    await expectVersionConflicts(versions, activate, { body: { config }, params: {}, stale, token });
    expect((await call(activate, { params: { version: 'x1' }, token })).status).toBe(400);
    expect((await call(activate, { params: { version: '999' }, token })).status).toBe(404);
    const diff = 'GET /v1/admin/nurture/versions/{version}/diff/{other}';
    expect((await call(diff, { params: { version: '1', other: version }, token })).status).toBe(200);
    expect((await call(diff, { params: { version: '1', other: 'two' }, token })).status).toBe(400);
    expect((await call(diff, { params: { version: '1', other: '999' }, token })).status).toBe(404);

    const preview = 'POST /v1/admin/sequences/{id}/preview';
    expect((await call(preview, { params: { id: 'welcome' }, body: {}, token })).status).toBe(200);
    expect((await call(preview, { params: { id: 'nope' }, body: {}, token })).status).toBe(404);
    expect((await call(preview, { params: { id: 'welcome' }, body: { lead: 1 }, token })).status).toBe(400);

    const leadId = await subscriber('contract.enroll@acme.io');
    const enroll = 'POST /v1/admin/sequences/{id}/enrollments';
    const params = { id: 'back-to-nurture' };
    expect((await call(enroll, { params, body: { leadId }, token })).status).toBe(201);
    expect((await call(enroll, { params, body: { leadId }, token })).json.error.code).toBe(
      'already_enrolled',
    );
    const ghost = { leadId: leadIdFor('ghost.enrolled@acme.io') };
    expect((await call(enroll, { params, body: ghost, token })).status).toBe(404);
    expect((await call(enroll, { params, body: { leadId: 'x' }, token })).status).toBe(400);

    const proof = 'POST /v1/admin/templates/{id}/test-send';
    const to = { to: 'proof.reader@acme.io' };
    expect((await call(proof, { params: { id: 'welcome' }, body: to, token })).status).toBe(202);
    expect((await call(proof, { params: { id: 'nope' }, body: to, token })).status).toBe(404);
    expect((await call(proof, { params: { id: 'welcome' }, body: { to: 'x' }, token })).status).toBe(400);

    const templatePreview = 'POST /v1/admin/templates/preview';
    const templateDraft = {
      subject: 'Hi {{ firstName }}',
      mjml: '<mj-text>Hi {{ firstName }}</mj-text>',
      text: 'Hi',
    };
    const previewed = await call(templatePreview, {
      body: { template: templateDraft, sample: true, width: 375 },
      token,
    });
    expect(previewed.status).toBe(200);
    const badMjml = { template: { ...templateDraft, mjml: '<mj-nope>x</mj-nope>' } };
    expect((await call(templatePreview, { body: badMjml, token })).status).toBe(400);
    const nobody = { template: templateDraft, leadId: leadIdFor('nobody.previewed@acme.io') };
    expect((await call(templatePreview, { body: nobody, token })).status).toBe(404);
    expect((await call('GET /v1/admin/templates/variables', { token })).status).toBe(200);

    const segment = { stages: ['subscriber'], consent: true };
    const previewRoute = 'POST /v1/admin/broadcasts/preview';
    expect((await call(previewRoute, { body: { template: 'welcome', segment }, token })).status).toBe(200);
    expect((await call(previewRoute, { body: { template: 'nope', segment }, token })).status).toBe(404);
    expect((await call(previewRoute, { body: { template: 'welcome', segment: {} }, token })).status).toBe(
      400,
    );
    const sendAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const started = await call('POST /v1/admin/broadcasts', {
      body: { template: 'welcome', segment, sendAt },
      headers: { 'idempotency-key': 'contract-broadcast' },
      token,
    });
    expect(started.status).toBe(202);
    const broadcast = 'GET /v1/admin/broadcasts/{id}';
    const id = started.json.broadcastId as string;
    expect((await call(broadcast, { params: { id }, token })).status).toBe(200);
    expect((await call(broadcast, { params: { id: 'bc_nope' }, token })).status).toBe(404);
    const everyone = { template: 'welcome', segment: {} };
    expect((await call('POST /v1/admin/broadcasts', { body: everyone, token })).status).toBe(400);
    expect(
      (await call('POST /v1/admin/broadcasts', { body: { template: 'nope', segment }, token })).status,
    ).toBe(404);

    // Drafts, the list, schedule, cancel, results.
    const list = 'GET /v1/admin/broadcasts';
    const abTest = {
      variants: [
        { id: 'a', subject: 'Hello A' },
        { id: 'b', template: 'welcome' },
      ],
      testShare: 20,
      metric: 'opened',
      waitHours: 4,
    };
    const draft = await call('POST /v1/admin/broadcasts', {
      body: { name: 'Contract draft', template: 'welcome', segment, draft: true, abTest },
      token,
    });
    expect(draft.status).toBe(201);
    const draftId = { id: draft.json.broadcastId as string };
    const edit = 'PUT /v1/admin/broadcasts/{id}';
    expect(
      (await call(edit, { params: draftId, body: { template: 'welcome', segment, abTest }, token })).status,
    ).toBe(200);
    expect((await call(edit, { params: draftId, body: { template: 'nope', segment }, token })).status).toBe(
      404,
    );
    expect((await call(edit, { params: draftId, body: { segment }, token })).status).toBe(400);
    expect(
      (await call(edit, { params: { id: 'bc_nope' }, body: { template: 'welcome', segment }, token })).status,
    ).toBe(404);
    expect((await call(list, { query: 'status=draft', token })).json.broadcasts.length).toBeGreaterThan(0);
    expect((await call(list, { query: 'status=nope', token })).status).toBe(400);
    expect((await call(list, { token: tokens().sales })).status).toBe(403);
    const schedule = 'POST /v1/admin/broadcasts/{id}/schedule';
    expect((await call(schedule, { params: draftId, body: { sendAt: 'tomorrow' }, token })).status).toBe(400);
    expect((await call(schedule, { params: draftId, body: { sendAt }, token })).status).toBe(202);
    expect((await call(schedule, { params: draftId, body: {}, token })).status).toBe(409);
    expect((await call(schedule, { params: { id: 'bc_nope' }, body: {}, token })).status).toBe(404);
    expect(
      (await call(edit, { params: draftId, body: { template: 'welcome', segment }, token })).status,
    ).toBe(409);
    const results = 'GET /v1/admin/broadcasts/{id}/results';
    expect((await call(results, { params: draftId, token })).json.abTest.variants).toHaveLength(2);
    expect((await call(results, { params: { id: 'bc_nope' }, token })).status).toBe(404);
    const cancel = 'POST /v1/admin/broadcasts/{id}/cancel';
    expect((await call(cancel, { params: draftId, token })).json.status).toBe('cancelled');
    expect((await call(cancel, { params: draftId, token })).status).toBe(409);
    expect((await call(cancel, { params: { id: 'bc_nope' }, token })).status).toBe(404);
  });
});

describe('segments', () => {
  it('the saved segments 200; a preview of a definition or a saved segment 200, 400 and 404', async () => {
    const token = tokens().marketing;
    const listed = await call('GET /v1/admin/segments', { token });
    expect(listed.status).toBe(200);
    expect(listed.json.segments.map((s: Json) => s.id)).toContain('hot-eu');
    const route = 'POST /v1/admin/segments/preview';
    const definition = { match: 'any', conditions: [{ type: 'stage', in: ['subscriber', 'lead'] }] };
    const previewed = await call(route, { body: { definition }, token });
    expect(previewed.status).toBe(200);
    expect(previewed.json.count).toBeGreaterThan(0);
    expect((await call(route, { body: { segmentId: 'hot-eu' }, token })).status).toBe(200);
    const bad = await call(route, {
      body: {
        definition: {
          match: 'all',
          conditions: [{ type: 'field', field: 'country', op: 'in', value: 'DE' }],
        },
      },
      token,
    });
    expect([bad.status, bad.json.error.details[0].path]).toEqual([400, 'definition.conditions.0.value']);
    expect((await call(route, { body: { definition, segmentId: 'hot-eu' }, token })).status).toBe(400);
    const unknown = await call(route, { body: { segmentId: 'nobody' }, token });
    expect([unknown.status, unknown.json.error.code]).toEqual([404, 'segment_not_found']);
  });
});

describe('sales', () => {
  it('claims (200, 204), extend, release, outcome, the queue, with 400, 401, 403 and 409', async () => {
    const sales = tokens().sales;
    await call('POST /v1/forms/{formId}/submissions', {
      params: { formId: 'demo-request' },
      body: hotDemoRequest('contract.sales@initech.de'),
    });
    expect((await call('GET /v1/sales/queue', { token: sales })).json.waiting).toBeGreaterThan(0);
    expect((await call('POST /v1/sales/claims')).status).toBe(401);
    expect((await call('POST /v1/sales/claims', { token: tokens().marketing })).status).toBe(403);
    const card = (await call('POST /v1/sales/claims', { token: sales })).json;
    const claimToken = card.claimToken as string;
    const extend = 'POST /v1/sales/claims/{claimToken}/extend';
    expect((await call(extend, { params: { claimToken }, token: sales })).json.claimExpiresAt).toBeDefined();
    expect((await call(extend, { params: { claimToken: 'not-a-claim-token' }, token: sales })).status).toBe(
      400,
    );
    const release = 'POST /v1/sales/claims/{claimToken}/release';
    expect((await call(release, { params: { claimToken }, token: sales })).json).toEqual({ released: true });
    expect((await call(release, { params: { claimToken }, token: sales })).status).toBe(409);
    expect((await call(release, { params: { claimToken: 'not-a-claim-token' }, token: sales })).status).toBe(
      400,
    );
    expect((await call(extend, { params: { claimToken }, token: sales })).status).toBe(409);

    const outcome = 'POST /v1/sales/leads/{leadId}/outcome';
    const stale = { claimToken, outcome: 'qualified' };
    expect((await call(outcome, { params: { leadId: card.leadId }, body: stale, token: sales })).status).toBe(
      409,
    );
    const invalid = { claimToken: 'not-a-claim-token', outcome: 'won' };
    expect(
      (await call(outcome, { params: { leadId: card.leadId }, body: invalid, token: sales })).status,
    ).toBe(400);
    // Every waiting lead (this file made several hot) to an outcome, until nothing waits.
    for (let claims = 0; ; claims += 1) {
      expect(claims, 'the queue never emptied').toBeLessThan(20);
      const next = await call('POST /v1/sales/claims', { token: sales });
      if (next.status === 204) break;
      const done = await call(outcome, {
        params: { leadId: next.json.leadId },
        body: { claimToken: next.json.claimToken, outcome: 'qualified' },
        token: sales,
      });
      expect(done.json).toMatchObject({ leadId: next.json.leadId, outcome: 'qualified' });
    }
    expect((await call('GET /v1/sales/queue', { token: sales })).json.waiting).toBe(0);
  });
});

describe('sales console routes', () => {
  it('my claims, the team view, reassign and release, with 400, 403, 404 and 409', async () => {
    const sales = tokens().sales;
    const manager = tokens()['sales-manager'];
    await call('POST /v1/forms/{formId}/submissions', {
      params: { formId: 'demo-request' },
      body: hotDemoRequest('contract.console@initech.de'),
    });
    const card = (await call('POST /v1/sales/claims', { token: sales })).json;
    const mine = await call('GET /v1/sales/claims', { token: sales });
    expect(mine.json.claims.map((c: Json) => c.leadId)).toEqual([card.leadId]);
    expect((await call('GET /v1/sales/team', { token: manager })).json.claims).toHaveLength(1);
    expect((await call('GET /v1/sales/team', { token: sales })).status).toBe(403);

    const reassign = 'POST /v1/sales/leads/{leadId}/reassign';
    const release = 'POST /v1/sales/leads/{leadId}/release';
    const params = { leadId: card.leadId };
    const unknown = { leadId: leadIdFor('contract.nobody@acme.io') };
    expect((await call(reassign, { params, body: {}, token: manager })).status).toBe(400);
    expect((await call(reassign, { params: unknown, body: { rep: 'x' }, token: manager })).status).toBe(404);
    const moved = await call(reassign, { params, body: { rep: 'contract-rep' }, token: manager });
    expect(moved.json).toEqual({ leadId: card.leadId, rep: 'contract-rep', repName: 'contract-rep' });
    expect((await call(release, { params: unknown, token: manager })).status).toBe(404);
    expect((await call(release, { params, token: manager })).json).toEqual({
      leadId: card.leadId,
      released: true,
    });
    expect((await call(release, { params, token: manager })).status).toBe(409);
    expect((await call(reassign, { params, body: { rep: 'contract-rep' }, token: manager })).status).toBe(
      409,
    );
    const again = (await call('POST /v1/sales/claims', { token: sales })).json;
    expect(again.leadId).toBe(card.leadId);
    const done = await call('POST /v1/sales/leads/{leadId}/outcome', {
      params,
      body: { claimToken: again.claimToken, outcome: 'recycled' },
      token: sales,
    });
    expect(done.status).toBe(200);
  });
});

const metaDelivery = (leadgenId: string) =>
  JSON.stringify({
    object: 'page',
    entry: [
      {
        id: '153125381133',
        time: 1764230400,
        changes: [{ field: 'leadgen', value: { leadgen_id: leadgenId, page_id: '1', form_id: '2' } }],
      },
    ],
  });
const googleLead = (leadId: string, key = GOOGLE_KEY) =>
  JSON.stringify({
    lead_id: leadId,
    form_id: 40000000,
    google_key: key,
    user_column_data: [{ column_id: 'EMAIL', string_value: `${leadId}@initech.de` }],
  });
const tiktokLead = (leadId: string) =>
  JSON.stringify({
    event: 'lead.create',
    create_time: 1764230400,
    content: JSON.stringify({ lead_id: leadId, page_id: '73', lead_data: { Email: `${leadId}@initech.de` } }),
  });
const tiktokSignature = (body: Buffer, t = Math.floor(Date.now() / 1000)) =>
  `t=${t},s=${hmacHex(TIKTOK_SECRET, Buffer.concat([Buffer.from(`${t}.`), body]))}`;
const bytes = (text: string) => Buffer.from(text);
const jsonType = { 'content-type': 'application/json' };

describe('webhooks', () => {
  it('Meta: the subscription check (200 text/plain, 400, 403), deliveries (200, 400, 401, 413)', async () => {
    const route = 'GET /v1/webhooks/meta';
    const check = `hub.mode=subscribe&hub.verify_token=${META_VERIFY}&hub.challenge=1158201444`;
    const challenge = await call(route, { query: check });
    expect([challenge.status, challenge.text]).toEqual([200, '1158201444']);
    expect((await call(route, { query: check.replace(/&hub.challenge=.*/, '') })).status).toBe(400);
    expect((await call(route, { query: check.replace(META_VERIFY, 'wrong') })).status).toBe(403);
    expect((await call(route, {})).status).toBe(403);

    const post = 'POST /v1/webhooks/meta';
    graph.addLead('555000111', { email: 'contract.meta@initech.de', full_name: 'Mia Meta' });
    const body = bytes(metaDelivery('555000111'));
    const signed = (b: Buffer) => ({
      ...jsonType,
      'x-hub-signature-256': `sha256=${hmacHex(META_SECRET, b)}`,
    });
    expect((await call(post, { body, headers: signed(body) })).json.received).toBe(true);
    expect((await call(post, { body, headers: jsonType })).status).toBe(401);
    const notJson = bytes('{"object":');
    expect((await call(post, { body: notJson, headers: signed(notJson) })).status).toBe(400);
    const huge = bytes(JSON.stringify({ pad: 'x'.repeat(300_000) }));
    expect((await call(post, { body: huge, headers: signed(huge) })).status).toBe(413);
    await waitFor('the Meta lead to be captured', async () => {
      const res = await call('GET /v1/admin/leads', {
        query: 'email=contract.meta@initech.de',
        token: tokens().marketing,
      });
      return res.status === 200 ? res : undefined;
    });
  });

  it('Google: 200, 400 and 403 (the key is in the body)', async () => {
    const post = 'POST /v1/webhooks/google';
    expect((await call(post, { body: bytes(googleLead('g-contract')), headers: jsonType })).status).toBe(200);
    const wrongKey = bytes(googleLead('g-contract-2', 'wrong'));
    expect((await call(post, { body: wrongKey, headers: jsonType })).status).toBe(403);
    const notLead = bytes(JSON.stringify({ google_key: GOOGLE_KEY }));
    expect((await call(post, { body: notLead, headers: jsonType })).status).toBe(400);
  });

  it('LinkedIn: the challenge (200, 400), notifications (200, 401)', async () => {
    const route = 'GET /v1/webhooks/linkedin';
    const challengeCode = '890e4665-4dfe-4ab1-b689-ed553bceeed0';
    const answer = await call(route, { query: `challengeCode=${challengeCode}` });
    expect(answer.json).toEqual({
      challengeCode,
      challengeResponse: hmacHex(LINKEDIN_SECRET, bytes(challengeCode)),
    });
    expect((await call(route, { query: 'challengeCode=not-a-uuid' })).status).toBe(400);
    const post = 'POST /v1/webhooks/linkedin';
    // A notification that carries no lead: received, nothing to fetch.
    const ignored = bytes(JSON.stringify({ type: 'LEAD_ACTION', leadAction: 'UPDATED' }));
    const signature = { ...jsonType, 'x-li-signature': hmacHex(LINKEDIN_SECRET, ignored) };
    expect((await call(post, { body: ignored, headers: signature })).json.received).toBe(true);
    expect((await call(post, { body: ignored, headers: jsonType })).status).toBe(401);
    const notJson = bytes('{"type":');
    const signed = { ...jsonType, 'x-li-signature': hmacHex(LINKEDIN_SECRET, notJson) };
    expect((await call(post, { body: notJson, headers: signed })).status).toBe(400);
  });

  it('TikTok: 200, 400 and 401 (signature with a 5-minute window)', async () => {
    const post = 'POST /v1/webhooks/tiktok';
    const body = bytes(tiktokLead('tt-contract'));
    const signed = (b: Buffer) => ({ ...jsonType, 'tiktok-signature': tiktokSignature(b) });
    expect((await call(post, { body, headers: signed(body) })).status).toBe(200);
    const stale = {
      ...jsonType,
      'tiktok-signature': tiktokSignature(body, Math.floor(Date.now() / 1000) - 600),
    };
    expect((await call(post, { body, headers: stale })).status).toBe(401);
    const noLead = bytes(JSON.stringify({ event: 'lead.create', content: '{}' }));
    expect((await call(post, { body: noLead, headers: signed(noLead) })).status).toBe(400);
  });
});

/** Placeholder path parameters for the checks that never reach a lookup (auth, body size, media type). */
const PLACEHOLDERS: Record<string, string> = {
  formId: 'newsletter',
  leadId: leadIdFor('contract.generic@acme.io'),
  version: '1',
  other: '1',
  id: 'welcome',
  claimToken: 'not-a-claim-token',
  exportId: 'exp_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  deliveryId: 'dlv_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  importId: 'imp_01ARZ3NDEKTSV4RRFFQ69G5FAV',
  report: 'funnel',
};
/** Every documented operation as "METHOD /path" with its operation object. */
const operations = () =>
  Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
  );
/** A token of a role the route serves (undefined for public routes). */
const rightToken = (route: string) =>
  route.includes('/v1/activities')
    ? tokens().ingest
    : route.includes('/v1/sales/')
      ? tokens()['sales-manager']
      : route.includes('/v1/admin/webhooks/')
        ? tokens().admin
        : route.includes('/v1/admin/')
          ? tokens().marketing
          : undefined;

describe('outbound webhooks', () => {
  it('endpoints: list, create 201 and 400, read, change, rotate, the log, a replay 202, a test ping, delete 204, with 400 and 404', async () => {
    const token = tokens().admin;
    const base = '/v1/admin/webhooks/endpoints';
    // A receiver on this machine (the local stack's rule): the API's own health route, which answers POST with 404.
    const url = `${stack.apiUrl.replace('localhost', '127.0.0.1')}/v1/health`;
    const created = await call(`POST ${base}`, { body: { url, eventTypes: ['lead.hot'] }, token });
    expect(created.status).toBe(201);
    expect(created.json.secret).toMatch(/^whsec_/);
    const id = created.json.id;
    const refused = await call(`POST ${base}`, {
      body: { url: 'https://10.0.0.1/x', eventTypes: [] },
      token,
    });
    expect(refused.status).toBe(400);
    expect((await call(`GET ${base}`, { token })).json.endpoints.map((e: Json) => e.id)).toContain(id);
    expect((await call(`GET ${base}/{id}`, { params: { id }, token })).json.url).toBe(url);
    const patched = await call(`PATCH ${base}/{id}`, { params: { id }, body: { description: 'CRM' }, token });
    expect(patched.json.description).toBe('CRM');
    expect(
      (await call(`PATCH ${base}/{id}`, { params: { id }, body: { status: 'gone' }, token })).status,
    ).toBe(400);
    expect((await call(`POST ${base}/{id}/rotate-secret`, { params: { id }, token })).json.secret).toMatch(
      /^whsec_/,
    );
    expect((await call(`POST ${base}/{id}/test`, { params: { id }, token })).json).toMatchObject({
      delivered: false,
      status: 404,
    });
    await call('POST /v1/forms/{formId}/submissions', {
      params: { formId: 'demo-request' },
      body: hotDemoRequest('contract.webhooks@initech.de'),
    });
    const log = await waitFor(
      'a logged delivery',
      async () => {
        const page = await call(`GET ${base}/{id}/deliveries`, { params: { id }, token, query: 'limit=10' });
        return page.json.deliveries.length > 0 ? page.json.deliveries : undefined;
      },
      20_000,
    );
    expect(log[0]).toMatchObject({ eventType: 'lead.hot', outcome: 'failed', status: 404 });
    const deliveries = `POST ${base}/{id}/deliveries/{deliveryId}/retry`;
    const retried = await call(deliveries, { params: { id, deliveryId: log[0].deliveryId }, token });
    expect([retried.status, retried.json.eventId]).toEqual([202, log[0].eventId]);
    const missing = await call(deliveries, {
      params: { id, deliveryId: 'dlv_01ARZ3NDEKTSV4RRFFQ69G5FAV' },
      token,
    });
    expect(missing.json.error.code).toBe('delivery_not_found');
    const badLimit = await call(`GET ${base}/{id}/deliveries`, { params: { id }, token, query: 'limit=0' });
    expect(badLimit.status).toBe(400);
    expect((await call(`DELETE ${base}/{id}`, { params: { id }, token })).status).toBe(204);
    const unknown = 'wh_01ARZ3NDEKTSV4RRFFQ69G5FAV';
    for (const route of [
      `GET ${base}/{id}`,
      `PATCH ${base}/{id}`,
      `DELETE ${base}/{id}`,
      `POST ${base}/{id}/rotate-secret`,
      `GET ${base}/{id}/deliveries`,
      `POST ${base}/{id}/test`,
    ]) {
      const res = await call(route, {
        params: { id: unknown },
        token,
        ...(route.startsWith('PATCH') ? { body: {} } : {}),
      });
      expect([route, res.status, res.json.error.code]).toEqual([route, 404, 'webhook_endpoint_not_found']);
    }
  });
});

describe('reports', () => {
  it('every report as JSON (one schema), a table as CSV, compare=previous, 400 and 404', async () => {
    const token = tokens().marketing;
    const route = 'GET /v1/admin/reports/{report}';
    const submit = 'POST /v1/forms/{formId}/submissions';
    const signUp = { email: 'contract.reports@acme.io', consent: true };
    expect((await call(submit, { params: { formId: 'newsletter' }, body: signUp })).status).toBe(202);
    // Counted by the next tick (every few seconds locally).
    await waitFor(
      'the captures counted into the funnel',
      async () => {
        const funnel = await call(route, { params: { report: 'funnel' }, token });
        const counted = funnel.json.tables[0].rows.some((row: Json) => row.entered > 0);
        return funnel.json.freshAsOf !== null && counted ? funnel : undefined;
      },
      20_000,
    );
    // The newsletter sign-up entered the welcome sequence: the sequences report counts it, live.
    const sequences = await call(route, { params: { report: 'sequences' }, token });
    expect(sequences.status).toBe(200);
    const welcome = sequences.json.tables[0].rows.find((row: Json) => row.sequence === 'welcome');
    expect(welcome?.enrolled).toBeGreaterThan(0);
    expect(welcome?.active + welcome?.completed + welcome?.exited).toBeLessThanOrEqual(welcome?.enrolled);
    for (const report of ['funnel', 'sources', 'email', 'sales', 'scoring', 'sequences']) {
      const answer = await call(route, {
        params: { report },
        query: 'interval=week&compare=previous',
        token,
      });
      expect(answer.status, report).toBe(200);
      expect(answer.json.tables.length, report).toBeGreaterThan(0);
      expect(
        answer.json.tables.every((table: Json) => Array.isArray(table.previous)),
        report,
      ).toBe(true);
    }
    const manager = await call(route, { params: { report: 'sales' }, token: tokens()['sales-manager'] });
    expect(manager.status).toBe(200);
    const csv = await call(route, { params: { report: 'funnel' }, query: 'format=csv&table=stages', token });
    expect(csv.status).toBe(200);
    expect(csv.text.split('\r\n')[0]).toBe(
      'Stage,Entered,Next stage entries per entry,Median time in stage,Median time to reach (from first seen),90% reached within',
    );
    const bad = await call(route, {
      params: { report: 'funnel' },
      query: 'from=2026-13-01&interval=year',
      token,
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_report_query');
    expect(bad.json.error.details.map((d: Json) => d.path).sort()).toEqual(['from', 'interval']);
    const unknown = await call(route, { params: { report: 'revenue' }, token });
    expect([unknown.status, unknown.json.error.code]).toEqual([404, 'report_not_found']);
  });
});

describe('answers every route shares', () => {
  it('every bearer route: 401 without a token, 403 for a role it does not serve', async () => {
    for (const { route, op } of operations().filter(({ op }) => op.security?.length)) {
      const wrong = route.includes('/v1/activities') ? tokens().marketing : tokens().ingest;
      const body = op.requestBody ? {} : undefined;
      expect((await call(route, { params: PLACEHOLDERS, body })).status, route).toBe(401);
      expect((await call(route, { params: PLACEHOLDERS, body, token: wrong })).status, route).toBe(403);
    }
  });

  it('every route that documents 413 and 415: a 600 KB body, and a body that is not JSON', async () => {
    const huge = Buffer.from(JSON.stringify({ pad: 'x'.repeat(600_000) }));
    for (const { route, op } of operations()) {
      const token = rightToken(route);
      if (op.responses['413']) {
        const res = await call(route, { params: PLACEHOLDERS, body: huge, headers: jsonType, token });
        expect(res.status, route).toBe(413);
      }
      if (op.responses['415']) {
        const text = { 'content-type': 'text/plain' };
        const res = await call(route, { params: PLACEHOLDERS, body: Buffer.from('x'), headers: text, token });
        expect(res.status, route).toBe(415);
      }
    }
  });
});

/**
 * Documented answers this file does not produce, each with its reason; any other documented
 * status never observed fails the last test (so a new one needs a check or a reason here).
 */
const NOT_OBSERVED_HERE = [
  // Only while the same person is being erased (a race; erase.test.ts drives it).
  'POST /v1/forms/{formId}/submissions 409',
  // The same race when an event or an ad platform's lead arrives during the erase.
  'POST /v1/activities 409',
  'POST /v1/webhooks/google 409',
  'POST /v1/webhooks/tiktok 409',
  // More than 10,000 matching leads (or 4.5 MB of CSV): test/unit/lead-export.test.ts, on exportLeads.
  'GET /v1/admin/leads/export 422',
  // On AWS only (the file is in S3); locally the API serves the file itself.
  'GET /v1/admin/leads/exports/{exportId}/file 303',
  // Only before the worker finished (a race here): test/integration/lead-exports.test.ts stores such a job.
  'GET /v1/admin/leads/exports/{exportId}/file 409',
  // Only while an email to the lead is being sent (a race; test/unit/suppression.test.ts, on eraseLead).
  'DELETE /v1/admin/leads/{leadId} 409',
  // SES throttling and SES not answering: the local SES emulator always answers.
  'POST /v1/admin/templates/{id}/test-send 429',
  'POST /v1/admin/templates/{id}/test-send 502',
  // webhook_not_configured: every provider is configured here; contract-unconfigured.test.ts.
  'GET /v1/webhooks/meta 404',
  'POST /v1/webhooks/meta 404',
  'POST /v1/webhooks/google 404',
  'GET /v1/webhooks/linkedin 404',
  'POST /v1/webhooks/linkedin 404',
  'POST /v1/webhooks/tiktok 404',
];

/** The answers that are JSON documents themselves (any JSON): the OpenAPI document and the message schemas. */
const GENERIC_JSON = [
  'GET /v1/openapi.json 200',
  'GET /v1/schemas/hot-lead.v1.json 200',
  'GET /v1/schemas/lead-erased.v1.json 200',
  'GET /v1/schemas/webhook-events.v1.json 200',
];

describe('answers documented field by field', () => {
  it('documents every JSON answer by its own schema; generic JSON only for the documents served', () => {
    const generic = operations().flatMap(({ route, op }) =>
      Object.entries(op.responses as Record<string, Json>)
        .filter(
          ([, r]) => r.content?.['application/json']?.schema?.$ref === '#/components/schemas/JsonDocument',
        )
        .map(([status]) => `${route} ${status}`),
    );
    expect(generic.sort()).toEqual([...GENERIC_JSON].sort());
  });

  it('refuses a field the document does not name, on every JSON object answer observed', () => {
    const checked = [...succeeded].filter(([key]) => !GENERIC_JSON.includes(key));
    expect(checked.length).toBeGreaterThan(30);
    for (const [key, { route, status, json }] of checked)
      expect(checker.bodyErrors(route, status, { ...json, undocumentedField: 1 }), key).not.toEqual([]);
  });
});

describe('coverage of the route table', () => {
  it('reached every route of functions/shared/routes.ts, and the document has no route the table lacks', () => {
    const table = ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(table.filter((route) => !seen.has(route))).toEqual([]);
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual([...table].sort());
  });

  it('observed every documented status but the ones listed with a reason', () => {
    const unseen = operations().flatMap(({ route, op }) =>
      Object.keys(op.responses)
        .filter((status) => !seen.get(route)?.has(Number(status)))
        .map((status) => `${route} ${status}`),
    );
    expect(unseen.sort()).toEqual([...NOT_OBSERVED_HERE].sort());
  });
});

describe('IAM on AWS', () => {
  // The local stack enforces no IAM: a call this file makes that the function's role does not allow
  // would show only on AWS, as an AccessDenied (three such gaps were found by hand before this test).
  it('grants each function every AWS call its handler made while every route was driven', () => {
    const calls = awsCalls.calls();
    expect(new Set(calls.map((call) => call.entry)).size).toBeGreaterThanOrEqual(20);
    expect(ungrantedCalls(calls)).toEqual([]);
  }, 180_000);

  it('would report a call the role does not allow, an index it may not query and a queue it may not use', () => {
    const [table, index] = ['leadflow-local', 'leadflow-local/index/gsi4'];
    expect(
      ungrantedCalls([
        {
          entry: 'form-submission',
          action: 'dynamodb:PutItem',
          resource: { service: 'dynamodb', name: table },
        },
        { entry: 'form-submission', action: 'dynamodb:Scan', resource: { service: 'dynamodb', name: table } },
        {
          entry: 'form-submission',
          action: 'dynamodb:Query',
          resource: { service: 'dynamodb', name: index },
        },
        {
          entry: 'form-submission',
          action: 'sqs:SendMessage',
          resource: { service: 'sqs', name: 'x-hot-leads.fifo' },
        },
        { entry: 'tick', action: 'sqs:SendMessage', resource: { service: 'sqs', name: 'x-lead-exports' } },
      ]),
    ).toEqual([
      { fn: 'formSubmission', action: 'dynamodb:Scan', resource: 'table' },
      { fn: 'formSubmission', action: 'dynamodb:Query', resource: 'table/index/gsi4' },
      { fn: 'tick', action: 'sqs:SendMessage', resource: 'lead-exports' },
    ]);
  }, 180_000);
});
