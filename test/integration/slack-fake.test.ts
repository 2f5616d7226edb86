import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpSlackApi } from '../../functions/adapters/http/slack-client';
import { SlackDestination } from '../../functions/core/integrations/slack/slack-destination';
import { startFakeSlack } from '../../functions/local/fakes/slack-api';
import { eventOf, hotLead } from '../fixtures/integration-leads';

const settings = {
  channels: { sales: 'CSALES', managers: 'CMGR' },
  users: { ravi: 'URAVI' },
  publicUrl: 'http://127.0.0.1:3000',
};
let fake: Awaited<ReturnType<typeof startFakeSlack>>;

beforeAll(async () => {
  fake = await startFakeSlack({
    botToken: 'xoxb-test',
    channels: ['CSALES', 'CMGR', 'URAVI'],
    webhooks: ['T1-B1-sales'],
  });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.posted.length = 0;
  fake.requests.length = 0;
});

const bot = (token = 'xoxb-test', timeoutMs = 2000) =>
  new SlackDestination(
    new HttpSlackApi('bot', async () => ({ botToken: token }), `${fake.url}/api`, timeoutMs),
    settings,
  );

describe('Slack over the wire (the fake checks requests as Slack documents them)', () => {
  it('posts the hot-lead card with a Bearer token and JSON, and the fake accepts its blocks', async () => {
    const result = await bot().deliver(eventOf('lead.hot'), hotLead(), 1);
    expect(result).toMatchObject({ kind: 'delivered', status: 200 });
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer xoxb-test');
    expect(fake.requests[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(fake.posted).toHaveLength(1);
    expect(fake.posted[0]).toMatchObject({ channel: 'CSALES', via: 'bot' });
  });

  it('a wrong token is invalid_auth: rejected, not retried', async () => {
    expect(await bot('xoxb-wrong').deliver(eventOf('lead.hot'), hotLead(), 1)).toMatchObject({
      kind: 'rejected',
      reason: 'slack: invalid_auth',
    });
  });

  it('an unknown channel is channel_not_found: rejected', async () => {
    const slack = new SlackDestination(
      new HttpSlackApi('bot', async () => ({ botToken: 'xoxb-test' }), `${fake.url}/api`),
      {
        ...settings,
        channels: { sales: 'CGONE' },
      },
    );
    expect(await slack.deliver(eventOf('lead.hot'), hotLead(), 1)).toMatchObject({
      kind: 'rejected',
      reason: 'slack: channel_not_found',
    });
  });

  it('429 with Retry-After is a retry after that many seconds; ok:false ratelimited is a retry', async () => {
    fake.script(
      { status: 429, headers: { 'retry-after': '12' } },
      { status: 200, body: { ok: false, error: 'ratelimited' } },
    );
    expect(await bot().deliver(eventOf('lead.hot'), hotLead(), 1)).toMatchObject({
      kind: 'retry',
      status: 429,
      retryAfterSeconds: 12,
    });
    expect(await bot().deliver(eventOf('lead.hot'), hotLead(), 2)).toMatchObject({
      kind: 'retry',
      reason: 'slack: ratelimited',
    });
    expect(fake.posted).toHaveLength(0);
  });

  it('a 5xx is a retry', async () => {
    fake.script({ status: 503, body: 'upstream down' });
    expect(await bot().deliver(eventOf('lead.hot'), hotLead(), 1)).toMatchObject({
      kind: 'retry',
      status: 503,
    });
  });

  it('a Slack slower than the timeout is a retry; a slow one within it is delivered', async () => {
    fake.script({ delayMs: 400 });
    expect(await bot('xoxb-test', 150).deliver(eventOf('lead.hot'), hotLead(), 1)).toMatchObject({
      kind: 'retry',
      reason: expect.stringContaining('timeout'),
    });
    fake.script({ delayMs: 100 });
    const slow = await bot('xoxb-test', 2000).deliver(eventOf('lead.hot'), hotLead(), 1);
    expect(slow).toMatchObject({ kind: 'delivered' });
    expect(slow.latencyMs).toBeGreaterThanOrEqual(90);
  });

  it('an unreachable Slack is a retry (network)', async () => {
    const down = new SlackDestination(
      new HttpSlackApi('bot', async () => ({ botToken: 't' }), 'http://127.0.0.1:9/api', 500),
      settings,
    );
    expect(await down.deliver(eventOf('lead.hot'), hotLead(), 1)).toMatchObject({
      kind: 'retry',
      reason: expect.stringContaining('slack network'),
    });
  });

  it('DMs the rep who owns a lead that is back', async () => {
    const lead = hotLead({ owner: { rep: 'ravi', repName: 'Ravi', since: '', handoff: 1 } });
    expect(await bot().deliver(eventOf('lead.activity'), lead, 1)).toMatchObject({ kind: 'delivered' });
    expect(fake.posted[0]?.channel).toBe('URAVI');
  });

  it('posts through an incoming webhook (no channel in the body); an unknown webhook is rejected', async () => {
    const hook = (path: string) =>
      new SlackDestination(
        new HttpSlackApi('webhook', async () => ({ webhookUrl: `${fake.url}/services/${path}` })),
        settings,
      );
    expect(await hook('T1-B1-sales').deliver(eventOf('lead.hot'), hotLead(), 1)).toMatchObject({
      kind: 'delivered',
      status: 200,
    });
    expect(fake.posted[0]).toMatchObject({ via: 'webhook' });
    expect(fake.requests[0]?.body).not.toHaveProperty('channel');
    expect(await hook('T1-B1-gone').deliver(eventOf('lead.hot'), hotLead(), 1)).toMatchObject({
      kind: 'rejected',
      status: 404,
      excerpt: 'no_service',
    });
  });

  it('the fake refuses a message over Block Kit limits, as Slack does', async () => {
    const res = await fetch(`${fake.url}/api/chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-test', 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'CSALES',
        text: 't',
        blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }],
      }),
    });
    expect(await res.json()).toEqual({ ok: false, error: 'invalid_blocks' });
  });
});
