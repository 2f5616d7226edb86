import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signConfirmationToken } from '../../functions/core/consent/confirmation-token';
import { signUnsubscribeToken } from '../../functions/core/consent/unsubscribe-token';
import type { LocalStack } from '../../functions/local/stack';
import { startFakeGraph } from '../fixtures/fake-graph';
import { startFakeLinkedin } from '../fixtures/fake-linkedin';
import { api, hotDemoRequest, startTestStack, tableItems } from '../fixtures/local-api';

/**
 * Security review, issue 10: every public route (unsubscribe, confirm, the static documents,
 * unknown paths, the ad-platform webhooks) and the authenticated lead and queue routes with valid
 * tokens, driven over real HTTP against one local stack with random bodies, headers, paths and
 * encodings. No answer is a 5xx; every JSON error has the contract's shape (the unsubscribe and
 * confirm links answer a browser with an HTML page instead); and a 4xx writes nothing to the table
 * (rate-limit and honeypot counters, `RATE#` and `STATS#`, may change, as in the form suite).
 */
let stack: LocalStack;
let graph: Awaited<ReturnType<typeof startFakeGraph>>;
let linkedin: Awaited<ReturnType<typeof startFakeLinkedin>>;

const META_SECRET = 'meta-app-secret-for-route-props';
const META_VERIFY = 'meta-verify-token-for-route-props';
const GOOGLE_KEY = 'google-key-for-route-props';
const LINKEDIN_SECRET = 'linkedin-client-secret-for-route-props';
const TIKTOK_SECRET = 'tiktok-secret-for-route-props';
const SIGNING_KEY = randomBytes(32).toString('base64url');

/** Leads the properties can point valid tokens and ids at. */
const seeded = {
  unsubscribe: '',
  optIn: '',
  view: '',
  viewEmail: 'routes.view@initech.de',
  erasable: [] as string[],
};

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
  // No tick: "nothing written" compares the table before and after each call.
  stack = await startTestStack({
    tickSeconds: 3600,
    rateLimits: { perIpPerMinute: 1_000_000, perEmailPerMinute: 1_000_000 },
  });
  const http = api(stack);
  const submit = async (formId: string, body: Record<string, unknown>) => {
    const res = await http.submit(formId, body);
    expect(res.status, JSON.stringify(res.json)).toBe(202);
    return res.json.leadId as string;
  };
  seeded.unsubscribe = await submit('newsletter', { email: 'routes.unsub@acme.io', consent: true });
  seeded.optIn = await submit('newsletter-eu', { email: 'routes.optin@acme.io', consent: true });
  seeded.view = await submit('demo-request', hotDemoRequest(seeded.viewEmail));
  for (const n of [1, 2, 3])
    seeded.erasable.push(await submit('newsletter', { email: `routes.erase${n}@acme.io`, consent: true }));
  // Every handler loaded once (a cold import is slow), and the table quiet before the first run.
  for (const path of ['/v1/health', '/v1/unsubscribe', '/v1/confirm', '/v1/webhooks/meta', '/v1/sales/queue'])
    await fetch(`${stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${stack.tokens.sales}` } });
  await settled();
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await graph?.stop();
  await linkedin?.stop();
});

// ---------------------------------------------------------------------------------------------
// The table, the exchange and the checks every property shares
// ---------------------------------------------------------------------------------------------

/** Counters a refused request may move (rate limits, honeypot hits). */
const COUNTER = (pk: unknown) =>
  typeof pk === 'string' && (pk.startsWith('RATE#') || pk.startsWith('STATS#'));

/** Every item of the table but the counters, in key order, as text. */
async function snapshot(): Promise<string> {
  return JSON.stringify((await tableItems(stack)).filter((item) => !COUNTER(item.pk)));
}

/** Waits until nothing in the background (queue consumers) is still writing. */
async function settled() {
  let last = await snapshot();
  for (let i = 0; i < 50; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const now = await snapshot();
    if (now === last) return;
    last = now;
  }
  throw new Error('the table kept changing');
}

interface Req {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}
interface Answer {
  status: number;
  type: string;
  text: string;
}

