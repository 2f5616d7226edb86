import { type CaptureDeps, captureSubmission } from '../core/capture/capture';
import { isFormId } from '../core/capture/form';
import { FormNotFoundError } from '../core/kernel/errors';
import { clientIp } from '../shared/client-ip';
import { captureConfig, clientIpConfig } from '../shared/config';
import { acceptedResponse, corsHeaders, failedResponse, preflight } from '../shared/form-response';
import { type HttpEvent, header } from '../shared/http';
import { logger } from '../shared/logger';
import { httpHandler } from '../shared/middleware';
import { count, countLeadCaptured } from '../shared/observability/metrics';
import { type BodyEncoding, encodingOf, parseSubmissionBody } from '../shared/request-body';
import { steadyDuration } from '../shared/steady-duration';
import { captureDeps } from '../shared/wiring/capture';
import '../shared/identity';

// Parsed at cold start: a bad LEADFLOW_CLIENT_IP_HEADER fails the container, not a request.
const ipHeader = clientIpConfig().header;

const deps: CaptureDeps = captureDeps();
/** Known and new addresses answer alike (see steady-duration.ts); 0 turns the floor off. */
const { minimumResponseMs } = captureConfig();
/** The active form; an id no form can have (too long, other characters) is never looked up. */
const activeForm = async (formId: string) => (isFormId(formId) ? deps.forms.activeForm(formId) : undefined);

/** POST (and CORS preflight) /v1/forms/{formId}/submissions */
export const handler = httpHandler(
  async (event: HttpEvent) => {
    const formId = event.pathParameters?.formId ?? '';
    const origin = header(event, 'origin');
    if (event.requestContext.http.method === 'OPTIONS') {
      const form = await activeForm(formId);
      if (!form) throw new FormNotFoundError(formId);
      return preflight(form, origin);
    }
    count('FormSubmissions');
    let encoding: BodyEncoding | undefined = encodingOf(event);
    let backTo = header(event, 'referer');
    try {
      const parsed = parseSubmissionBody(event);
      encoding = parsed.encoding;
      if (typeof parsed.body._page === 'string') backTo = parsed.body._page;
      const result = await captureSubmission(deps, {
        formId,
        body: parsed.body,
        ip: clientIp(event, ipHeader),
        origin,
        referer: header(event, 'referer'),
        idempotencyKey: header(event, 'idempotency-key')?.slice(0, 255),
      });
      logger.info('form submission', { formId, outcome: result.outcome, leadId: result.leadId });
      if (result.outcome === 'accepted' && !result.duplicate) countLeadCaptured('form');
      return acceptedResponse(result, encoding, corsHeaders(result.form, origin));
    } catch (error) {
      const form = await activeForm(formId);
      logger.info('form submission refused', {
        formId,
        error: error instanceof Error ? error.name : 'unknown',
      });
      return failedResponse(error, form, encoding, backTo, corsHeaders(form, origin));
    }
  },
  steadyDuration({ minimumMs: minimumResponseMs }),
);
