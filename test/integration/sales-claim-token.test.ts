import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DynamoTokenStore } from '../../functions/adapters/dynamodb/token-store';
import { signConfirmationToken } from '../../functions/core/consent/confirmation-token';
import { signUnsubscribeToken } from '../../functions/core/consent/unsubscribe-token';
import { SALES_OUTCOMES } from '../../functions/core/leads/lead';
import type { LocalStack } from '../../functions/local/stack';
import { dynamo } from '../../functions/shared/aws/dynamodb';
import { sqs } from '../../functions/shared/aws/sqs';
import { api, hotDemoRequest, type Json, startTestStack, tableItems } from '../fixtures/local-api';

/**
 * Claim tokens are short, signed and checked before anything is written (security finding 5), and
 * no input to the sales routes or the scoring backtest answers 5xx or writes on a 4xx (finding 6):
 * on the whole local stack, with valid bearer tokens and valid claim tokens to start from.
 */
let stack: LocalStack;
let http: ReturnType<typeof api>;
let rep: string;
let other: string;
let shipped: Record<string, unknown>;
let seq = 0;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  delete process.env.LEADFLOW_CLAIM_WINDOW_SECONDS;
  // No tick during the tests: "nothing written" compares the whole table before and after a call.
  stack = await startTestStack({
    tickSeconds: 3600,
    rateLimits: { perIpPerMinute: 10_000, perEmailPerMinute: 100 },
  });
  http = api(stack);
  const tokens = new DynamoTokenStore(dynamo, stack.tableName);
  rep = await tokens.create('sales', 'rep token');
  other = await tokens.create('sales', 'rep other');
  shipped = parse(await readFile(resolve('config/scoring.yaml'), 'utf8'));
}, 30_000);
afterAll(async () => stack?.stop());

const claim = (token = rep) => http.post('/v1/sales/claims', {}, token);
const outcome = (leadId: string, body: Json, token = rep) =>
  http.post(`/v1/sales/leads/${encodeURIComponent(leadId)}/outcome`, body, token);
const extend = (claimToken: string, token = rep) =>
  http.post(`/v1/sales/claims/${encodeURIComponent(claimToken)}/extend`, {}, token);
const release = (claimToken: string, token = rep) =>
  http.post(`/v1/sales/claims/${encodeURIComponent(claimToken)}/release`, {}, token);

/** A fresh hot lead, claimed by `rep`. */
async function claimed(): Promise<Json> {
  seq += 1;
  expect((await http.submit('demo-request', hotDemoRequest(`token${seq}@initech.de`))).status).toBe(202);
  const card = await claim();
  expect(card.status).toBe(200);
  return card.json;
}

/** Everything a call could change: every item of the table and the queue's counts. */
async function snapshot() {
  const items = await tableItems(stack);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: stack.queues['hot-leads'],
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return { items, queue: Attributes };
}

/** The token format before this fix: base64url JSON with the SQS receipt handle, unsigned. */
const legacy = (token: Record<string, unknown>) => Buffer.from(JSON.stringify(token)).toString('base64url');
const claimIdOf = (claimToken: string) => claimToken.split('.')[2] as string;
const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);