async function send(req: Req): Promise<Answer> {
  const res = await fetch(`${stack.apiUrl}${req.path}`, {
    method: req.method,
    headers: req.headers,
    body: req.body === undefined ? undefined : new Uint8Array(req.body),
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text };
}

const describeReq = (req: Req, res: Answer) =>
  `${req.method} ${req.path.slice(0, 300)} ${JSON.stringify(req.headers).slice(0, 300)} body ${
    req.body?.byteLength ?? 0
  } B → ${res.status} ${res.type} ${res.text.slice(0, 300)}`;

const CODE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/** `{"error":{"code": snake_case, "message": string, "details"?: [{path, message}]}}` and nothing else. */
function expectContractError(res: Answer, what: string) {
  expect(res.type, what).toMatch(/^application\/json/);
  const body = JSON.parse(res.text);
  expect(Object.keys(body), what).toEqual(['error']);
  const { code, message, details, ...rest } = body.error;
  expect(rest, what).toEqual({});
  expect(code, what).toMatch(CODE);
  expect(message, what).toEqual(expect.any(String));
  if (details !== undefined) {
    expect(details, what).toEqual(expect.any(Array));
    for (const detail of details)
      expect(detail, what).toEqual({ path: expect.any(String), message: expect.any(String) });
  }
}

const wantsJson = (req: Req) => /application\/json/i.test(req.headers.accept ?? '');

/**
 * One request under the shared properties: never 5xx; a 4xx or 5xx is the contract's JSON error
 * (or, where `htmlErrors` says the route answers browsers with a page, a 400 HTML page when no
 * JSON was asked for); and a 4xx leaves the table as it was.
 */
async function exchange(req: Req, options: { htmlErrors?: boolean } = {}): Promise<Answer> {
  fitHeaderLimit(req);
  const before = await snapshot();
  const res = await send(req);
  const what = describeReq(req, res);
  expect(res.status, what).toBeLessThan(500);
  if (res.status >= 400) {
    if (options.htmlErrors && res.status === 400 && !wantsJson(req)) {
      // The link in an email opened in a browser: the route's own page, never a raw error.
      expect(res.type, what).toMatch(/^text\/html/);
      expect(res.text, what).toMatch(/^<!doctype html>/);
    } else if (req.method !== 'HEAD') {
      expectContractError(res, what);
    }
    expectUnchanged(before, await snapshot(), what);
  }
  return res;
}

/** The items a call added, removed or changed (by key), so a failure names them instead of printing the table. */
function expectUnchanged(before: string, after: string, what: string) {
  if (before === after) return;
  const byKey = (text: string) =>
    new Map(
      (JSON.parse(text) as Record<string, unknown>[]).map((i) => [`${i.pk}|${i.sk}`, JSON.stringify(i)]),
    );
  const [b, a] = [byKey(before), byKey(after)];
  const changes = [...new Set([...b.keys(), ...a.keys()])]
    .filter((k) => b.get(k) !== a.get(k))
    .map(
      (k) =>
        `${b.has(k) ? (a.has(k) ? 'changed' : 'removed') : 'added'} ${k.slice(0, 120)}: ${(a.get(k) ?? '').slice(0, 400)}`,
    );
  expect(changes, `${what}\nwrote on a 4xx`).toEqual([]);
}

/**
 * Node's HTTP server takes 16 KB of request line and headers (API Gateway less): past it the
 * connection answers 431 before any of our code runs. The largest extra headers go first.
 */
function fitHeaderLimit(req: Req) {
  const size = () =>
    req.path.length + Object.entries(req.headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);
  const extras = Object.keys(req.headers)
    .filter((k) => !['authorization', 'content-type', 'accept'].includes(k) && !k.includes('signature'))
    .sort((x, y) => (req.headers[y]?.length ?? 0) - (req.headers[x]?.length ?? 0));
  for (const name of extras) {
    if (size() <= 14_000) return;
    delete req.headers[name];
  }
}

// ---------------------------------------------------------------------------------------------
// Generators shared by the routes
// ---------------------------------------------------------------------------------------------

const char = (min: number, max: number) => fc.integer({ min, max }).map((c) => String.fromCharCode(c));
/** What fetch can put in a header value: printable ASCII and Latin-1, no CR, LF or NUL. */
const headerValue = fc.oneof(
  { arbitrary: fc.string({ unit: char(0x20, 0x7e), maxLength: 120 }), weight: 4 },
  fc.string({ unit: fc.oneof(char(0x20, 0x7e), char(0xa0, 0xff)), maxLength: 60 }),
  fc.integer({ min: 1000, max: 4000 }).map((n) => 'v'.repeat(n)),
);
/** Headers fetch refuses or the connection itself depends on. */
const RESERVED = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
  'proxy-connection',
  'http2-settings',
  'content-type',
  'authorization',
]);
const headerName = fc
  .oneof(
    fc.constantFrom(
      'accept',
      'origin',
      'referer',
      'cookie',
      'user-agent',
      'x-forwarded-for',
      'content-encoding',
      'accept-encoding',
      'accept-language',
      'idempotency-key',
      'x-hub-signature-256',
      'x-li-signature',
      'tiktok-signature',
      'if-none-match',
      'range',
      'x-amz-date',
      'x-requested-with',
    ),
    fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,24}$/),
  )
  .filter((name) => !RESERVED.has(name));
