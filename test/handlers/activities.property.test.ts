import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishShippedConfig } from '../fixtures/config';
import { type EmulatorEnv, emulatorEnv } from '../fixtures/emulators';
import { httpEvent, invoke } from '../fixtures/http-events';

let env: EmulatorEnv;
let handler: Parameters<typeof invoke>[0];
let token = '';

beforeAll(async () => {
  env = await emulatorEnv();
  await publishShippedConfig(env);
  token = await env.token('ingest');
  ({ handler } = await import('../../functions/handlers/activities'));
});
afterAll(async () => env?.stop());

const nested = (levels: number, leaf = '1') => `${'{"a":'.repeat(levels)}${leaf}${'}'.repeat(levels)}`;
// Properties as raw JSON text, so __proto__ keys and numbers JSON turns into Infinity get through.
const hostileProperties = fc.constantFrom(
  '{"c":1e-200}',
  '{"c":-1e-131}',
  '{"c":1e308}',
  '{"c":1e400}',
  '{"c":-1e400}',
  '{"c":9007199254740993}',
  '{"c":1e-130,"d":9007199254740991}',
  nested(3000),
  nested(6),
  nested(5),
  '{"__proto__":{"x":1}}',
  '{"n":{"__proto__":1}}',
  '{"n":[{"__proto__":{"y":[]}}]}',
  '{"constructor":"x","toString":{"valueOf":1}}',
  '{"s":"\\ud800"}',
  '{"":"empty key"}',
  JSON.stringify({ s: 'x'.repeat(2001) }),
  JSON.stringify({ k: 'é'.repeat(4000) }),
  JSON.stringify({ list: Array.from({ length: 250 }, (_, i) => i) }),
  JSON.stringify(Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`k${i}`, i]))),
  '[]',
  '"text"',
  'null',
  '{}',
);
const properties = fc.oneof(
  { arbitrary: hostileProperties, weight: 3 },
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .dictionary(fc.string({ maxLength: 110 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 })
    .map((o) => JSON.stringify(o)),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.double(), { maxKeys: 4 }).map((o) => JSON.stringify(o)),
);
const activity = fc
  .record({
    email: fc.oneof(
      { arbitrary: fc.constantFrom('ada@acme.io', 'grace@initech.de', 'NEW@Example.com'), weight: 4 },
      fc.emailAddress(),
      fc.string({ maxLength: 20 }),
    ),
    type: fc.oneof(
      { arbitrary: fc.constantFrom('page_viewed', 'trial_started', 'webinar_attended'), weight: 4 },
      fc.constantFrom('form_submitted', 'Bad-Type', ''),
      fc.string({ maxLength: 70 }),
    ),
    properties: fc.option(properties, { nil: undefined }),
    occurredAt: fc.option(
      fc.constantFrom(
        '2026-11-27T09:00:00Z',
        '2099-01-01T00:00:00Z',
        '2026-02-31T00:00:00Z',
        '0000-01-01T00:00:00Z',
        'now',
      ),
      { nil: undefined },
    ),
    idempotencyKey: fc.option(fc.oneof(fc.constantFrom('k1', 'k2'), fc.string({ maxLength: 300 })), {
      nil: undefined,
    }),
    createLead: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, fc.constant(false)),
  })
  .map((a) => {
    const parts = [
      `"email":${JSON.stringify(a.email)}`,
      `"type":${JSON.stringify(a.type)}`,
      `"createLead":${a.createLead}`,
    ];
    if (a.properties !== undefined) parts.push(`"properties":${a.properties}`);
    if (a.occurredAt !== undefined) parts.push(`"occurredAt":${JSON.stringify(a.occurredAt)}`);
    if (a.idempotencyKey !== undefined) parts.push(`"idempotencyKey":${JSON.stringify(a.idempotencyKey)}`);
    return `{${parts.join(',')}}`;
  });
// Batches of plain events, so the 200 path is reached too.
const plainEvent = fc
  .record({
    email: fc.constantFrom('ada@acme.io', 'grace@initech.de'),
    path: fc.constantFrom('/pricing', '/blog'),
  })
  .map((e) =>
    JSON.stringify({ email: e.email, type: 'page_viewed', createLead: true, properties: { path: e.path } }),
  );
const body = fc.oneof(
  { arbitrary: activity, weight: 4 },
  fc.array(plainEvent, { minLength: 1, maxLength: 3 }).map((list) => `{"activities":[${list.join(',')}]}`),
  fc.array(activity, { minLength: 1, maxLength: 4 }).map((list) => `{"activities":[${list.join(',')}]}`),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
);

const STORED = (i: Record<string, unknown>) => i.entity === 'lead' || i.entity === 'activity';

describe('POST /v1/activities under arbitrary and hostile events', () => {
  it('never answers 5xx, always uses the error shape, and writes nothing when it refuses', async () => {
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        const before = JSON.stringify((await env.items()).filter(STORED));
        const res = await invoke(
          handler,
          httpEvent({
            routeKey: 'POST /v1/activities',
            path: '/v1/activities',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: raw,
          }),
        );
        seen.add(res.status);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.json).toEqual({
            error: {
              code: expect.stringMatching(/^[a-z_]+$/),
              message: expect.any(String),
              details: expect.any(Array),
            },
          });
          for (const detail of res.json.error.details)
            expect(detail).toEqual({ path: expect.any(String), message: expect.any(String) });
          expect(JSON.stringify((await env.items()).filter(STORED))).toBe(before);
        }
      }),
      { numRuns: 250 },
    );
    // The generators must reach the interesting answers, or the property proves little.
    for (const status of [200, 202, 400]) expect(seen).toContain(status);
  }, 180_000);
});
