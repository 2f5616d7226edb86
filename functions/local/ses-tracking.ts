import { randomBytes } from 'node:crypto';
import type { SESv2Client } from '@aws-sdk/client-sesv2';

/**
 * Local open and click tracking, as SES does it for a configuration set with tracking on: the
 * links of a marketing email's HTML go through a tracking URL and a 1×1 image is added; opening
 * the image or following a link publishes an Open or Click event for the message.
 *
 * aws-ses-v2-local keeps neither the message tags of a send nor tracks anything, so the local
 * stack puts this on the SES client (one SDK middleware, never in a Lambda bundle): before the
 * send it rewrites the HTML (links → `/local/ses/click?m=<ref>&u=<url>`, the pixel →
 * `/local/ses/open?m=<ref>`), after it it remembers, by SES's message id, the tags and the links
 * the message holds. `ref` is a random reference made before the send (SES gives the message id
 * only in its answer); the click route redirects only to a link of that very message.
 */

interface Tracked {
  tags: Record<string, string[]>;
  links: string[];
}

/** At most this many messages are remembered (the oldest are forgotten first). */
const MAX_MESSAGES = 20_000;
const REF = /^[A-Za-z0-9_-]{16,64}$/;
const MIDDLEWARE = 'leadflowLocalSesTracking';

interface SendInput {
  ConfigurationSetName?: string;
  EmailTags?: { Name?: string; Value?: string }[];
  Content?: { Simple?: { Body?: { Html?: { Data?: string; Charset?: string } } } };
}

/** Marketing mail of a sequence step or a broadcast: not a proof, not a double opt-in confirmation. */
export function isTracked(tags: Record<string, string[]>): boolean {
  if (tags.purpose?.includes('proof')) return false;
  const sequence = tags.sequence?.[0];
  return Boolean(tags.broadcast?.[0] || (sequence && !sequence.startsWith('confirm_')));
}

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const encode = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/**
 * The HTML with each http(s) link that `track` names a URL for replaced by it, and the pixel
 * before `</body>` (or at the end); also the links it replaced. Leadflow's own API links
 * (unsubscribe, confirm) are left alone by `track`, as SES leaves `ses:no-track` links.
 */
export function trackLinks(
  html: string,
  track: (url: string) => string | undefined,
  pixel: string,
): { html: string; links: string[] } {
  const links: string[] = [];
  const rewritten = html.replace(
    /(<a\b[^>]*?\bhref=)(["'])(https?:\/\/[^"']+)\2/gi,
    (whole, pre, quote, raw) => {
      const url = decode(raw);
      const via = track(url);
      if (!via) return whole;
      links.push(url);
      return `${pre}${quote}${encode(via)}${quote}`;
    },
  );
  const img = `<img src="${encode(pixel)}" width="1" height="1" alt="" style="display:block;border:0;">`;
  const at = rewritten.search(/<\/body>/i);
  return { html: at < 0 ? rewritten + img : rewritten.slice(0, at) + img + rewritten.slice(at), links };
}

export class LocalSesTracking {
  private readonly messages = new Map<string, Tracked>();
  private readonly refs = new Map<string, string>();

  /** `baseUrl`: where the local API answers (read per send: the server's port is known late). */
  constructor(private readonly baseUrl: () => string) {}

  /** Puts the tracking on the SES client the handlers send with (the local stack's process only). */
  install(client: SESv2Client): void {
    // One stack at a time per process: a stack started again in the same process replaces it.
    client.middlewareStack.remove(MIDDLEWARE);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'SendEmailCommand') return next(args);
        const input = args.input as SendInput;
        const tags: Record<string, string[]> = {};
        for (const { Name, Value } of input.EmailTags ?? [])
          if (Name && Value !== undefined) tags[Name] = [Value];
        if (input.ConfigurationSetName) tags['ses:configuration-set'] = [input.ConfigurationSetName];
        const html = input.Content?.Simple?.Body?.Html;
        let ref: string | undefined;
        let links: string[] = [];
        let sent = args;
        if (html?.Data && isTracked(tags)) {
          ref = randomBytes(12).toString('base64url');
          const tracked = this.rewrite(html.Data, ref);
          links = tracked.links;
          const simple = input.Content?.Simple;
          sent = {
            ...args,
            input: {
              ...input,
              Content: {
                Simple: { ...simple, Body: { ...simple?.Body, Html: { ...html, Data: tracked.html } } },
              },
            },
          };
        }
        const result = await next(sent);
        const messageId = (result.output as { MessageId?: string }).MessageId;
        if (messageId) this.remember(messageId, { tags, links }, ref);
        return result;
      },
      { step: 'initialize', name: MIDDLEWARE },
    );
  }

  uninstall(client: SESv2Client): void {
    client.middlewareStack.remove(MIDDLEWARE);
  }

  private rewrite(html: string, ref: string) {
    const base = this.baseUrl().replace(/\/+$/, '');
    return trackLinks(
      html,
      (url) =>
        // Leadflow's own routes (unsubscribe, confirm) stay as they are.
        url.startsWith(`${base}/v1/`)
          ? undefined
          : `${base}/local/ses/click?m=${ref}&u=${encodeURIComponent(url)}`,
      `${base}/local/ses/open?m=${ref}`,
    );
  }

  private remember(messageId: string, tracked: Tracked, ref: string | undefined) {
    this.messages.set(messageId, tracked);
    if (ref) this.refs.set(ref, messageId);
    while (this.messages.size > MAX_MESSAGES) {
      const [oldest] = this.messages.keys();
      if (oldest === undefined) break;
      this.messages.delete(oldest);
    }
    while (this.refs.size > MAX_MESSAGES) {
      const [oldest] = this.refs.keys();
      if (oldest === undefined) break;
      this.refs.delete(oldest);
    }
  }

  /** The message tags of a message sent through this stack (SES's `mail.tags`), if remembered. */
  tagsOf(messageId: string): Record<string, string[]> | undefined {
    return this.messages.get(messageId)?.tags;
  }

  /** The message a tracking reference stands for. */
  messageOf(ref: string): string | undefined {
    return REF.test(ref) ? this.refs.get(ref) : undefined;
  }

  /** The tracked links of a message, in the order they appear. */
  linksOf(messageId: string): string[] {
    return this.messages.get(messageId)?.links ?? [];
  }
}
