import { describe, expect, it } from 'vitest';
import {
  clip,
  SLACK_LIMITS,
  type SlackMessage,
  withinLimits,
} from '../../functions/core/integrations/slack/blocks';
import { hotLeadCard, ownedActivityCard, slaBreachCard } from '../../functions/core/integrations/slack/cards';
import {
  type SlackApi,
  SlackDestination,
  slackResult,
} from '../../functions/core/integrations/slack/slack-destination';
import { eventOf, hotLead } from '../fixtures/integration-leads';

const url = 'https://leads.example.com';
const settings = {
  channels: { sales: 'CSALES', managers: 'CMGR' },
  users: { ravi: 'URAVI' },
  publicUrl: url,
};

/** A Slack API that records what it is asked to post and answers ok. */
function recordingApi(mode: 'bot' | 'webhook' = 'bot') {
  const posts: { message: SlackMessage; route: string }[] = [];
  const api: SlackApi = {
    mode,
    post: async (message, route) => {
      posts.push({ message, route });
      return { status: 200, latencyMs: 3, body: mode === 'bot' ? { ok: true } : 'ok' };
    },
  };
  return { api, posts };
}

describe('Slack cards', () => {
  it('shows why the lead is hot: score, grade, the hand-off rules with reasons, company, title, source and a claim link', () => {
    const card = hotLeadCard(hotLead(), eventOf('lead.hot'), url);
    const json = JSON.stringify(card.blocks);
    expect(card.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Hot lead: Dana Scully', emoji: true },
    });
    expect(json).toContain('85 (grade A)');
    expect(json).toContain('*senior_title* +40 — jobTitle matches VP');
    expect(json).toContain('*demo_request* +40');
    expect(json).not.toContain('page_views');
    expect(json).toContain('Acme');
    expect(json).toContain('VP Sales');
    expect(json).toContain('form:demo-request (google / cpc)');
    expect(json).toContain(`"url":"${url}/console/inbox"`);
    expect(json).toContain(`"url":"${url}/console/leads/a1b2c3d4e5f6a7b8c9d0"`);
    expect(json).not.toContain('dana@acme.io');
    expect(json).not.toContain('+14155550100');
  });

  it('escapes a name that tries to mention the channel or forge a link', () => {
    const lead = hotLead({
      profile: { firstName: { value: '<!channel> <https://evil|x>', source: 'api', at: '' } },
    });
    const card = hotLeadCard(lead, eventOf('lead.hot'), url);
    // plain_text (the header) is never parsed by Slack; mrkdwn and the fallback text must be escaped.
    const owned = ownedActivityCard(lead, eventOf('lead.activity'), url, { mention: '' });
    const mrkdwn = [card.text, owned.text, JSON.stringify(owned.blocks)].join('\n');
    expect(mrkdwn).not.toContain('<!channel>');
    expect(mrkdwn).not.toContain('<https://evil');
    expect(card.text).toContain('&lt;!channel&gt;');
  });

  it('keeps every Block Kit limit: 50 blocks, header 150, section 3000, 10 fields, button 75', () => {
    const long = 'x'.repeat(5000);
    const message = withinLimits({
      text: long,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: long } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: long },
          fields: Array.from({ length: 12 }, () => ({ type: 'mrkdwn' as const, text: long })),
        },
        {
          type: 'actions',
          elements: [{ type: 'button', text: { type: 'plain_text', text: long }, url, action_id: 'a' }],
        },
        ...Array.from({ length: 60 }, () => ({
          type: 'context' as const,
          elements: [{ type: 'mrkdwn' as const, text: 'c' }],
        })),
      ],
    });
    expect(message.blocks).toHaveLength(SLACK_LIMITS.blocks);
    expect(message.text).toHaveLength(SLACK_LIMITS.messageText);
    const [header, section, actions] = message.blocks;
    expect(header?.type === 'header' && header.text.text.length).toBe(150);
    expect(section?.type === 'section' && section.text?.text.length).toBe(3000);
    expect(section?.type === 'section' && section.fields?.length).toBe(10);
    expect(section?.type === 'section' && section.fields?.[0]?.text.length).toBe(2000);
    expect(actions?.type === 'actions' && actions.elements[0]?.text.text.length).toBe(75);
    expect(clip('abc', 3)).toBe('abc');
    expect(clip('abcd', 3)).toBe('ab…');
  });

  it('tells managers how long a lead waited against the SLA, with the team view link', () => {
    const card = slaBreachCard(
      hotLead(),
      eventOf('lead.sla_breached', { waitingMinutes: 42, slaMinutes: 15, handoff: 1 }),
      url,
    );
    expect(JSON.stringify(card.blocks)).toContain('*42 min* unclaimed (SLA 15 min)');
    expect(JSON.stringify(card.blocks)).toContain(`${url}/console/team`);
  });

  it('mentions the rep on an owned lead that is back', () => {
    const card = ownedActivityCard(
      hotLead(),
      eventOf('lead.activity', { activityType: 'pricing_viewed' }),
      url,
      { mention: '<@URAVI>' },
    );
    expect(JSON.stringify(card.blocks)).toContain(
      '<@URAVI> *Dana Scully*, a lead you own, is back: *pricing viewed*',
    );
  });
});

