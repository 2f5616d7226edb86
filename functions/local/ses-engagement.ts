import type { SNSEvent } from 'aws-lambda';
import * as z from 'zod';
import { mailOf, recipientsOf, type StoredEmail, snsEventOf } from './ses-events-emulator';
import type { LocalSesTracking } from './ses-tracking';

/**
 * Opens and clicks on the local stack, published as SES would publish them
 * (docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html: eventType
 * Open / Click with `open` / `click` beside the message's `mail`), handed to ses-events as an SNS
 * event like every other local SES event. Three ways in, local server only:
 *   GET  /local/ses/open?m=<ref>           the 1×1 image of a tracked email (ses-tracking.ts)
 *   GET  /local/ses/click?m=<ref>&u=<url>  a tracked link: 302 to the URL, only if it is a link
 *                                          of that message (never an open redirect)
 *   POST /local/ses/events {messageId, event: open|click, link?}
 *                                          what `leadflow email event` calls
 */

export type EngagementKind = 'open' | 'click';

const AGENT = 'Mozilla/5.0 (Leadflow local stack)';

/** The SES Open or Click event of a stored message. */
export function engagementEvent(
  email: StoredEmail,
  kind: EngagementKind,
  now: Date,
  options: { link?: string; tags?: Record<string, string[]> } = {},
): Record<string, unknown> {
  const mail = mailOf(email, recipientsOf(email), options.tags);
  const timestamp = now.toISOString();
  if (kind === 'open') {
    return { eventType: 'Open', mail, open: { ipAddress: '127.0.0.1', timestamp, userAgent: AGENT } };
  }
  return {
    eventType: 'Click',
    mail,
    click: { ipAddress: '127.0.0.1', timestamp, userAgent: AGENT, link: options.link ?? '', linkTags: {} },
  };
}

export interface LocalAnswer {
  status: number;
  headers: Record<string, string>;
  body?: string | Buffer;
}

// The smallest transparent GIF, as SES's open pixel.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const json = (status: number, body: unknown): LocalAnswer => ({
  status,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});
const error = (status: number, code: string, message: string, details: unknown[] = []) =>
  json(status, { error: { code, message, details } });

const httpUrl = z
  .string()
  .max(2048)
  .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), 'is an http(s) URL');
const eventBody = z.object({
  messageId: z.string().min(1).max(200),
  event: z.enum(['open', 'click']),
  link: httpUrl.optional(),
});

export interface LocalEngagement {
  /** Publishes an open or click of a stored message; false when the SES store has no such message. */
  publish(messageId: string, kind: EngagementKind, link?: string): Promise<boolean>;
  /** The answer for a /local/ses/... request, or undefined for any other path. */
  answer(method: string, url: URL, body: () => Promise<Buffer | undefined>): Promise<LocalAnswer | undefined>;
}

export function localEngagement(
  sesEndpoint: string,
  tracking: LocalSesTracking,
  deliver: (event: SNSEvent) => Promise<unknown>,
  clock: () => Date = () => new Date(),
): LocalEngagement {
  async function stored(messageId: string): Promise<StoredEmail | undefined> {
    const res = await fetch(`${sesEndpoint.replace(/\/+$/, '')}/store`);
    if (!res.ok) throw new Error(`SES store answered ${res.status}`);
    const { emails = [] } = (await res.json()) as { emails?: StoredEmail[] };
    return emails.find((e) => e.messageId === messageId);
  }

  async function publish(messageId: string, kind: EngagementKind, link?: string): Promise<boolean> {
    const email = await stored(messageId);
    if (!email) return false;
    const now = clock();
    const event = engagementEvent(email, kind, now, { link, tags: tracking.tagsOf(messageId) });
    await deliver(snsEventOf([event], now));
    return true;
  }

  async function answer(method: string, url: URL, body: () => Promise<Buffer | undefined>) {
    const path = url.pathname;
    if (!path.startsWith('/local/ses/')) return undefined;
    if (method === 'GET' && path === '/local/ses/open') {
      const messageId = tracking.messageOf(url.searchParams.get('m') ?? '');
      if (!messageId || !(await publish(messageId, 'open')))
        return error(404, 'message_not_found', 'No tracked email of this local stack has this reference.');
      return {
        status: 200,
        headers: { 'content-type': 'image/gif', 'cache-control': 'no-store' },
        body: PIXEL,
      };
    }
    if (method === 'GET' && path === '/local/ses/click') {
      const messageId = tracking.messageOf(url.searchParams.get('m') ?? '');
      const link = url.searchParams.get('u') ?? '';
      // Only a link the message itself holds: anything else would make this an open redirect.
      if (!messageId || !tracking.linksOf(messageId).includes(link))
        return error(404, 'link_not_found', 'This is not a tracked link of a local email.');
      if (!(await publish(messageId, 'click', link)))
        return error(404, 'message_not_found', 'The SES store no longer holds this email.');
      return { status: 302, headers: { location: link, 'cache-control': 'no-store' } };
    }
    if (method === 'POST' && path === '/local/ses/events') return emit(await body());
    return error(404, 'route_not_found', 'No such route.');
  }

  async function emit(raw: Buffer | undefined): Promise<LocalAnswer> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw?.toString('utf8') ?? '');
    } catch {
      return error(400, 'invalid_json', 'The body is not JSON.');
    }
    const result = eventBody.safeParse(parsed);
    if (!result.success) {
      const details = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      return error(400, 'invalid_event', 'The body is not {messageId, event: open|click, link?}.', details);
    }
    const { messageId, event } = result.data;
    const link = event === 'click' ? (result.data.link ?? tracking.linksOf(messageId)[0]) : undefined;
    if (event === 'click' && !link)
      return error(400, 'invalid_event', 'This email has no tracked link: give one.', [
        { path: 'link', message: 'is required for this email' },
      ]);
    if (!(await publish(messageId, event, link)))
      return error(404, 'message_not_found', 'The local SES store holds no email with this message id.');
    return json(202, { messageId, event, ...(link ? { link } : {}), status: 'published' });
  }

  return { publish, answer };
}
