import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer } from '../../functions/local/server';
import { type EmulatorEnv, emulatorEnv } from '../fixtures/emulators';
import { testForm } from '../fixtures/fakes';
import { httpEvent, invoke } from '../fixtures/http-events';

let env: EmulatorEnv;
let handler: Parameters<typeof invoke>[0];

beforeAll(async () => {
  env = await emulatorEnv({
    LEADFLOW_RATE_LIMIT_PER_IP_PER_MIN: '100000',
    LEADFLOW_RATE_LIMIT_PER_EMAIL_PER_MIN: '100000',
  });
  await env.publishForm(testForm());
  ({ handler } = await import('../../functions/handlers/form-submission'));
});
afterAll(async () => env?.stop());

const fieldNames = fc.constantFrom(
  'email',
  'firstName',
  'phone',
  'country',
  'seats',
  'companySize',
  'consent',
  'message',
  '_page',
  '_gotcha',
  '__proto__',
  'constructor',
  '',
);
const fieldValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom(
    'a@example.com',
    'x@mailinator.com',
    '+49 30 1234567',
    'DE',
    '1-10',
    'on',
    '1e400',
    'NaN',
    '\u0000',
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
);
// Mostly-valid submissions with hostile extras, so the property covers the 202 path too.
const nearlyValid = fc
  .record({
    email: fc.oneof(
      { arbitrary: fc.constantFrom('Ada.Lovelace+x@Gmail.com', 'b@example.com', 'ops@acme.io'), weight: 3 },
      fc.emailAddress(),
    ),
    firstName: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 25 }),
    message: fc.option(fc.string({ unit: 'binary', maxLength: 60 }), { nil: undefined }),
    country: fc.option(fc.constantFrom('DE', 'us', 'DE', 'XX'), { nil: undefined }),
    phone: fc.option(fc.constantFrom('030 1234567', '+1 415 555 2671', '+44 20 7946 0958', '12'), {
      nil: undefined,
    }),
  })
  .map((o) => JSON.stringify(o));
const jsonBody = fc.oneof(
  { arbitrary: nearlyValid, weight: 3 },
  fc.dictionary(fieldNames, fieldValue, { maxKeys: 8 }).map((o) => JSON.stringify(o)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.string({ unit: 'binary', maxLength: 200 }),
);
const urlencodedBody = fc.oneof(
  fc
    .dictionary(fieldNames, fc.string({ unit: 'binary', maxLength: 200 }), { maxKeys: 8 })
    .map((o) => new URLSearchParams(o).toString()),
  fc.string({ maxLength: 300 }),
);
const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 3 },
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'application/x-www-form-urlencoded',
    'APPLICATION/X-WWW-FORM-URLENCODED; charset=UTF-8',
    'multipart/form-data; boundary=x',
    'text/plain',
    '',
  ),
  fc.string({ maxLength: 60 }),
);
const request = fc.record({
  formId: fc.oneof(
    { arbitrary: fc.constant('demo-request'), weight: 4 },
    { arbitrary: fc.constant('no-such-form'), weight: 1 },
    fc.string({ maxLength: 80 }),
    // Longer than DynamoDB's 2 KB partition key: must never reach a look-up.
    fc.constantFrom('a'.repeat(2100), 'demo-request'.repeat(200), `${'x'.repeat(1030)}é${'y'.repeat(1030)}`),
    fc.string({ minLength: 1000, maxLength: 2500 }),
  ),
  contentType,
  body: fc.oneof({ arbitrary: jsonBody, weight: 3 }, urlencodedBody),
  base64: fc.boolean(),
  // Mostly text bodies; raw random bytes in one run of eight.
  rawBytes: fc.oneof({ arbitrary: fc.constant(null), weight: 7 }, fc.uint8Array({ maxLength: 200 })),
  origin: fc.option(
    fc.oneof({ arbitrary: fc.constant('https://example.com'), weight: 3 }, fc.string({ maxLength: 40 })),
  ),
  referer: fc.option(fc.oneof(fc.webUrl(), fc.string({ maxLength: 40 }))),
  idempotencyKey: fc.option(fc.string({ maxLength: 300 })),
});

const STORED = (i: Record<string, unknown>) => i.entity === 'lead' || i.entity === 'activity';

