import { confirmSubscription } from '../core/consent/confirm-subscription';
import { verifyConfirmationToken } from '../core/consent/confirmation-token';
import { ConfirmationExpiredError, InvalidConfirmationTokenError } from '../core/kernel/errors';
import { clientIp } from '../shared/client-ip';
import { clientIpConfig } from '../shared/config';
import { confirmedPage, confirmPage, invalidConfirmationPage } from '../shared/confirm-pages';
import { htmlResponse } from '../shared/html-page';
import { errorResponse, type HttpEvent, header, json } from '../shared/http';
import { logger } from '../shared/logger';
import { httpHandler } from '../shared/middleware';
import { signingSecrets } from '../shared/signing-secrets';
import { confirmDeps } from '../shared/wiring/consent';
import '../shared/identity';

// Parsed at cold start: a bad LEADFLOW_CLIENT_IP_HEADER fails the container, not a request.
const ipHeader = clientIpConfig().header;

const deps = confirmDeps();

/**
 * GET /v1/confirm?t= shows a page with a "Confirm my subscription" button and changes nothing
 * (mail scanners prefetch links); POST /v1/confirm?t= confirms the double opt-in the signed
 * token names: consent granted and the form's sequences started, once (a second click: 200,
 * nothing new). A bad or expired token: 400, as a page for browsers or the contract's error body
 * when JSON is asked for.
 */
export const handler = httpHandler(async (event: HttpEvent) => {
  const token = event.queryStringParameters?.t ?? '';
  const { unsubscribeKeys } = await signingSecrets();
  const check = verifyConfirmationToken(token, unsubscribeKeys, deps.clock.now());
  const wantsJson = /application\/json/i.test(header(event, 'accept') ?? '');
  if (!check.ok) {
    const expired = check.reason === 'expired';
    if (wantsJson)
      return errorResponse(expired ? new ConfirmationExpiredError() : new InvalidConfirmationTokenError());
    return htmlResponse(400, invalidConfirmationPage(expired));
  }
  if (event.routeKey !== 'POST /v1/confirm') return htmlResponse(200, confirmPage(token));

  const { leadId, formId } = check.claim;
  const status = await confirmSubscription(deps, {
    leadId,
    formId,
    ip: clientIp(event, ipHeader),
  });
  logger.info('double opt-in confirmation', { leadId, formId, status });
  if (wantsJson) return json(200, { status });
  return htmlResponse(200, confirmedPage(status));
});
