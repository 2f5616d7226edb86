import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadIdFor } from '../../functions/core/email';
import { type EmulatorEnv, emulatorEnv } from '../fixtures/emulators';
import { testForm } from '../fixtures/fakes';
import { httpEvent, invoke, submission } from '../fixtures/http-events';

let env: EmulatorEnv;
let handler: Parameters<typeof invoke>[0];
const ORIGIN = { origin: 'https://example.com' };
const form = testForm();

beforeAll(async () => {
  env = await emulatorEnv({
    LEADFLOW_RATE_LIMIT_PER_IP_PER_MIN: '1000',
    LEADFLOW_RATE_LIMIT_PER_EMAIL_PER_MIN: '3',
  });
  await env.publishForm(form);
  ({ handler } = await import('../../functions/handlers/form-submission'));
});
afterAll(async () => env?.stop());

const activitiesOf = async (email: string) =>
  (await env.items()).filter((i) => i.pk === `LEAD#${leadIdFor(email)}` && String(i.sk).startsWith('ACT#'));

describe('POST /v1/forms/{formId}/submissions', () => {
  it('answers 202 with the lead id to a JSON post and stores the lead', async () => {
    const res = await invoke(
      handler,
      submission('demo-request', { email: 'Grace@Example.com', firstName: 'Grace' }, ORIGIN),
    );
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ leadId: leadIdFor('grace@example.com'), status: 'accepted' });
    expect(res.headers['access-control-allow-origin']).toBe('https://example.com');
    expect(await activitiesOf('grace@example.com')).toHaveLength(1);
  });

  it('redirects a browser form post to the thank-you page with 303', async () => {
    const res = await invoke(
      handler,
      submission(
        'demo-request',
        { email: 'linus@example.com', firstName: 'Linus' },
        {
          'content-type': 'application/x-www-form-urlencoded',
          ...ORIGIN,
        },
      ),
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('https://example.com/thanks');
  });

  it('answers 303 back to the form page with the error when the email is invalid', async () => {
    const res = await invoke(
      handler,
      submission(
        'demo-request',
        { email: 'nope', firstName: 'X', _page: 'https://example.com/demo?utm_source=ad' },
        {
          'content-type': 'application/x-www-form-urlencoded',
          ...ORIGIN,
        },
      ),
    );
    expect(res.status).toBe(303);
    const back = new URL(res.headers.location ?? '');
    expect(back.origin + back.pathname).toBe('https://example.com/demo');
    expect(back.searchParams.get('utm_source')).toBe('ad');
    expect(back.searchParams.get('error')).toBe('validation_failed');
    expect(back.searchParams.get('error_fields')).toBe('email');
  });

  it('never redirects to a page outside the form origins; the JSON error stands', async () => {
    const res = await invoke(
      handler,
      submission(
        'demo-request',
        { email: 'nope' },
        {
          'content-type': 'application/x-www-form-urlencoded',
          referer: 'https://evil.example/phish',
        },
      ),
    );
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('validation_failed');
  });

  it('answers 400 with every field error and stores nothing', async () => {
    const before = (await env.items()).length;
    const res = await invoke(
      handler,
      submission('demo-request', { email: 'x@mailinator.com', phone: '12' }, ORIGIN),
    );
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'validation_failed' });
    expect(res.json.error.details).toEqual(
      expect.arrayContaining([
        { path: 'email', message: expect.stringMatching(/disposable/) },
        { path: 'firstName', message: 'is required' },
      ]),
    );
    expect((await env.items()).length).toBe(before);
  });

  it('answers 404 for an unknown form', async () => {
    const res = await invoke(handler, submission('no-such-form', { email: 'a@example.com' }));
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('form_not_found');
  });

  it('answers 413 for a body over 32 KB and 415 for other media types', async () => {
    const big = await invoke(
      handler,
      submission('demo-request', { email: 'a@example.com', firstName: 'x'.repeat(33_000) }),
    );
    expect(big.status).toBe(413);
    expect(big.json.error.code).toBe('payload_too_large');
    const xml = await invoke(
      handler,
      submission('demo-request', '<lead/>', { 'content-type': 'application/xml' }),
    );
    expect(xml.status).toBe(415);
    const latin1 = await invoke(
      handler,
      submission('demo-request', '{}', { 'content-type': 'application/json; charset=latin1' }),
    );
    expect(latin1.status).toBe(415);
  });

  it('answers 400 for malformed JSON and for JSON that is not an object of values', async () => {
    for (const body of ['{"email":', '[1,2]', '{"email":{"nested":true}}', 'null']) {
      const res = await invoke(handler, submission('demo-request', body));
      expect(res.status, body).toBe(400);
      expect(['malformed_body', 'validation_failed']).toContain(res.json.error.code);
    }
  });

  it('refuses a browser origin the form does not allow, without CORS headers', async () => {
    const res = await invoke(
      handler,
      submission(
        'demo-request',
        { email: 'o@example.com', firstName: 'O' },
        { origin: 'https://evil.example' },
      ),
    );
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('origin_not_allowed');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers the CORS preflight for allowed origins only', async () => {
    const preflight = (origin: string) =>
      httpEvent({
        routeKey: 'OPTIONS /v1/forms/{formId}/submissions',
        path: '/v1/forms/demo-request/submissions',
        pathParameters: { formId: 'demo-request' },
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const ok = await invoke(handler, preflight('https://example.com'));
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe('https://example.com');
    expect(ok.headers['access-control-allow-headers']).toMatch(/Idempotency-Key/);
    const other = await invoke(handler, preflight('https://evil.example'));
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a filled honeypot as success and stores nothing but a counter', async () => {
    const before = await env.items();
    const res = await invoke(
      handler,
      submission('demo-request', { email: 'bot@example.com', firstName: 'B', _gotcha: 'x' }, ORIGIN),
    );
    expect(res.status).toBe(202);
    const after = await env.items();
    const added = after.filter((i) => !before.some((b) => b.pk === i.pk && b.sk === i.sk));
    expect(added.map((i) => i.pk)).toEqual(['STATS#form#demo-request']);
    expect(after.find((i) => i.pk === 'STATS#form#demo-request')?.honeypotCaught).toBeGreaterThanOrEqual(1);
  });

  it('gives a retried Idempotency-Key the same answer and stores nothing new', async () => {
    const event = () =>
      submission(
        'demo-request',
        { email: 'retry@example.com', firstName: 'R' },
        { ...ORIGIN, 'idempotency-key': 'abc-123' },
      );
    const first = await invoke(handler, event());
    const second = await invoke(handler, event());
    expect(second.status).toBe(first.status);
    expect(second.json).toEqual(first.json);
    expect(await activitiesOf('retry@example.com')).toHaveLength(1);
  });

  it('rate-limits per email with 429 and Retry-After, storing nothing', async () => {
    const post = () =>
      invoke(handler, submission('demo-request', { email: 'spam@example.com', firstName: 'S' }, ORIGIN));
    for (let i = 0; i < 3; i += 1) expect((await post()).status).toBe(202);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(limited.json.error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(await activitiesOf('spam@example.com')).toHaveLength(3);
  });

  it('merges profile fields, latest non-empty value wins, each with its source', async () => {
    await invoke(
      handler,
      submission('demo-request', { email: 'merge@example.com', firstName: 'Old', lastName: 'Keep' }, ORIGIN),
    );
    await invoke(
      handler,
      submission('demo-request', { email: 'MERGE@example.com', firstName: 'New', lastName: '' }, ORIGIN),
    );
    const lead = (await env.items()).find(
      (i) => i.pk === `LEAD#${leadIdFor('merge@example.com')}` && i.sk === 'LEAD',
    );
    const profile = lead?.profile as Record<string, unknown>;
    expect(profile.firstName).toMatchObject({ value: 'New', source: 'form:demo-request' });
    expect(profile.lastName).toMatchObject({ value: 'Keep' });
  });
});
