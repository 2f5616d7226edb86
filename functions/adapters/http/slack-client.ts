import type { SlackMessage } from '../../core/integrations/slack/blocks';
import type { SlackApi } from '../../core/integrations/slack/slack-destination';
import { callJson } from './json-call';

/** What the Slack app is given: a bot token, or incoming-webhook URLs (from the integrations secret). */
export interface SlackCredentials {
  botToken?: string;
  webhookUrl?: string;
  managersWebhookUrl?: string;
}

/**
 * Slack's Web API `chat.postMessage` (Bearer bot token, JSON body) or an incoming webhook (the
 * URL is the secret; the channel is the webhook's own). Credentials are read per call, so a
 * secret an operator rotates is used without a deploy.
 */
export class HttpSlackApi implements SlackApi {
  constructor(
    readonly mode: 'bot' | 'webhook',
    private readonly credentials: () => Promise<SlackCredentials>,
    private readonly apiUrl = 'https://slack.com/api',
    private readonly timeoutMs = 5000,
  ) {}

  async post(message: SlackMessage, route: 'sales' | 'managers' | 'direct') {
    const secret = await this.credentials();
    if (this.mode === 'webhook') {
      const url = route === 'managers' ? (secret.managersWebhookUrl ?? secret.webhookUrl) : secret.webhookUrl;
      if (!url) return { status: 401, latencyMs: 0, body: 'no_webhook_url' };
      const { channel: _, ...body } = message;
      return callJson(url, { method: 'POST', headers: {}, body, timeoutMs: this.timeoutMs });
    }
    if (!secret.botToken) return { status: 401, latencyMs: 0, body: { ok: false, error: 'not_authed' } };
    return callJson(`${this.apiUrl.replace(/\/+$/, '')}/chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret.botToken}` },
      body: message,
      timeoutMs: this.timeoutMs,
    });
  }
}
