import { PayloadTooLargeError, RouteNotFoundError } from '../core/kernel/errors';
import { linkedinChallenge } from '../core/webhooks/linkedin';
import { verifyMetaSubscription } from '../core/webhooks/meta';
import {
  receiveGoogle,
  receiveLinkedin,
  receiveMeta,
  receiveTiktok,
  WebhookNotConfiguredError,
} from '../core/webhooks/receive';
import { type HttpEvent, header, json } from '../shared/http';
import { logger } from '../shared/logger';
import { httpHandler } from '../shared/middleware';
import { countLeadCaptured, type LeadSource } from '../shared/observability/metrics';
import { MAX_BODY_BYTES } from '../shared/request-body';
import { webhookSecrets } from '../shared/webhook-secrets';
import { webhookDeps } from '../shared/wiring/webhooks';
import '../shared/identity';

const deps = webhookDeps();

/** The body exactly as sent: signatures are computed over these bytes, before any parsing. */
function rawBody(event: HttpEvent): Buffer {
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.byteLength > 8 * MAX_BODY_BYTES)
    throw new PayloadTooLargeError('The delivery is larger than 256 KB.');
  return raw;
}

function need(secret: string | undefined, provider: string): string {
  if (!secret) throw new WebhookNotConfiguredError(provider);
  return secret;
}

/**
 * The platform's answer for a kept delivery, logged by ids and counts only (never a person's data):
 * LinkedIn's DELETED events keep no delivery, so their answer has no id.
 */
function received(platform: LeadSource, result: { deliveryId?: string } & Record<string, unknown>) {
  const { deliveryId, ...counts } = result;
  // Google and TikTok capture at once; Meta and LinkedIn leads are counted by ad-leads when fetched.
  if (typeof result.leadId === 'string' && result.duplicate === false) countLeadCaptured(platform);
  const logged = Object.fromEntries(
    Object.entries(counts).filter(([key]) => ['leads', 'leadId', 'action', 'duplicate'].includes(key)),
  );
  logger.info(`webhook ${platform}`, { deliveryId, ...logged });
  return json(200, { received: true, ...(deliveryId ? { deliveryId } : {}) });
}

/** /v1/webhooks/{provider}: ad platforms deliver leads here. */
export const handler = httpHandler(async (event: HttpEvent) => {
  const secrets = await webhookSecrets();
  switch (event.routeKey) {
    case 'GET /v1/webhooks/meta': {
      const challenge = verifyMetaSubscription(
        event.queryStringParameters ?? {},
        need(secrets.metaVerifyToken, 'meta'),
      );
      return { statusCode: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: challenge };
    }
    case 'POST /v1/webhooks/meta':
      return received(
        'meta',
        await receiveMeta(
          deps,
          rawBody(event),
          header(event, 'x-hub-signature-256'),
          need(secrets.metaAppSecret, 'meta'),
        ),
      );
    case 'POST /v1/webhooks/google':
      return received('google', await receiveGoogle(deps, rawBody(event), need(secrets.googleKey, 'google')));
    case 'GET /v1/webhooks/linkedin':
      return json(
        200,
        linkedinChallenge(event.queryStringParameters ?? {}, need(secrets.linkedinClientSecret, 'linkedin')),
      );
    case 'POST /v1/webhooks/linkedin':
      return received(
        'linkedin',
        await receiveLinkedin(
          deps,
          rawBody(event),
          header(event, 'x-li-signature'),
          need(secrets.linkedinClientSecret, 'linkedin'),
        ),
      );
    case 'POST /v1/webhooks/tiktok':
      return received(
        'tiktok',
        await receiveTiktok(
          deps,
          rawBody(event),
          header(event, 'tiktok-signature'),
          need(secrets.tiktokSecret, 'tiktok'),
        ),
      );
    default:
      throw new RouteNotFoundError();
  }
});