const extraHeaders = fc.dictionary(headerName, headerValue, { maxKeys: 5 });
const contentType = fc.option(
  fc.oneof(
    fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'application/x-www-form-urlencoded',
      'APPLICATION/X-WWW-FORM-URLENCODED; charset=UTF-8',
      'multipart/form-data; boundary=x',
      'text/plain',
      'text/html',
      'application/octet-stream',
      'application/xml',
      'application/javascript',
      '*/*',
      '',
    ),
    fc.string({ unit: char(0x20, 0x7e), maxLength: 60 }),
  ),
  { nil: undefined },
);
const accept = fc.option(
  fc.oneof(
    fc.constantFrom(
      'application/json',
      'APPLICATION/JSON',
      'text/html',
      'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      'text/html, application/json;q=0.1',
      '*/*',
      '',
    ),
    fc.string({ unit: char(0x20, 0x7e), maxLength: 40 }),
  ),
  { nil: undefined },
);
/** Percent-escapes, well-formed or not, for paths and query strings. */
const percentEscape = fc.oneof(
  fc.constantFrom(
    '%',
    '%z',
    '%zz',
    '%E2%82',
    '%C0%AF',
    '%FF',
    '%%',
    '%2',
    '%ED%A0%80',
    '%25',
    '%2F',
    '%00',
    '%0A',
  ),
  fc.string({ maxLength: 3 }).map((s) => `%${s}`),
);
/** Arbitrary bodies: bytes, text in any script, JSON values, URL-encoded pairs, large text. */
const anyBody = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => Buffer.from(s)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v))),
  fc
    .dictionary(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 40 }), { maxKeys: 5 })
    .map((o) => Buffer.from(new URLSearchParams(o).toString())),
  fc
    .constantFrom(
      'List-Unsubscribe=One-Click',
      'List-Unsubscribe=One-Click&x=1',
      'list-unsubscribe=one-click',
      '{"List-Unsubscribe":"One-Click"}',
      '\u0000\u0001',
      '\ufeff{}',
    )
    .map((s) => Buffer.from(s)),
  fc.integer({ min: 30_000, max: 70_000 }).map((n) => Buffer.alloc(n, 'x')),
);
const rawQuery = fc
  .array(
    fc.oneof(
      percentEscape,
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'grapheme', maxLength: 4 }),
      fc.constantFrom('=', '&', '+', '&&', '==', 't=', 't[]=', '__proto__=1', 'constructor=x'),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join('').replace(/[#\s]/g, ''));
const pairQuery = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom('t', 'email', 'hub.mode', 'challengeCode', 'callback', ''),
        fc.string({ maxLength: 10 }),
      ),
      fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constant('x'.repeat(2000))),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => new URLSearchParams(pairs).toString())
  .filter((query) => query.length <= 4000);
const anyQuery = fc.oneof(fc.constant(''), rawQuery, pairQuery);
const withQuery = (path: string, query: string) => (query ? `${path}?${query}` : path);

function headersOf(
  extra: Record<string, string>,
  more: Record<string, string | undefined>,
): Record<string, string> {
  const headers: Record<string, string> = { ...extra };
  for (const [name, value] of Object.entries(more)) if (value !== undefined) headers[name] = value;
  return headers;
}

const hmacHex = (secret: string, data: Buffer | string) =>
  createHmac('sha256', secret).update(data).digest('hex');
const flip = (s: string, i: number) => {
  const at = i % Math.max(1, s.length);
  return s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
};
const leadIdArb = fc.stringMatching(/^[0-9a-f]{24}$/).map((hex) => `ld_${hex}`);

/** How often each status was seen, per property: the generators must reach the paths that answer 2xx too. */
function tally() {
  const seen = new Map<number, number>();
  return {
    add: (status: number) => seen.set(status, (seen.get(status) ?? 0) + 1),
    statuses: () => [...seen.keys()],
  };
}

// ---------------------------------------------------------------------------------------------
// Unsubscribe and confirm links
// ---------------------------------------------------------------------------------------------

type TokenKind =
  | { kind: 'valid-seeded' | 'valid-random-lead' | 'other-purpose' | 'expired' | 'missing' | 'twice' }
  | { kind: 'flip'; at: number }
  | { kind: 'cut'; at: number }
  | { kind: 'append'; text: string }
  | { kind: 'text'; text: string };

const tokenKind: fc.Arbitrary<TokenKind> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'valid-seeded' as const }), weight: 3 },
  { arbitrary: fc.constant({ kind: 'valid-random-lead' as const }), weight: 2 },
  fc.constantFrom(
    { kind: 'other-purpose' as const },
    { kind: 'expired' as const },
    { kind: 'missing' as const },
    { kind: 'twice' as const },
  ),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('append' as const),
    text: fc.oneof(fc.string({ maxLength: 8 }), percentEscape),
  }),
  fc.record({
    kind: fc.constant('text' as const),
    text: fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.constant('A'.repeat(5000)),
    ),
  }),
);

/** The query string for a token variant (`raw` keeps the variant's own escapes). */
function tokenQuery(
  kind: TokenKind,
  valid: string,
  randomLead: string,
  otherPurpose: string,
  expired: string,
) {
  const q = (t: string) => `t=${encodeURIComponent(t)}`;
  switch (kind.kind) {
    case 'valid-seeded':
      return q(valid);
    case 'valid-random-lead':
      return q(randomLead);
    case 'other-purpose':
      return q(otherPurpose);
    case 'expired':
      return q(expired);
    case 'missing':
      return '';
    case 'twice':
      return `${q(valid)}&${q(valid)}`;
    case 'flip':
      return q(flip(valid, kind.at));
    case 'cut':
      return q(valid.slice(0, kind.at % valid.length));
    case 'append':
      return `${q(valid)}${kind.text.replace(/[#\s]/g, '')}`;
    case 'text':
      return q(kind.text);
  }
}

const linkRequest = fc.record({
  method: fc.constantFrom('GET', 'POST'),
  token: tokenKind,
  randomLead: leadIdArb,
  body: fc.option(anyBody, { freq: 3, nil: undefined }),
  contentType,
  accept,
  extra: extraHeaders,
  extraQuery: fc.option(rawQuery, { freq: 4, nil: undefined }),
});