describe('form endpoint under arbitrary input', () => {
  it('never answers 5xx, always uses the error shape, and stores nothing when it refuses', async () => {
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const before = (await env.items()).filter(STORED).length;
        const body = r.rawBytes
          ? Buffer.from(r.rawBytes).toString('base64')
          : r.base64
            ? Buffer.from(r.body).toString('base64')
            : r.body;
        const headers: Record<string, string> = { 'content-type': r.contentType };
        if (r.origin !== null) headers.origin = r.origin;
        if (r.referer !== null) headers.referer = r.referer;
        if (r.idempotencyKey !== null) headers['idempotency-key'] = r.idempotencyKey;
        const res = await invoke(
          handler,
          httpEvent({
            routeKey: 'POST /v1/forms/{formId}/submissions',
            path: `/v1/forms/${encodeURIComponent(r.formId)}/submissions`,
            pathParameters: { formId: r.formId },
            headers,
            body,
            isBase64Encoded: r.rawBytes !== null || r.base64,
          }),
        );
        seen.add(res.status);
        expect(res.status).toBeLessThan(500);
        const after = (await env.items()).filter(STORED).length;
        if (res.status >= 400) {
          expect(res.json).toEqual({
            error: {
              code: expect.stringMatching(/^[a-z_]+$/),
              message: expect.any(String),
              details: expect.any(Array),
            },
          });
        }
        const refused =
          res.status >= 400 || (res.status === 303 && (res.headers.location ?? '').includes('error='));
        if (refused) expect(after).toBe(before);
        if (res.status === 202)
          expect(res.json).toEqual({ leadId: expect.stringMatching(/^ld_/), status: 'accepted' });
      }),
      { numRuns: 400 },
    );
    // The generators must reach the interesting answers, or the property proves little.
    for (const status of [202, 400, 404, 415]) expect(seen).toContain(status);
  }, 120_000);
});

describe('the local server under arbitrary paths', () => {
  const percentEscape = fc.oneof(
    fc.constantFrom('%', '%z', '%zz', '%E2%82', '%C0%AF', '%FF', '%%', '%2', '%ED%A0%80', '%25', '%2F'),
    fc.string({ maxLength: 3 }).map((s) => `%${s}`),
  );
  const segment = fc
    .array(fc.oneof(percentEscape, fc.string({ maxLength: 6 }), fc.constant('demo-request')), {
      maxLength: 6,
    })
    .map((parts) => parts.join('').replace(/[/?#\s]/g, ''));

  it('answers a malformed percent-escape in a path with the contract 400, never a 5xx', async () => {
    const server = createApiServer(
      async (name) => {
        if (name !== 'form-submission') throw new Error(`unexpected handler ${name}`);
        return handler;
      },
      () => undefined,
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const logged: unknown[] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      const example = await fetch(`${base}/v1/forms/%zz/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"email":"a@example.com"}',
      });
      expect(example.status).toBe(400);
      expect(await example.json()).toEqual({
        error: {
          code: 'malformed_path',
          message: expect.any(String),
          details: [{ path: 'formId', message: expect.stringMatching(/percent-encoding/) }],
        },
      });
      await fc.assert(
        fc.asyncProperty(segment, fc.constantFrom('POST', 'OPTIONS'), async (id, method) => {
          const before = (await env.items()).filter(STORED).length;
          const res = await fetch(`${base}/v1/forms/${id}/submissions`, {
            method,
            headers: { 'content-type': 'application/json', origin: 'https://example.com' },
            body: method === 'POST' ? '{"email":"prop@example.com","firstName":"P"}' : undefined,
          });
          const text = await res.text();
          expect(res.status, `${method} ${id}`).toBeLessThan(500);
          if (res.status >= 400) {
            expect(JSON.parse(text)).toEqual({
              error: {
                code: expect.stringMatching(/^[a-z_]+$/),
                message: expect.any(String),
                details: expect.any(Array),
              },
            });
            expect((await env.items()).filter(STORED).length).toBe(before);
          }
        }),
        { numRuns: 150 },
      );
      // A client's bad path is an answer, not a crash: nothing printed as a handler failure.
      expect(logged).toEqual([]);
    } finally {
      console.error = consoleError;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 60_000);
});