describe('Slack destination', () => {
  it('posts a hot lead to the sales channel and an SLA breach to the managers channel', async () => {
    const { api, posts } = recordingApi();
    const slack = new SlackDestination(api, settings);
    expect(await slack.deliver(eventOf('lead.hot'), hotLead(), 1)).toMatchObject({
      kind: 'delivered',
      status: 200,
    });
    await slack.deliver(eventOf('lead.sla_breached', { waitingMinutes: 20, slaMinutes: 15 }), hotLead(), 1);
    expect(posts.map((p) => [p.message.channel, p.route])).toEqual([
      ['CSALES', 'sales'],
      ['CMGR', 'managers'],
    ]);
  });

  it('DMs a mapped rep and mentions an unmapped one in the sales channel', async () => {
    const { api, posts } = recordingApi();
    const slack = new SlackDestination(api, settings);
    const owned = (rep: string) => hotLead({ owner: { rep, repName: `${rep} R`, since: '', handoff: 1 } });
    await slack.deliver(eventOf('lead.activity'), owned('ravi'), 1);
    await slack.deliver(eventOf('lead.activity'), owned('sofia'), 1);
    expect(posts[0]?.message.channel).toBe('URAVI');
    expect(posts[1]?.message.channel).toBe('CSALES');
    expect(JSON.stringify(posts[1]?.message.blocks)).toContain('*sofia R*');
  });

  it('posts nothing for an erased lead or an activity on a lead no rep owns', async () => {
    const { api, posts } = recordingApi();
    const slack = new SlackDestination(api, settings);
    expect(await slack.deliver(eventOf('lead.hot'), undefined, 1)).toMatchObject({
      kind: 'delivered',
      excerpt: 'nothing to send: the lead is erased',
    });
    expect(await slack.deliver(eventOf('lead.hot'), hotLead({ erasing: 'now' }), 1)).toMatchObject({
      kind: 'delivered',
    });
    expect(await slack.deliver(eventOf('lead.activity'), hotLead(), 1)).toMatchObject({
      excerpt: 'nothing to send: no rep owns the lead',
    });
    expect(posts).toHaveLength(0);
    expect(
      slack.accepts('lead.hot') && slack.accepts('lead.sla_breached') && slack.accepts('lead.activity'),
    ).toBe(true);
    expect(slack.accepts('lead.erased')).toBe(false);
  });
});

describe('Slack destination: nothing posted twice', () => {
  it('an event delivered again (a re-published event, a redelivered message) is not posted again', async () => {
    const { api, posts } = recordingApi();
    const seen = new Set<string>();
    const posted = {
      has: async (id: string) => seen.has(id),
      record: async (id: string) => void seen.add(id),
    };
    const slack = new SlackDestination(api, settings, posted);
    expect(await slack.deliver(eventOf('lead.hot'), hotLead(), 1)).toMatchObject({
      kind: 'delivered',
      status: 200,
    });
    expect(await slack.deliver(eventOf('lead.hot'), hotLead(), 1)).toMatchObject({
      excerpt: 'nothing to send: posted before',
    });
    expect(posts).toHaveLength(1);
  });

  it('a refused or retried post is not recorded, so the next attempt posts', async () => {
    const seen = new Set<string>();
    const posted = {
      has: async (id: string) => seen.has(id),
      record: async (id: string) => void seen.add(id),
    };
    const failing: SlackApi = {
      mode: 'bot',
      post: async () => ({ status: 429, latencyMs: 1, body: undefined, retryAfterSeconds: 3 }),
    };
    expect(
      await new SlackDestination(failing, settings, posted).deliver(eventOf('lead.hot'), hotLead(), 1),
    ).toMatchObject({ kind: 'retry' });
    expect(seen.size).toBe(0);
  });
});

describe("Slack's answers as delivery results", () => {
  const reply = (status: number, body: unknown, retryAfterSeconds?: number) => ({
    status,
    latencyMs: 5,
    body,
    retryAfterSeconds,
  });
  it.each([
    ['invalid_auth', 'rejected'],
    ['channel_not_found', 'rejected'],
    ['not_in_channel', 'rejected'],
    ['invalid_blocks', 'rejected'],
    ['ratelimited', 'retry'],
    ['internal_error', 'retry'],
  ])('ok:false %s is %s', (error, kind) => {
    expect(slackResult(reply(200, { ok: false, error }), 'bot')).toMatchObject({
      kind,
      reason: `slack: ${error}`,
      excerpt: `error=${error}`,
    });
  });

  it('retries a 429 after its Retry-After, and 30 s when Slack names none', () => {
    expect(slackResult(reply(429, undefined, 7), 'bot')).toMatchObject({
      kind: 'retry',
      status: 429,
      retryAfterSeconds: 7,
    });
    expect(slackResult(reply(429, undefined), 'webhook')).toMatchObject({
      kind: 'retry',
      retryAfterSeconds: 30,
    });
  });

  it('retries 5xx and timeouts; refuses a webhook 4xx', () => {
    expect(slackResult(reply(503, 'x'), 'bot').kind).toBe('retry');
    expect(slackResult({ latencyMs: 5000, failure: 'timeout', reason: 'no answer' }, 'bot').kind).toBe(
      'retry',
    );
    expect(slackResult(reply(404, 'channel_not_found'), 'webhook')).toMatchObject({
      kind: 'rejected',
      excerpt: 'channel_not_found',
    });
    expect(slackResult(reply(200, 'ok'), 'webhook').kind).toBe('delivered');
  });
});
