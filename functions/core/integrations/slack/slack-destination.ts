import type { LeadState } from '../../leads/lead';
import type { DeliveryResult, Destination } from '../destination';
import type { EventType, IntegrationEvent, LeadAtDelivery } from '../events';
import { excerptOf, type HttpReply, nothingToSend, transportResult } from '../http-reply';
import { escapeMrkdwn, type SlackMessage } from './blocks';
import { hotLeadCard, ownedActivityCard, slaBreachCard } from './cards';

/** Where Slack messages go: channel and user ids from config/integrations.yaml. */
export interface SlackSettings {
  channels: { sales: string; managers?: string };
  /** Leadflow username → Slack user id (a DM); an unmapped rep is mentioned by name in the sales channel. */
  users: Record<string, string>;
  publicUrl: string;
}

/**
 * Messages already posted, by event id: Slack does not dedupe, and the feed is at least once (an
 * event published again after a crash, an SQS message delivered twice). Ids only, kept a week.
 */
export interface PostedMessages {
  has(eventId: string): Promise<boolean>;
  record(eventId: string): Promise<void>;
}

/** The Slack app as the destination sees it: a bot token (chat.postMessage) or incoming webhooks. */
export interface SlackApi {
  /** `bot`: every channel or user id works. `webhook`: the URL's own channel ('sales' or 'managers'). */
  readonly mode: 'bot' | 'webhook';
  post(message: SlackMessage, route: 'sales' | 'managers' | 'direct'): Promise<HttpReply>;
}

const ACCEPTED: ReadonlySet<EventType> = new Set(['lead.hot', 'lead.sla_breached', 'lead.activity']);
/** `ok:false` errors Slack documents as passing (try again later); any other is refused for good. */
const RETRYABLE_ERRORS = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/**
 * The Slack destination: hot leads to the sales channel, SLA breaches to the managers' channel,
 * activity on an owned lead to its rep. Nothing is posted for a lead erased meanwhile.
 */
export class SlackDestination implements Destination {
  readonly id = 'slack';
  readonly kind = 'slack' as const;

  constructor(
    private readonly api: SlackApi,
    private readonly settings: SlackSettings,
    private readonly posted?: PostedMessages,
  ) {}

  accepts(type: EventType): boolean {
    return ACCEPTED.has(type);
  }

  async deliver(event: IntegrationEvent, lead: LeadAtDelivery, _attempt = 1): Promise<DeliveryResult> {
    if (!lead || lead.erasing) return nothingToSend('the lead is erased');
    const planned = this.plan(event, lead);
    if ('skip' in planned) return nothingToSend(planned.skip);
    if (await this.posted?.has(event.id)) return nothingToSend('posted before');
    const result = slackResult(await this.api.post(planned.message, planned.route), this.api.mode);
    // Recorded after Slack took it: a crash in between may post once more, never lose the message.
    if (result.kind === 'delivered') await this.posted?.record(event.id);
    return result;
  }

  private plan(
    event: IntegrationEvent,
    lead: LeadState,
  ): { message: SlackMessage; route: 'sales' | 'managers' | 'direct' } | { skip: string } {
    const { channels, users, publicUrl } = this.settings;
    switch (event.type) {
      case 'lead.hot':
        return {
          message: { channel: channels.sales, ...hotLeadCard(lead, event, publicUrl) },
          route: 'sales',
        };
      case 'lead.sla_breached': {
        const channel = channels.managers ?? channels.sales;
        return { message: { channel, ...slaBreachCard(lead, event, publicUrl) }, route: 'managers' };
      }
      case 'lead.activity': {
        // The rep who owned the lead when the activity came (the event's), else the owner now.
        const rep = typeof event.data.rep === 'string' ? event.data.rep : lead.owner?.rep;
        if (!rep) return { skip: 'no rep owns the lead' };
        const userId = users[rep];
        if (userId && this.api.mode === 'bot')
          return {
            message: { channel: userId, ...ownedActivityCard(lead, event, publicUrl, { mention: '' }) },
            route: 'direct',
          };
        const repName = lead.owner?.rep === rep ? lead.owner.repName : rep;
        const mention = userId ? `<@${userId}>` : `*${escapeMrkdwn(repName)}*`;
        return {
          message: { channel: channels.sales, ...ownedActivityCard(lead, event, publicUrl, { mention }) },
          route: 'sales',
        };
      }
      default:
        return { skip: `slack does not take ${event.type}` };
    }
  }
}

/**
 * Slack's answer as a delivery result. Web API: HTTP 200 with `ok`, or `ok:false` + `error`;
 * 429 with Retry-After. Incoming webhooks: 200 `ok`, else a 4xx with the error as text.
 */
export function slackResult(reply: HttpReply, mode: 'bot' | 'webhook'): DeliveryResult {
  const transport = transportResult(reply, 'slack');
  if (transport) return transport;
  if (reply.status === undefined) throw new Error('unreachable: transportResult handles failures');
  const { status, latencyMs, body } = reply;
  if (mode === 'webhook') {
    if (status >= 200 && status < 300) return { kind: 'delivered', status, latencyMs };
    return {
      kind: 'rejected',
      status,
      latencyMs,
      reason: `slack webhook refused: ${excerptOf(body) ?? status}`,
      excerpt: excerptOf(body),
    };
  }
  const answer = (body ?? {}) as { ok?: boolean; error?: string };
  if (status >= 200 && status < 300 && answer.ok === true) return { kind: 'delivered', status, latencyMs };
  const error = typeof answer.error === 'string' ? answer.error : `http_${status}`;
  if (RETRYABLE_ERRORS.has(error))
    return {
      kind: 'retry',
      status,
      latencyMs,
      reason: `slack: ${error}`,
      excerpt: excerptOf(body),
      ...(reply.retryAfterSeconds ? { retryAfterSeconds: reply.retryAfterSeconds } : {}),
    };
  return { kind: 'rejected', status, latencyMs, reason: `slack: ${error}`, excerpt: excerptOf(body) };
}
