import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadIdFor } from '../../functions/core/kernel/email';
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

  it('sends a refused browser post back with codes and field names only, no free text', async () => {
    const res = await invoke(
      handler,
      submission(
        'demo-request',
        {
          email: 'nope',
          firstName: 'X',
          _page: 'https://example.com/demo?error_message=URGENT+call+us&error=x',
        },
        { 'content-type': 'application/x-www-form-urlencoded', ...ORIGIN },
      ),
    );
    expect(res.status).toBe(303);
    const back = new URL(res.headers.location ?? '');
    expect([...back.searchParams.keys()].sort()).toEqual(['error', 'error_fields', 'error_form']);
    expect(Object.fromEntries(back.searchParams)).toEqual({
      error: 'validation_failed',
      error_form: 'demo-request',
      error_fields: 'email',
    });
    expect(res.headers.location).not.toMatch(/URGENT|invalid/i);
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

  it('answers 400 validation_failed when a name field carries a URL, an email address or markup, storing nothing', async () => {
    const before = await env.items();
    const refused: [string, string, RegExp][] = [
      ['lastName', 'URGENT: verify at https://evil.example/login', /web address/],
      ['lastName', 'visit evil.example/login', /web address/],
      ['firstName', 'www.evil.example', /web address/],
      ['firstName', 'ｈｔｔｐｓ：／／evil', /web address/],
      ['lastName', 'mail ops@evil.example', /email address/],
      ['lastName', '<a href=x>win</a>', /markup/],
      ['firstName', '{{ unsubscribeUrl }}', /markup/],
    ];
    for (const [path, value, message] of refused) {
      const res = await invoke(
        handler,
        submission('demo-request', { email: 'victim@example.com', firstName: 'Ada', [path]: value }, ORIGIN),
      );
      expect(res.status, value).toBe(400);
      expect(res.json, value).toEqual({
        error: {
          code: 'validation_failed',
          message: expect.any(String),
          details: [{ path, message: expect.stringMatching(message) }],
        },
      });
    }
    expect(await env.items()).toEqual(before);
    // Real names pass, hyphens, apostrophes, initials and all.
    for (const [firstName, lastName] of [
      ['Renée-Zoë', "O'Brien"],
      ['J. R. R.', 'Tolkien Jr.'],
      ['Ōtani', 'García Márquez'],
    ]) {
      const res = await invoke(
        handler,
        submission('demo-request', { email: 'names@example.com', firstName, lastName }, ORIGIN),
      );
      expect(res.status, `${firstName} ${lastName}`).toBe(202);
    }
  });

  it('answers 404 form_not_found to a 2,100-character form id (never looked up), and to its preflight', async () => {
    const long = 'a'.repeat(2100);
    for (const headers of [ORIGIN, { ...ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }]) {
      const res = await invoke(
        handler,
        submission(long, { email: 'long@example.com', firstName: 'L' }, headers),
      );
      expect(res.status).toBe(404);
      expect(res.json.error).toMatchObject({ code: 'form_not_found', details: [] });
    }
    const preflight = await invoke(
      handler,
      httpEvent({
        routeKey: 'OPTIONS /v1/forms/{formId}/submissions',
        path: `/v1/forms/${long}/submissions`,
        pathParameters: { formId: long },
        headers: ORIGIN,
      }),
    );
    expect(preflight.status).toBe(404);
    expect(preflight.json.error.code).toBe('form_not_found');
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

  it('refuses Origin: null (sandboxed frames, data: pages) on a urlencoded post with consent: 403 origin_not_allowed, storing nothing', async () => {
    const before = await env.items();
    const res = await invoke(
      handler,
      submission(
        'demo-request',
        { email: 'sandboxed@example.com', firstName: 'S', consent: 'on' },
        { 'content-type': 'application/x-www-form-urlencoded', origin: 'null' },
      ),
    );
    expect(res.status).toBe(403);
    expect(res.json.error).toMatchObject({ code: 'origin_not_allowed', details: [] });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(await env.items()).toEqual(before);
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

  it('answers a filled honeypot exactly as the same submission without it: 400 for no or an invalid email, storing nothing', async () => {
    const before = await env.items();
    for (const body of [
      { firstName: 'B' },
      { email: 'not-an-email', firstName: 'B' },
      { email: 'x@mailinator.com', firstName: 'B' },
      { email: 'bot@example.com' },
    ]) {
      const real = await invoke(handler, submission('demo-request', body, ORIGIN));
      const trapped = await invoke(handler, submission('demo-request', { ...body, _gotcha: 'x' }, ORIGIN));
      const trappedTrue = await invoke(
        handler,
        submission('demo-request', { ...body, _gotcha: true }, ORIGIN),
      );
      expect(real.status, JSON.stringify(body)).toBe(400);
      expect(trapped.status).toBe(real.status);
      expect(trapped.json).toEqual(real.json);
      expect(trappedTrue.json).toEqual(real.json);
      for (const browser of [body, { ...body, _gotcha: 'x' }]) {
        const post = await invoke(
          handler,
          submission(
            'demo-request',
            { ...browser, _page: 'https://example.com/demo' },
            { ...ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
          ),
        );
        expect(post.status).toBe(303);
        expect(post.headers.location).toMatch(/^https:\/\/example\.com\/demo\?error=validation_failed/);
      }
    }
    expect(await env.items()).toEqual(before);
  });

  it('answers a filled honeypot with the lead id a real submission gets, storing only the counter', async () => {
    const body = { email: 'Trap.Door@Example.com', firstName: 'T' };
    const trapped = await invoke(handler, submission('demo-request', { ...body, _gotcha: true }, ORIGIN));
    expect(trapped.status).toBe(202);
    expect(trapped.json).toEqual({ leadId: leadIdFor('trap.door@example.com'), status: 'accepted' });
    expect(await activitiesOf('trap.door@example.com')).toHaveLength(0);
  });

  it('treats a honeypot of false, null or "" as empty: the submission is stored', async () => {
    for (const [n, trap] of [false, null, '', '  '].entries()) {
      const email = `honest${n}@example.com`;
      const res = await invoke(
        handler,
        submission('demo-request', { email, firstName: 'H', _gotcha: trap }, ORIGIN),
      );
      expect(res.status, JSON.stringify(trap)).toBe(202);
      expect(await activitiesOf(email), JSON.stringify(trap)).toHaveLength(1);
    }
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
