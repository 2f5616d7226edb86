import { unsubscribe } from '../core/consent/unsubscribe';
import { verifyUnsubscribeToken } from '../core/consent/unsubscribe-token';
import { InvalidUnsubscribeTokenError } from '../core/kernel/errors';
import { htmlResponse } from '../shared/html-page';
import { errorResponse, type HttpEvent, header, json } from '../shared/http';
import { logger } from '../shared/logger';
import { httpHandler } from '../shared/middleware';
import { signingSecrets } from '../shared/signing-secrets';
import { invalidLinkPage, unsubscribedPage, unsubscribePage } from '../shared/unsubscribe-pages';
import { unsubscribeDeps } from '../shared/wiring/consent';
import '../shared/identity';

const deps = unsubscribeDeps();

/**
 * GET /v1/unsubscribe?t= shows a page with a button and changes nothing (mail scanners
 * prefetch links); POST /v1/unsubscribe?t= is RFC 8058 one-click: honoured at once, no login,
 * no confirmation. The body is `List-Unsubscribe=One-Click` from mail clients, empty from the
 * page's button; the signed token alone decides, so any body is accepted. Idempotent.
 */
export const handler = httpHandler(async (event: HttpEvent) => {
  const token = event.queryStringParameters?.t ?? '';
  const { unsubscribeKeys } = await signingSecrets();
  const claim = verifyUnsubscribeToken(token, unsubscribeKeys);
  const wantsJson = /application\/json/i.test(header(event, 'accept') ?? '');
  if (!claim) {
    if (wantsJson) return errorResponse(new InvalidUnsubscribeTokenError());
    return htmlResponse(400, invalidLinkPage());
  }
  if (event.routeKey !== 'POST /v1/unsubscribe') return htmlResponse(200, unsubscribePage(token));

  const result = await unsubscribe(deps, claim.leadId);
  logger.info('unsubscribe', { leadId: claim.leadId, found: result.found, changed: result.changed });
  if (wantsJson || isOneClick(event)) return json(200, { status: 'unsubscribed' });
  return htmlResponse(200, unsubscribedPage());
});

function isOneClick(event: HttpEvent): boolean {
  const body =
    event.body && event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString() : event.body;
  return /(^|&)List-Unsubscribe=One-Click(&|$)/.test(body ?? '');
}
