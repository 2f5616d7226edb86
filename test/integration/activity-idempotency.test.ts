import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLeadStore } from '../../functions/adapters/dynamodb/lead-store';
import { leadIdFor } from '../../functions/core/kernel/email';
import { ingestActivities } from '../../functions/core/leads/ingest-activities';
import type { Activity } from '../../functions/core/leads/lead';
import { publishShippedConfig } from '../fixtures/config';
import { type EmulatorEnv, emulatorEnv } from '../fixtures/emulators';
import { httpEvent, invoke, submission } from '../fixtures/http-events';

let env: EmulatorEnv;
let activities: Parameters<typeof invoke>[0];
let form: Parameters<typeof invoke>[0];
let token = '';
// The caller's name is part of an activity id: the ingest token's name.
const CALLER = 'test ingest';

beforeAll(async () => {
  env = await emulatorEnv({ LEADFLOW_RATE_LIMIT_PER_EMAIL_PER_MIN: '50' });
  await publishShippedConfig(env);
  token = await env.token('ingest');
  ({ handler: activities } = await import('../../functions/handlers/activities'));
  ({ handler: form } = await import('../../functions/handlers/form-submission'));
});
afterAll(async () => env?.stop());

const post = (body: unknown) =>
  invoke(
    activities,
    httpEvent({
      routeKey: 'POST /v1/activities',
      path: '/v1/activities',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );

const partition = async (email: string) =>
  (await env.items()).filter((i) => i.pk === `LEAD#${leadIdFor(email)}`);
const leadItem = async (email: string) => (await partition(email)).find((i) => i.sk === 'LEAD');
const timeline = async (email: string) => (await partition(email)).filter((i) => i.entity === 'activity');

let refusals = 0;

function nested(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

describe('POST /v1/activities refuses what DynamoDB cannot store, before any write', () => {
  it.each([
    ['a number below DynamoDB’s smallest magnitude', '{"c":1e-200}', 'properties.c'],
    ['a number past what DynamoDB and the SDK store', '{"c":1e308}', 'properties.c'],
    ['a number JSON turns into Infinity', '{"c":1e400}', 'properties.c'],
    ['3,000 levels of nesting', nested(3000), 'properties.a.a.a.a.a'],
    ['a nested __proto__ key', '{"n":{"__proto__":{"b":1}}}', 'properties.n.__proto__'],
    ['a top-level __proto__ key', '{"__proto__":{"b":1}}', 'properties.__proto__'],
    [
      'an own constructor key (the SDK takes the object for a class)',
      '{"m":{"constructor":"x"}}',
      'properties.m.constructor',
    ],
    ['a string over 2,000 characters', JSON.stringify({ s: 'x'.repeat(2001) }), 'properties.s'],
    ['a lone surrogate', '{"s":"\\ud800"}', 'properties.s'],
    [
      'more than 200 keys and items',
      JSON.stringify({ list: Array.from({ length: 201 }, (_, i) => i) }),
      'properties',
    ],
    [
      'over 8 KB of JSON',
      JSON.stringify({
        a: 'x'.repeat(1900),
        b: 'x'.repeat(1900),
        c: 'x'.repeat(1900),
        d: 'x'.repeat(1900),
        e: 'x'.repeat(1900),
      }),
      'properties',
    ],
  ])(
    '%s: 400 naming the path, nothing stored; the same key then stores the valid event',
    async (_name, properties, path) => {
      refusals += 1;
      const email = `refused-${refusals}@acme.io`;
      const before = (await env.items()).length;
      const res = await post(
        `{"email":"${email}","type":"trial_started","createLead":true,"idempotencyKey":"k1","properties":${properties}}`,
      );
      expect(res.status).toBe(400);
      expect(res.json).toEqual({
        error: {
          code: 'validation_failed',
          message: expect.any(String),
          details: [{ path, message: expect.any(String) }],
        },
      });
      expect((await env.items()).length).toBe(before);

      const retry = await post({
        email,
        type: 'trial_started',
        createLead: true,
        idempotencyKey: 'k1',
        properties: { plan: 'pro' },
      });
      expect(retry.status).toBe(202);
      expect(retry.json.status).toBe('accepted');
      expect((await timeline(email)).map((a) => a.properties)).toEqual([{ plan: 'pro' }]);
    },
  );

  it('refuses a whole batch when one event is bad, with the event’s index in the path', async () => {
    const before = (await env.items()).length;
    const res = await post({
      activities: [
        { email: 'batch-ok@acme.io', type: 'page_viewed', createLead: true, properties: { path: '/a' } },
        { email: 'batch-bad@acme.io', type: 'page_viewed', createLead: true, properties: { n: 1e-131 } },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.json.error.details).toEqual([
      { path: 'activities.1.properties.n', message: expect.any(String) },
    ]);
    expect((await env.items()).length).toBe(before);
  });

  it('accepts the edges DynamoDB does store, and keeps them as sent', async () => {
    const properties = {
      tiny: 1e-130,
      big: Number.MAX_SAFE_INTEGER,
      neg: -0.5,
      zero: 0,
      deep: JSON.parse(nested(4)),
    };
    const res = await post({ email: 'edges@acme.io', type: 'trial_started', createLead: true, properties });
    expect(res.status).toBe(202);
    expect((await timeline('edges@acme.io'))[0]?.properties).toEqual(properties);
  });
});

describe('an activity’s idempotency holds whatever follows it', () => {
  it('a retry after a crash between the lead write and the timeline put stores the first content, counted once', async () => {
    const email = 'crashed@acme.io';
    // The real store on the emulator; its timeline put dies once, after the lead write.
    const leads = new DynamoLeadStore(env.db, process.env.LEADFLOW_TABLE_NAME ?? '');
    const { recordingWithHandoffByTick } = await import('../../functions/shared/wiring/leads');
    const deps = { ...recordingWithHandoffByTick(), leads };
    leads.putActivity = async () => {
      throw new Error('process died before the timeline put');
    };
    const first = {
      email,
      type: 'trial_started',
      createLead: true,
      idempotencyKey: 'trial-1',
      properties: { plan: 'pro' },
    };
    await expect(ingestActivities(deps, [first], CALLER)).rejects.toThrow(/process died/);
    const scored = await leadItem(email);
    expect(scored?.score).toMatchObject({ engagement: 30 });
    expect(await timeline(email)).toEqual([]);

    // The client retries with the same key but other properties.
    const retry = await post({ ...first, properties: { plan: 'free', injected: true } });
    expect(retry.status).toBe(202);
    expect(retry.json.status).toBe('duplicate');
    const [stored] = (await timeline(email)) as unknown as Activity[];
    expect(stored?.properties).toEqual({ plan: 'pro' });
    expect(stored?.effect?.score).toMatchObject({
      from: null,
      to: (scored?.score as { total: number } | undefined)?.total,
    });
    expect((await leadItem(email))?.version).toBe(scored?.version);
    expect((await leadItem(email))?.score).toEqual(scored?.score);

    const again = await post({ ...first, properties: { plan: 'enterprise' } });
    expect(again.json.status).toBe('duplicate');
    expect((await timeline(email)).map((a) => a.properties)).toEqual([{ plan: 'pro' }]);
  });

  it('an activity key replayed after 60 later activities is a duplicate and changes nothing', async () => {
    const email = 'busy-reader@acme.io';
    const first = {
      email,
      type: 'trial_started',
      createLead: true,
      idempotencyKey: 'trial-x',
      properties: { plan: 'pro' },
    };
    expect((await post(first)).json.status).toBe('accepted');
    for (let i = 0; i < 60; i += 1) {
      const res = await post({
        email,
        type: 'page_viewed',
        idempotencyKey: `pv-${i}`,
        properties: { path: '/blog' },
      });
      expect(res.status).toBe(202);
    }
    const before = await leadItem(email);
    expect((before?.aggregate as { applied: string[] } | undefined)?.applied).toHaveLength(50);

    const replay = await post({ ...first, properties: { plan: 'free' } });
    expect(replay.status).toBe(202);
    expect(replay.json.status).toBe('duplicate');
    expect(await leadItem(email)).toEqual(before);
    const trials = (await timeline(email)).filter((a) => a.type === 'trial_started');
    expect(trials.map((a) => a.properties)).toEqual([{ plan: 'pro' }]);
  });

  it('a form Idempotency-Key replayed after 55 later activities neither overwrites the profile nor counts the form twice', async () => {
    const person = {
      email: 'returning@initech.de',
      firstName: 'Vera',
      lastName: 'Lind',
      company: 'Initech GmbH',
      jobTitle: 'Analyst',
      country: 'DE',
    };
    const headers = { origin: 'https://example.com', 'idempotency-key': 'demo-1' };
    expect((await invoke(form, submission('demo-request', person, headers))).status).toBe(202);
    for (let i = 0; i < 55; i += 1) {
      const res = await post({ email: person.email, type: 'page_viewed', idempotencyKey: `read-${i}` });
      expect(res.status).toBe(202);
    }
    const before = await leadItem(person.email);

    const replay = await invoke(
      form,
      submission('demo-request', { ...person, firstName: 'Mallory', jobTitle: 'VP Sales' }, headers),
    );
    expect(replay.status).toBe(202);
    expect(await leadItem(person.email)).toEqual(before);
    expect((before?.profile as Record<string, { value: string }> | undefined)?.firstName?.value).toBe('Vera');
    const forms = (await timeline(person.email)).filter((a) => a.type === 'form_submitted');
    expect(forms).toHaveLength(1);
  });
});