describe('sales claim tokens', () => {
  it('gives a claim token short enough to type (48 characters or fewer) that extends, contacts and closes', async () => {
    const card = await claimed();
    expect(card.claimToken.length).toBeLessThanOrEqual(48);
    expect(card.claimToken).toMatch(/^c_[A-Za-z0-9_.-]+$/);
    expect((await extend(card.claimToken)).status).toBe(200);
    expect((await outcome(card.leadId, { claimToken: card.claimToken, outcome: 'contacted' })).status).toBe(
      200,
    );
    const done = await outcome(card.leadId, { claimToken: card.claimToken, outcome: 'won' });
    expect(done.json).toMatchObject({ stage: 'customer', claimOpen: false });
    // The message went with the outcome: nothing is left on the queue for this lead.
    expect((await claim()).status).toBe(204);
  });

  it('refuses a token forged from the lead view (old unsigned format, receipt replaced) with 400 before recording anything', async () => {
    const card = await claimed();
    const view = (await http.get(`/v1/admin/leads/${card.leadId}`, stack.tokens.marketing)).json;
    const forged = legacy({
      l: card.leadId,
      n: view.handoff.number,
      c: view.handoff.claim.nonce,
      r: 'tampered',
    });
    const before = await snapshot();
    for (const res of [
      await outcome(card.leadId, { claimToken: forged, outcome: 'won' }),
      await extend(forged),
      await release(forged),
    ]) {
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({
        code: 'invalid_claim_token',
        details: [{ path: 'claimToken', message: expect.any(String) }],
      });
    }
    expect(await snapshot()).toEqual(before);
    await outcome(card.leadId, { claimToken: card.claimToken, outcome: 'won' });
  });

  it('refuses a valid token with any character changed (400 invalid_claim_token), and writes nothing', async () => {
    const card = await claimed();
    const before = await snapshot();
    for (const i of [2, 10, 17, 21, 30, card.claimToken.length - 1]) {
      const tampered = flip(card.claimToken, i);
      expect((await outcome(card.leadId, { claimToken: tampered, outcome: 'won' })).json.error.code).toBe(
        'invalid_claim_token',
      );
      expect((await extend(tampered)).status).toBe(400);
      expect((await release(tampered)).status).toBe(400);
    }
    expect(await snapshot()).toEqual(before);
    expect((await outcome(card.leadId, { claimToken: card.claimToken, outcome: 'won' })).status).toBe(200);
  });

  it('answers 400, never 500, to a token with n: 1e308 or a 2 KB field, and writes nothing', async () => {
    const card = await claimed();
    const c = claimIdOf(card.claimToken);
    const before = await snapshot();
    const bad = [
      legacy({ l: card.leadId, n: 1e308, c, r: 'x' }),
      legacy({ l: 'x'.repeat(2048), n: 1, c, r: 'x' }),
      legacy({ l: card.leadId, n: 1, c: 'x'.repeat(2048), r: 'x' }),
      legacy({ l: card.leadId, n: 1, c, r: 'x'.repeat(2048) }),
    ];
    for (const token of bad) {
      expect((await extend(token)).status, token.slice(0, 30)).toBe(400);
      expect((await release(token)).status).toBe(400);
      expect((await outcome(card.leadId, { claimToken: token, outcome: 'won' })).status).toBe(400);
    }
    expect(await snapshot()).toEqual(before);
    await outcome(card.leadId, { claimToken: card.claimToken, outcome: 'won' });
  });

  it('never takes an unsubscribe or confirmation token (same signing key) as a claim token, nor a claim token as an unsubscribe link', async () => {
    const card = await claimed();
    const key = process.env.LEADFLOW_UNSUBSCRIBE_KEY as string;
    const now = new Date();
    const before = await snapshot();
    for (const token of [
      signUnsubscribeToken(card.leadId, key, now),
      signConfirmationToken({ leadId: card.leadId, formId: 'newsletter-eu' }, key, now, 7),
    ]) {
      expect((await extend(token)).json.error.code).toBe('invalid_claim_token');
      expect((await outcome(card.leadId, { claimToken: token, outcome: 'won' })).status).toBe(400);
    }
    const unsubscribe = await fetch(
      `${stack.apiUrl}/v1/unsubscribe?t=${encodeURIComponent(card.claimToken)}`,
      { method: 'POST', headers: { accept: 'application/json' } },
    );
    expect(unsubscribe.status).toBe(400);
    expect(await snapshot()).toEqual(before);
    await outcome(card.leadId, { claimToken: card.claimToken, outcome: 'won' });
  });

  it('keeps a valid token of another rep, or for another lead, a 409 claim_not_held that writes nothing', async () => {
    const card = await claimed();
    const before = await snapshot();
    expect((await extend(card.claimToken, other)).json.error.code).toBe('claim_not_held');
    expect((await outcome(card.leadId, { claimToken: card.claimToken, outcome: 'won' }, other)).status).toBe(
      409,
    );
    expect(
      (await outcome('ld_000000000000000000000000', { claimToken: card.claimToken, outcome: 'won' })).status,
    ).toBe(409);
    expect(await snapshot()).toEqual(before);
    expect((await release(card.claimToken)).status).toBe(200);
    expect((await release(card.claimToken)).status).toBe(409);
    const again = await claim(other);
    expect(again.json.leadId).toBe(card.leadId);
    await outcome(card.leadId, { claimToken: again.json.claimToken, outcome: 'won' }, other);
  });
});

