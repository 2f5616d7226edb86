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
    case 'POST /v1/webhooks/meta': {
      const result = await receiveMeta(
        deps,
        rawBody(event),
        header(event, 'x-hub-signature-256'),
        need(secrets.metaAppSecret, 'meta'),
      );
      logger.info('webhook meta', {
        deliveryId: result.deliveryId,
        leads: result.leads,
        duplicate: result.duplicate,
      });
      return json(200, { received: true, deliveryId: result.deliveryId });
    }
    case 'POST /v1/webhooks/google': {
      const result = await receiveGoogle(deps, rawBody(event), need(secrets.googleKey, 'google'));
      logger.info('webhook google', {
        deliveryId: result.deliveryId,
        leadId: result.leadId,
        duplicate: result.duplicate,
      });
      return json(200, { received: true, deliveryId: result.deliveryId });
    }
    case 'GET /v1/webhooks/linkedin':
      return json(
        200,
        linkedinChallenge(event.queryStringParameters ?? {}, need(secrets.linkedinClientSecret, 'linkedin')),
      );
    case 'POST /v1/webhooks/linkedin': {
      const result = await receiveLinkedin(
        deps,
        rawBody(event),
        header(event, 'x-li-signature'),
        need(secrets.linkedinClientSecret, 'linkedin'),
      );
      logger.info('webhook linkedin', {
        deliveryId: result.deliveryId,
        action: result.action,
        duplicate: result.duplicate,
      });
      return json(200, { received: true, ...(result.deliveryId ? { deliveryId: result.deliveryId } : {}) });
    }
    case 'POST /v1/webhooks/tiktok': {
      const result = await receiveTiktok(
        deps,
        rawBody(event),
        header(event, 'tiktok-signature'),
        need(secrets.tiktokSecret, 'tiktok'),
      );
      logger.info('webhook tiktok', {
        deliveryId: result.deliveryId,
        leadId: result.leadId,
        duplicate: result.duplicate,
      });
      return json(200, { received: true, deliveryId: result.deliveryId });
    }
    default:
      throw new RouteNotFoundError();
  }
});
