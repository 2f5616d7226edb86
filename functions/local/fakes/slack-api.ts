import type { Block } from '../../core/integrations/slack/blocks';
import { SLACK_LIMITS as L } from '../../core/integrations/slack/blocks';
import { type Answer, type FakeRequest, sendsJson, startFake } from './fake-server';

/**
 * A fake Slack over the wire: `POST /api/chat.postMessage` (Bearer bot token, JSON, a known
 * channel or user id, `text` or `blocks` within Block Kit's limits) answering as Slack documents
 * (HTTP 200 with `ok`, or `ok:false` + `error`), and incoming webhooks at `/services/<id>`
 * (200 `ok`, or 400 `invalid_payload` / 404 `no_service` as text). `script()` makes the next
 * calls answer 429 with Retry-After, 5xx, or slowly.
 */
export async function startFakeSlack(options: {
  botToken: string;
  channels: string[];
  webhooks?: string[];
  port?: number;
}) {
  const posted: { channel?: string; via: 'bot' | 'webhook'; text: string; blocks: Block[] }[] = [];
  const fake = await startFake((req) => route(req), options.port);

  function route(req: FakeRequest): Answer {
    // What was posted, for a person trying it locally (not a Slack route).
    if (req.method === 'GET' && req.path === '/_fake/messages') return { status: 200, body: posted };
    if (req.method !== 'POST') return { status: 405, body: 'method_not_allowed' };
    const hook = /^\/services\/([\w-]+)$/.exec(req.path);
    if (hook) {
      if (!options.webhooks?.includes(hook[1] as string)) return { status: 404, body: 'no_service' };
      const problem = sendsJson(req) ? messageProblem(req.body, false) : 'invalid_payload';
      if (problem) return { status: 400, body: 'invalid_payload' };
      const body = req.body as { text?: string; blocks?: Block[] };
      posted.push({ via: 'webhook', text: body.text ?? '', blocks: body.blocks ?? [] });
      return { status: 200, body: 'ok' };
    }
    if (req.path !== '/api/chat.postMessage')
      return { status: 404, body: { ok: false, error: 'unknown_method' } };
    const auth = req.headers.authorization;
    if (!auth) return slackError('not_authed');
    if (auth !== `Bearer ${options.botToken}`) return slackError('invalid_auth');
    if (!sendsJson(req)) return slackError('invalid_arguments');
    const body = req.body as { channel?: string; text?: string; blocks?: Block[] };
    const problem = messageProblem(body, true);
    if (problem) return slackError(problem);
    if (!options.channels.includes(body.channel as string)) return slackError('channel_not_found');
    posted.push({ channel: body.channel, via: 'bot', text: body.text ?? '', blocks: body.blocks ?? [] });
    return {
      status: 200,
      body: { ok: true, channel: body.channel, ts: `${Date.now() / 1000}`, message: { text: body.text } },
    };
  }

  return { ...fake, posted };
}

const slackError = (error: string): Answer => ({ status: 200, body: { ok: false, error } });

/** The first thing Slack would refuse in this message body, as its error code; undefined when fine. */
export function messageProblem(body: unknown, needsChannel: boolean): string | undefined {
  if (!body || typeof body !== 'object') return 'invalid_arguments';
  const { channel, text, blocks } = body as { channel?: unknown; text?: unknown; blocks?: unknown };
  if (needsChannel && (typeof channel !== 'string' || channel === '')) return 'channel_not_found';
  if ((text === undefined || text === '') && blocks === undefined) return 'no_text';
  if (typeof text === 'string' && text.length > 40_000) return 'msg_too_long';
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks) || blocks.length > L.blocks) return 'invalid_blocks';
  return blocks.every(blockFits) ? undefined : 'invalid_blocks';
}

function blockFits(block: Block): boolean {
  const len = (text: string | undefined) => (text ?? '').length;
  switch (block.type) {
    case 'header':
      return (
        block.text?.type === 'plain_text' && len(block.text.text) > 0 && len(block.text.text) <= L.headerText
      );
    case 'section':
      return (
        (block.text !== undefined || block.fields !== undefined) &&
        len(block.text?.text) <= L.sectionText &&
        (block.fields ?? []).length <= L.fields &&
        (block.fields ?? []).every((f) => len(f.text) <= L.fieldText)
      );
    case 'context':
      return block.elements.length > 0 && block.elements.length <= L.contextElements;
    case 'actions':
      return block.elements.every(
        (b) =>
          b.type === 'button' &&
          len(b.text.text) <= L.buttonText &&
          len(b.url) <= L.buttonUrl &&
          /^https?:\/\//.test(b.url),
      );
    default:
      return false;
  }
}