describe('bad input to the sales routes and the scoring backtest', () => {
  /** The claim `rep` holds now (a new one once a call released or closed it). */
  let current: Json | undefined;

  it('answers 400 with details path cursor to a backtest cursor that is not one of ours, and pages with real ones', async () => {
    const model = { ...shipped, thresholds: { mql: 5, hot: 5 } };
    for (const cursor of [
      'garbage!!',
      Buffer.from('[1,2]').toString('base64url'),
      Buffer.from('{"pk":""}').toString('base64url'),
      Buffer.from('{"pk":1,"sk":"LEAD"}').toString('base64url'),
      Buffer.from(JSON.stringify({ pk: 'x'.repeat(3000), sk: 'LEAD' })).toString('base64url'),
      'e30',
    ]) {
      const res = await http.post('/v1/admin/scoring/backtest', { model, cursor }, stack.tokens.marketing);
      expect(res.status, cursor.slice(0, 30)).toBe(400);
      expect(res.json.error.details).toEqual([{ path: 'cursor', message: expect.any(String) }]);
    }
    // Two leads of its own, so the pages exist whichever tests ran before.
    for (const n of [1, 2]) {
      const email = `backtest${n}@initech.de`;
      expect((await http.submit('demo-request', hotDemoRequest(email))).status).toBe(202);
    }
    const first = await http.post('/v1/admin/scoring/backtest', { model, limit: 1 }, stack.tokens.marketing);
    expect(first.status).toBe(200);
    expect(first.json.cursor).toEqual(expect.any(String));
    const next = await http.post(
      '/v1/admin/scoring/backtest',
      { model, limit: 1, cursor: first.json.cursor },
      stack.tokens.marketing,
    );
    expect(next.status).toBe(200);
    expect(next.json.cursor).not.toBe(first.json.cursor);
  });

  it('never answers 5xx to the sales routes, and writes nothing when it answers 4xx', async () => {
    const key = () => process.env.LEADFLOW_UNSUBSCRIBE_KEY as string;
    const tokenVariant = fc.oneof(
      { arbitrary: fc.constant({ kind: 'valid' as const }), weight: 4 },
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('append' as const), text: fc.string({ maxLength: 20 }) }),
      {
        arbitrary: fc.record({
          kind: fc.constant('legacy' as const),
          n: fc.constantFrom(1, 1e308, -1, 0.5, Number.MAX_SAFE_INTEGER),
          field: fc.constantFrom('l', 'c', 'r', undefined),
        }),
        weight: 3,
      },
      fc.constantFrom(
        { kind: 'unsubscribe' as const },
        { kind: 'confirm' as const },
        { kind: 'huge' as const },
        { kind: 'other-rep' as const },
      ),
      fc.record({ kind: fc.constant('text' as const), text: fc.string({ maxLength: 300 }) }),
    );
    type Variant = typeof tokenVariant extends fc.Arbitrary<infer T> ? T : never;
    const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 2100 }));
    const request = fc.oneof(
      fc.record({ route: fc.constant('extend' as const), token: tokenVariant }),
      fc.record({ route: fc.constant('release' as const), token: tokenVariant }),
      fc.record({
        route: fc.constant('outcome' as const),
        token: tokenVariant,
        leadId: fc.oneof(
          { arbitrary: fc.constant('current'), weight: 4 },
          fc.constantFrom('ld_000000000000000000000000', '', '..', 'ld_zz'),
          fc.string({ maxLength: 2100 }),
        ),
        outcome: fc.oneof({ arbitrary: fc.constantFrom(...SALES_OUTCOMES), weight: 4 }, value),
        note: fc.option(value, { nil: undefined }),
        reason: fc.option(value, { nil: undefined }),
        raw: fc.option(
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 200 }),
            fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
          ),
          { freq: 5, nil: undefined },
        ),
      }),
      fc.constantFrom({ route: 'claims' as const }, { route: 'queue' as const }),
    );

    type Request = typeof request extends fc.Arbitrary<infer R> ? R : never;

    function tokenFor(variant: Variant, card: Json): string {
      const valid = card.claimToken as string;
      switch (variant.kind) {
        case 'valid':
        case 'other-rep':
          return valid;
        case 'flip':
          return flip(valid, variant.at % valid.length);
        case 'cut':
          return valid.slice(0, variant.at % valid.length);
        case 'append':
          return valid + variant.text;
        case 'legacy': {
          const token: Record<string, unknown> = {
            l: card.leadId,
            n: variant.n,
            c: claimIdOf(valid),
            r: 'r',
          };
          if (variant.field) token[variant.field] = 'x'.repeat(2048);
          return legacy(token);
        }
        case 'unsubscribe':
          return signUnsubscribeToken(card.leadId, key(), new Date());
        case 'confirm':
          return signConfirmationToken(
            { leadId: card.leadId, formId: 'newsletter-eu' },
            key(),
            new Date(),
            7,
          );
        case 'huge':
          return 'c_'.padEnd(2048, 'A');
        case 'text':
          return variant.text;
      }
    }

    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        current ??= await claimed();
        const card = current;
        const bearer = 'token' in req && req.token.kind === 'other-rep' ? other : rep;
        const before = await snapshot();
        let res: { status: number; json: Json };
        if (req.route === 'claims') res = await claim();
        else if (req.route === 'queue') res = await http.get('/v1/sales/queue', rep);
        else if (req.route === 'extend') res = await extend(tokenFor(req.token, card), bearer);
        else if (req.route === 'release') res = await release(tokenFor(req.token, card), bearer);
        else {
          const leadId = req.leadId === 'current' ? card.leadId : req.leadId;
          const body = {
            claimToken: tokenFor(req.token, card),
            outcome: req.outcome,
            ...(req.note === undefined ? {} : { note: req.note }),
            ...(req.reason === undefined ? {} : { reason: req.reason }),
          };
          const path = `/v1/sales/leads/${encodeURIComponent(leadId)}/outcome`;
          res =
            req.raw === undefined
              ? await http.post(path, body, bearer)
              : await rawPost(path, req.raw, bearer);
        }
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.json.error.code).toMatch(/^[a-z_]+$/);
          expect(res.json.error.details).toEqual(expect.any(Array));
          expect(await snapshot()).toEqual(before);
        } else if (req.route === 'claims' && res.status === 200) {
          current = res.json;
        } else if (req.route === 'release' || (req.route === 'outcome' && res.json.claimOpen === false)) {
          current = undefined;
        }
      }),
      {
        numRuns: 200,
        // Run first, whatever the seed: the property always reaches a success, a refusal of the
        // body and a claim that is not held (random runs alone missed 409 once in 200).
        examples: [
          [{ route: 'extend', token: { kind: 'valid' } }],
          [{ route: 'extend', token: { kind: 'other-rep' } }],
          [{ route: 'release', token: { kind: 'other-rep' } }],
          [
            {
              route: 'outcome',
              token: { kind: 'valid' },
              leadId: 'current',
              outcome: 42,
              note: undefined,
              reason: undefined,
              raw: undefined,
            },
          ],
          [
            {
              route: 'outcome',
              token: { kind: 'valid' },
              leadId: 'ld_000000000000000000000000',
              outcome: 'contacted',
              note: undefined,
              reason: undefined,
              raw: undefined,
            },
          ],
        ] as [Request][],
      },
    );
    // The property reached the paths that write, not only the refusals.
    expect([...seen.keys()]).toEqual(expect.arrayContaining([200, 400, 409]));
  }, 300_000);

  it('never answers 5xx to a backtest, and writes nothing', async () => {
    const real = await http.post(
      '/v1/admin/scoring/backtest',
      { model: shipped, limit: 1 },
      stack.tokens.marketing,
    );
    const cursors = fc.oneof(
      fc.constant(real.json.cursor as string),
      fc.constant('garbage!!'),
      fc.string({ maxLength: 300 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
      fc
        .record(
          { pk: fc.string({ maxLength: 1100 }), sk: fc.string({ maxLength: 1100 }) },
          { requiredKeys: [] },
        )
        .map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
      fc.constantFrom(null, 1, [], {}),
    );
    const body = fc.oneof(
      {
        arbitrary: fc.record(
          {
            model: fc.oneof(fc.constant(shipped), fc.jsonValue({ maxDepth: 2 })),
            cursor: cursors,
            limit: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom(0, 201, 1.5, 1e308, '2', null)),
          },
          { requiredKeys: ['model'] },
        ),
        weight: 4,
      },
      fc.jsonValue({ maxDepth: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const before = await snapshot();
        const res = await http.post('/v1/admin/scoring/backtest', b, stack.tokens.marketing);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(res.json.error.code).toMatch(/^[a-z_]+$/);
        expect(await snapshot()).toEqual(before);
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});

async function rawPost(path: string, raw: string, token: string) {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: raw,
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as Json };
}