describe('unsubscribe and confirm links under arbitrary input', () => {
  it('GET and POST /v1/unsubscribe?t=…: never 5xx, contract errors (or the HTML page), nothing written on 4xx', async () => {
    const seen = tally();
    await fc.assert(
      fc.asyncProperty(linkRequest, async (r) => {
        const now = new Date();
        const query = tokenQuery(
          r.token,
          signUnsubscribeToken(seeded.unsubscribe, SIGNING_KEY, now),
          signUnsubscribeToken(r.randomLead, SIGNING_KEY, now),
          signConfirmationToken({ leadId: seeded.unsubscribe, formId: 'newsletter' }, SIGNING_KEY, now, 7),
          signUnsubscribeToken(seeded.unsubscribe, 'another-signing-key-0123456789', now),
        );
        const req: Req = {
          method: r.method,
          path: withQuery('/v1/unsubscribe', [query, r.extraQuery].filter(Boolean).join('&')),
          headers: headersOf(r.extra, { 'content-type': r.contentType, accept: r.accept }),
          body: r.method === 'POST' ? r.body : undefined,
        };
        const res = await exchange(req, { htmlErrors: true });
        seen.add(res.status);
        if (res.status === 200) {
          const asJson = req.method === 'POST' && (wantsJson(req) || res.type.startsWith('application/json'));
          if (asJson) expect(JSON.parse(res.text)).toEqual({ status: 'unsubscribed' });
          else expect(res.type).toMatch(/^text\/html/);
        }
      }),
      { numRuns: 150 },
    );
    expect(seen.statuses()).toEqual(expect.arrayContaining([200, 400]));
  }, 60_000);

  it('GET and POST /v1/confirm?t=…: never 5xx, contract errors (or the HTML page), nothing written on 4xx', async () => {
    const seen = tally();
    const week = 7 * 86_400_000;
    await fc.assert(
      fc.asyncProperty(linkRequest, async (r) => {
        const now = new Date();
        const query = tokenQuery(
          r.token,
          signConfirmationToken({ leadId: seeded.optIn, formId: 'newsletter-eu' }, SIGNING_KEY, now, 7),
          signConfirmationToken({ leadId: r.randomLead, formId: 'newsletter-eu' }, SIGNING_KEY, now, 7),
          signUnsubscribeToken(seeded.optIn, SIGNING_KEY, now),
          signConfirmationToken(
            { leadId: seeded.optIn, formId: 'newsletter-eu' },
            SIGNING_KEY,
            new Date(now.getTime() - week - 60_000),
            7,
          ),
        );
        const req: Req = {
          method: r.method,
          path: withQuery('/v1/confirm', [query, r.extraQuery].filter(Boolean).join('&')),
          headers: headersOf(r.extra, { 'content-type': r.contentType, accept: r.accept }),
          body: r.method === 'POST' ? r.body : undefined,
        };
        const res = await exchange(req, { htmlErrors: true });
        seen.add(res.status);
        if (res.status === 200) {
          if (wantsJson(req) && req.method === 'POST')
            expect(JSON.parse(res.text)).toEqual({
              status: expect.stringMatching(/^(confirmed|already_confirmed|not_pending)$/),
            });
          else expect(res.type).toMatch(/^text\/html/);
        }
      }),
      { numRuns: 150 },
    );
    expect(seen.statuses()).toEqual(expect.arrayContaining([200, 400]));
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// Static documents and unknown paths
// ---------------------------------------------------------------------------------------------

const DOCUMENTS = {
  '/v1/embed.js': /^text\/javascript/,
  '/v1/health': /^application\/json/,
  '/v1/openapi.json': /^application\/json/,
  '/v1/schemas/hot-lead.v1.json': /^application\/json/,
  '/v1/schemas/lead-erased.v1.json': /^application\/json/,
} as const;

const KNOWN_SEGMENTS = [
  'v1',
  'health',
  'embed.js',
  'openapi.json',
  'schemas',
  'hot-lead.v1.json',
  'lead-erased.v1.json',
  'webhooks',
  'meta',
  'tiktok',
  'admin',
  'leads',
  'sales',
  'queue',
  'unsubscribe',
  'confirm',
  'forms',
  'submissions',
  'activities',
  '..',
  '.',
  '',
  '%2e%2e',
  '%2F',
  '%00',
];
const segment = fc
  .oneof(
    {
      arbitrary: fc
        .array(
          fc.oneof(percentEscape, fc.string({ maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 4 })),
          { maxLength: 5 },
        )
        .map((parts) => parts.join('')),
      weight: 4,
    },
    { arbitrary: fc.constantFrom(...KNOWN_SEGMENTS), weight: 3 },
    fc.integer({ min: 1000, max: 7000 }).map((n) => 'a'.repeat(n)),
    fc.integer({ min: 100, max: 800 }).map((n) => '%E2%82%AC'.repeat(n)),
    fc.integer({ min: 100, max: 1500 }).map((n) => '%zz'.repeat(n)),
  )
  .map((s) => s.replace(/[/?#\\\s]/g, ''));
const unknownPath = fc
  .array(segment, { minLength: 1, maxLength: 5 })
  .map((segments) => `/v1/${segments.join('/')}`)
  // The request line and headers stay under Node's 16 KB header limit (API Gateway's is lower still).
  .filter((path) => path.length <= 8000);

describe('static documents and unknown paths under arbitrary input', () => {
  it('GET /v1/embed.js, /v1/health, /v1/openapi.json and the two schemas answer 200 with their type to any query and headers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(DOCUMENTS) as (keyof typeof DOCUMENTS)[])),
        anyQuery,
        extraHeaders,
        accept,
        fc.option(headerValue, { nil: undefined }),
        async (path, query, extra, acceptValue, authorization) => {
          const req: Req = {
            method: 'GET',
            path: withQuery(path, query),
            headers: headersOf(extra, { accept: acceptValue, authorization }),
          };
          const res = await exchange(req);
          const what = describeReq(req, res);
          expect(res.status, what).toBe(200);
          expect(res.type, what).toMatch(DOCUMENTS[path]);
          if (path !== '/v1/embed.js') JSON.parse(res.text);
        },
      ),
      { numRuns: 100 },
    );
  }, 60_000);

  it('random paths under /v1/ (percent-escapes, very long segments, any method) never answer 5xx nor write on 4xx', async () => {
    const seen = tally();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { arbitrary: unknownPath, weight: 4 },
          fc
            .tuple(
              fc.constantFrom(...Object.keys(DOCUMENTS)),
              fc.constantFrom('', '/', '/x', '%00', '.bak', '%2F..'),
            )
            .map(([p, s]) => `${p}${s}`),
        ),
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
        anyQuery,
        fc.option(anyBody, { nil: undefined }),
        contentType,
        extraHeaders,
        async (path, method, query, body, type, extra) => {
          const req: Req = {
            method,
            path: withQuery(path, query),
            headers: headersOf(extra, { 'content-type': type }),
            body: method === 'GET' || method === 'HEAD' ? undefined : body,
          };
          const res = await exchange(req, {
            htmlErrors: /^\/v1\/(unsubscribe|confirm)(\?|$)/.test(req.path),
          });
          seen.add(res.status);
        },
      ),
      { numRuns: 150 },
    );
    expect(seen.statuses()).toContain(404);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// Ad-platform webhooks
// ---------------------------------------------------------------------------------------------

const anyJson = fc.jsonValue({ maxDepth: 3 });
const idish = fc.oneof(fc.string({ maxLength: 30 }), fc.stringMatching(/^[0-9]{1,19}$/), fc.integer());
const bigText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.integer({ min: 10_000, max: 120_000 }).map((n) => 'é'.repeat(n)),
);

const metaBody = fc.oneof(
  fc
    .record({
      object: fc.constantFrom('page', 'user'),
      entry: fc.oneof(
        {
          arbitrary: fc.array(
            fc.record({
              id: idish,
              time: fc.integer(),
              changes: fc.oneof(
                fc.array(
                  fc.record({
                    field: fc.constantFrom('leadgen', 'feed'),
                    value: fc.oneof(
                      fc.record(
                        {
                          // The fake Graph API knows no lead: a queued fetch fails and writes nothing.
                          leadgen_id: fc.stringMatching(/^[0-9]{1,19}$/),
                          form_id: fc.oneof(idish, bigText),
                          ad_id: idish,
                          adgroup_id: idish,
                          page_id: idish,
                          created_time: fc.oneof(fc.integer(), fc.double()),
                        },
                        { requiredKeys: ['leadgen_id'] },
                      ),
                      anyJson,
                    ),
                  }),
                  { maxLength: 4 },
                ),
                anyJson,
              ),
            }),
            { maxLength: 2 },
          ),
          weight: 4,
        },
        anyJson,
      ),
    })
    .map((v) => JSON.stringify(v)),
  // Many leadgen changes in one delivery.
  fc.integer({ min: 11, max: 30 }).map((n) =>
    JSON.stringify({
      object: 'page',
      entry: [
        {
          changes: Array.from({ length: n }, (_, i) => ({
            field: 'leadgen',
            value: { leadgen_id: `9${i}` },
          })),
        },
      ],
    }),
  ),
);
const googleBody = fc
  .record(
    {
      google_key: fc.oneof(
        { arbitrary: fc.constant(GOOGLE_KEY), weight: 4 },
        fc.string({ maxLength: 30 }),
        anyJson,
      ),
      lead_id: fc.oneof(idish, bigText),
      user_column_data: fc.oneof(
        fc.array(
          fc.record(
            {
              column_id: fc.constantFrom(
                'EMAIL',
                'FULL_NAME',
                'PHONE_NUMBER',
                'COMPANY_NAME',
                'JOB_TITLE',
                'x',
              ),
              column_name: fc.string({ maxLength: 10 }),
              string_value: fc.oneof(
                fc.stringMatching(/^[a-z][a-z0-9]{0,10}@[a-z]{2,10}\.(de|com|io)$/),
                fc.emailAddress(),
                bigText,
                fc.string({ unit: 'binary', maxLength: 40 }),
              ),
            },
            { requiredKeys: ['string_value'] },
          ),
          { maxLength: 5 },
        ),
        anyJson,
      ),
      campaign_id: idish,
      gcl_id: fc.oneof(idish, bigText),
      lead_submit_time: fc.oneof(fc.string({ maxLength: 25 }), fc.constant('2026-11-27 09:00:00')),
      is_test: anyJson,
    },
    { requiredKeys: ['google_key'] },
  )
  .map((v) => JSON.stringify(v));
// CREATED and DELETED never name the same response: a DELETED before the queued CREATED is
// processed makes the consumer write in the background, between another run's snapshots.
const linkedinBody = fc
  .record(
    {
      type: fc.oneof(fc.constant('LEAD_ACTION'), anyJson),
      leadAction: fc.oneof(fc.constantFrom('CREATED', 'DELETED', 'UPDATED'), anyJson),
      response: fc.oneof(fc.stringMatching(/^[0-9A-Za-z_-]{1,40}$/), fc.string({ maxLength: 40 }), bigText),
      leadGenForm: fc.oneof(
        idish.map((id) => `urn:li:leadGenForm:${id}`),
        anyJson,
      ),
      leadType: fc.oneof(fc.constant('SPONSORED'), anyJson),
      owner: anyJson,
      associatedEntity: anyJson,
      occurredAt: fc.oneof(fc.integer(), fc.double(), anyJson),
    },
    { requiredKeys: ['leadAction'] },
  )
  .map(({ response, ...v }) => {
    const prefix = v.leadAction === 'DELETED' ? 'del-' : v.leadAction === 'CREATED' ? 'crt-' : '';
    return JSON.stringify({
      ...v,
      ...(response === undefined
        ? {}
        : { leadGenFormResponse: `urn:li:leadGenFormResponse:${prefix}${response}` }),
    });
  });
const tiktokContent = fc.oneof(
  fc
    .record(
      {
        lead_id: fc.oneof(fc.stringMatching(/^[0-9]{1,19}$/), idish, bigText),
        page_id: idish,
        campaign_id: idish,
        create_time: fc.oneof(fc.integer(), fc.double(), fc.string()),
        lead_data: fc.oneof(
          fc.record(
            {
              Email: fc.oneof(
                fc.stringMatching(/^[a-z][a-z0-9]{0,10}@[a-z]{2,10}\.(de|com|io)$/),
                fc.emailAddress(),
                anyJson,
              ),
              Name: fc.oneof(fc.string({ maxLength: 60 }), bigText),
              'Phone number': fc.string({ maxLength: 30 }),
              Country: fc.string({ maxLength: 10 }),
              'Anything else?': fc.oneof(fc.string({ maxLength: 60 }), bigText),
            },
            { requiredKeys: ['Email'] },
          ),
          anyJson,
        ),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 60 }),
  anyJson,
);
const tiktokBody = fc
  .record({ event: fc.oneof(fc.constant('lead.create'), anyJson), content: tiktokContent })
  .map((v) => JSON.stringify(v));

const webhookBody = (structured: fc.Arbitrary<string>) =>
  fc.oneof(
    { arbitrary: structured.map((s) => Buffer.from(s)), weight: 5 },
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    fc.string({ unit: 'binary', maxLength: 200 }).map((s) => Buffer.from(s)),
    anyJson.map((v) => Buffer.from(JSON.stringify(v))),
    // Around the 256 KB a webhook takes, and past the 1 MB the local server reads.
    fc
      .constantFrom(200_000, 262_144, 262_145, 300_000, 1_100_000)
      .chain((n) =>
        fc.constantFrom(Buffer.alloc(n, 'x'), Buffer.from(JSON.stringify({ entry: 'x'.repeat(n) }))),
      ),
  );

type Signature = 'valid' | 'none' | 'wrong-secret' | 'mangled' | 'upper' | 'alternate' | 'stale' | 'random';
const signature: fc.Arbitrary<{ kind: Signature; text: string; at: number }> = fc.record({
  kind: fc.oneof(
    { arbitrary: fc.constant('valid' as const), weight: 6 },
    fc.constantFrom(
      'none' as const,
      'wrong-secret' as const,
      'mangled' as const,
      'upper' as const,
      'alternate' as const,
      'stale' as const,
      'random' as const,
    ),
  ),
  text: headerValue,
  at: fc.nat(),
});

/** The signature header for a provider, over the exact bytes sent. */
function signatureHeaders(
  provider: 'meta' | 'google' | 'linkedin' | 'tiktok',
  body: Buffer,
  sig: { kind: Signature; text: string; at: number },
): Record<string, string> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const secret = sig.kind === 'wrong-secret' ? 'not-the-secret-0123456789' : undefined;
  if (provider === 'google' || sig.kind === 'none') return {};
  if (provider === 'meta') {
    const name = 'x-hub-signature-256';
    if (sig.kind === 'random') return { [name]: sig.text };
    const hex = hmacHex(secret ?? META_SECRET, body);
    if (sig.kind === 'upper') return { [name]: `sha256=${hex.toUpperCase()}` };
    if (sig.kind === 'mangled') return { [name]: `sha256=${flip(hex, sig.at)}` };
    if (sig.kind === 'alternate') return { [name]: hex };
    return { [name]: `sha256=${hex}` };
  }
  if (provider === 'linkedin') {
    const name = 'x-li-signature';
    if (sig.kind === 'random') return { [name]: sig.text };
    const hex = hmacHex(secret ?? LINKEDIN_SECRET, body);
    if (sig.kind === 'upper') return { [name]: `HMACSHA256=${hex.toUpperCase()}` };
    if (sig.kind === 'mangled') return { [name]: flip(hex, sig.at) };
    if (sig.kind === 'alternate')
      return { [name]: hmacHex(LINKEDIN_SECRET, Buffer.concat([Buffer.from('hmacsha256='), body])) };
    return { [name]: sig.at % 2 === 0 ? hex : `hmacsha256=${hex}` };
  }
  const name = 'tiktok-signature';
  if (sig.kind === 'random') return { [name]: sig.text };
  const t = sig.kind === 'stale' ? nowSeconds - 301 - (sig.at % 100_000) : nowSeconds;
  const hex = hmacHex(secret ?? TIKTOK_SECRET, Buffer.concat([Buffer.from(`${t}.`), body]));
  if (sig.kind === 'mangled') return { [name]: `t=${t},s=${flip(hex, sig.at)}` };
  if (sig.kind === 'alternate') return { [name]: `s=${flip(hex, sig.at)},t=${t},s=${hex}` };
  return { [name]: `t=${t},s=${sig.kind === 'upper' ? hex.toUpperCase() : hex}` };
}

const webhookPost = fc.oneof(
  fc.record({ provider: fc.constant('meta' as const), body: webhookBody(metaBody) }),
  fc.record({ provider: fc.constant('google' as const), body: webhookBody(googleBody) }),
  fc.record({ provider: fc.constant('linkedin' as const), body: webhookBody(linkedinBody) }),
  fc.record({ provider: fc.constant('tiktok' as const), body: webhookBody(tiktokBody) }),
);

describe('ad-platform webhooks under arbitrary input', () => {
  it('GET /v1/webhooks/meta and /linkedin with random query parameters never 5xx nor write', async () => {
    const metaQuery = fc
      .record(
        {
          'hub.mode': fc.oneof(fc.constant('subscribe'), fc.string({ maxLength: 12 })),
          'hub.verify_token': fc.oneof(
            { arbitrary: fc.constant(META_VERIFY), weight: 2 },
            fc.string({ unit: 'binary', maxLength: 40 }),
          ),
          'hub.challenge': fc.oneof(
            fc.string({ unit: 'binary', maxLength: 40 }),
            fc.constant('<script>x</script>'),
            fc.constant('y'.repeat(4000)),
          ),
        },
        { requiredKeys: [] },
      )
      .map((q) => new URLSearchParams(q).toString());
    const linkedinQuery = fc
      .record(
        {
          challengeCode: fc.oneof(
            fc.uuid(),
            fc.string({ unit: 'binary', maxLength: 60 }),
            fc.uuid().map((u) => `${u}x`),
          ),
        },
        { requiredKeys: [] },
      )
      .map((q) => new URLSearchParams(q).toString());
    const seen = tally();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.tuple(fc.constant('meta'), fc.oneof(metaQuery, anyQuery)),
          fc.tuple(fc.constant('linkedin'), fc.oneof(linkedinQuery, anyQuery)),
        ),
        fc.option(rawQuery, { freq: 4, nil: undefined }),
        extraHeaders,
        async ([provider, query], extraQuery, extra) => {
          const req: Req = {
            method: 'GET',
            path: withQuery(`/v1/webhooks/${provider}`, [query, extraQuery].filter(Boolean).join('&')),
            headers: extra,
          };
          const before = await snapshot();
          const res = await exchange(req);
          seen.add(res.status);
          // A subscription check stores nothing, whatever it answers.
          expect(await snapshot()).toBe(before);
          if (res.status === 200 && provider === 'meta') expect(res.type).toMatch(/^text\/plain/);
          if (res.status === 200 && provider === 'linkedin')
            expect(JSON.parse(res.text)).toEqual({
              challengeCode: expect.any(String),
              challengeResponse: expect.stringMatching(/^[0-9a-f]{64}$/),
            });
        },
      ),
      { numRuns: 100 },
    );
    expect(seen.statuses()).toEqual(expect.arrayContaining([200, 400, 403]));
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// Authenticated routes, with valid tokens
// ---------------------------------------------------------------------------------------------

const idText = fc.oneof(
  { arbitrary: leadIdArb, weight: 3 },
  fc.constantFrom(
    'seeded-view',
    'seeded-erasable',
    'ld_',
    'LD_0123456789ABCDEF01234567',
    '..',
    '%zz',
    '%E2%82',
    'ld_%30',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 1000, max: 5000 }).map((n) => 'a'.repeat(n)),
);
const emailText = fc.oneof(
  fc.constantFrom(
    'routes.view@initech.de',
    'Routes.View@Initech.DE',
    'routes.unsub+x@acme.io',
    'r.o.u.t.e.s.optin@acme.io',
    '@',
    'a@',
    '',
    `${'x'.repeat(3000)}@example.com`,
  ),
  fc.emailAddress(),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const authRoute = fc.oneof(
  fc.record({ route: fc.constant('get-lead' as const), id: idText, encode: fc.boolean() }),
  fc.record({ route: fc.constant('find-lead' as const), email: emailText, twice: fc.boolean() }),
  fc.record({ route: fc.constant('erase-lead' as const), id: idText, encode: fc.boolean() }),
  fc.record({ route: fc.constant('sales-queue' as const) }),
);

describe('authenticated routes with valid tokens under arbitrary input', () => {
  it('GET/DELETE /v1/admin/leads… (marketing) and GET /v1/sales/queue (sales): never 5xx, nothing written on 4xx', async () => {
    const seen = tally();
    await fc.assert(
      fc.asyncProperty(
        authRoute,
        fc.oneof(
          { arbitrary: fc.constant('valid'), weight: 8 },
          fc.constantFrom('other-role', 'junk', 'none'),
        ),
        fc.option(rawQuery, { freq: 3, nil: undefined }),
        extraHeaders,
        async (r, tokenKind, extraQuery, extra) => {
          let method = 'GET';
          let path: string;
          let role: 'marketing' | 'sales' = 'marketing';
          if (r.route === 'sales-queue') {
            role = 'sales';
            path = '/v1/sales/queue';
          } else if (r.route === 'find-lead') {
            const q = `email=${encodeURIComponent(r.email)}`;
            path = `/v1/admin/leads?${r.twice ? `${q}&${q}` : q}`;
          } else {
            const id =
              r.id === 'seeded-view'
                ? seeded.view
                : r.id === 'seeded-erasable'
                  ? (seeded.erasable[0] ?? 'ld_000000000000000000000000')
                  : r.id;
            const segment = r.encode ? encodeURIComponent(id) : id.replace(/[/?#\\\s]/g, '');
            path = `/v1/admin/leads/${segment}`;
            if (r.route === 'erase-lead') method = 'DELETE';
          }
          if (extraQuery) path += `${path.includes('?') ? '&' : '?'}${extraQuery}`;
          const token =
            tokenKind === 'valid'
              ? stack.tokens[role]
              : tokenKind === 'other-role'
                ? stack.tokens[role === 'sales' ? 'marketing' : 'ingest']
                : tokenKind === 'junk'
                  ? 'lf_marketing_not-a-real-token-at-all'
                  : undefined;
          const req: Req = {
            method,
            path,
            headers: headersOf(extra, { authorization: token ? `Bearer ${token}` : undefined }),
          };
          const res = await exchange(req);
          seen.add(res.status);
          if (res.status === 200 && r.route === 'erase-lead') seeded.erasable.shift();
          if (res.status === 200 && r.route === 'sales-queue')
            expect(JSON.parse(res.text)).toMatchObject({ pending: expect.any(Number) });
        },
      ),
      { numRuns: 240 },
    );
    expect(seen.statuses()).toEqual(expect.arrayContaining([200, 400, 404]));
  }, 60_000);
});

describe('webhook leads refused by the capture store nothing (found by the properties below)', () => {
  const deliveries = async () =>
    (JSON.parse(await snapshot()) as { entity?: string }[]).filter((i) => i.entity === 'delivery').length;
  const tiktok = (lead: Record<string, unknown>) =>
    Buffer.from(
      JSON.stringify({ event: 'lead.create', content: JSON.stringify({ lead_id: '7001', ...lead }) }),
    );

  it('Google: a lead with the right key but no email, or an invalid one, is a 400 and keeps no delivery', async () => {
    for (const body of [
      {
        google_key: GOOGLE_KEY,
        lead_id: 'g-no-mail',
        user_column_data: [{ column_id: 'FULL_NAME', string_value: 'No Mail' }],
      },
      {
        google_key: GOOGLE_KEY,
        lead_id: 'g-bad-mail',
        user_column_data: [{ column_id: 'EMAIL', string_value: 'not-an-email' }],
      },
    ]) {
      const before = await deliveries();
      const req: Req = {
        method: 'POST',
        path: '/v1/webhooks/google',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify(body)),
      };
      const res = await exchange(req);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text).error).toMatchObject({
        code: 'validation_failed',
        details: [{ path: 'email' }],
      });
      expect(await deliveries()).toBe(before);
    }
  });

  it('TikTok: a correctly signed lead with no email, or an invalid one, is a 400 and keeps no delivery', async () => {
    for (const body of [
      tiktok({ lead_data: { Name: 'No Mail' } }),
      tiktok({ lead_data: { Email: 'not-an-email' } }),
    ]) {
      const before = await deliveries();
      const req: Req = {
        method: 'POST',
        path: '/v1/webhooks/tiktok',
        headers: {
          'content-type': 'application/json',
          ...signatureHeaders('tiktok', body, { kind: 'valid', text: '', at: 0 }),
        },
        body,
      };
      const res = await exchange(req);
      expect(res.status).toBe(400);
      expect(await deliveries()).toBe(before);
    }
  });
});

// Last: the leadgen fetches it queues fail against the fake Graph API and retry in the background.
describe('ad-platform webhook deliveries under arbitrary input', () => {
  it('POST /v1/webhooks/{meta,google,linkedin,tiktok}: random, huge and correctly signed bodies never 5xx, nothing written on 4xx', async () => {
    const seen = tally();
    await fc.assert(
      fc.asyncProperty(
        webhookPost,
        signature,
        fc.oneof({ arbitrary: fc.constant('application/json'), weight: 3 }, contentType),
        extraHeaders,
        async ({ provider, body }, sig, type, extra) => {
          const req: Req = {
            method: 'POST',
            path: `/v1/webhooks/${provider}`,
            headers: {
              ...extra,
              ...signatureHeaders(provider, body, sig),
              ...(type ? { 'content-type': type } : {}),
            },
            body,
          };
          if (sig.kind === 'none') {
            delete req.headers['x-hub-signature-256'];
            delete req.headers['x-li-signature'];
            delete req.headers['tiktok-signature'];
          }
          const res = await exchange(req);
          seen.add(res.status);
          if (res.status === 200) expect(JSON.parse(res.text)).toMatchObject({ received: true });
        },
      ),
      { numRuns: 240 },
    );
    expect(seen.statuses()).toEqual(expect.arrayContaining([200, 400, 401, 403, 413]));
  }, 60_000);
});
