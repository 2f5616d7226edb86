import { CachedFormCatalog } from '../adapters/dynamodb/form-catalog';
import { DynamoFormCounters } from '../adapters/dynamodb/form-counters';
import { DynamoRateLimiter } from '../adapters/dynamodb/rate-limiter';
import { type CaptureDeps, captureSubmission } from '../core/capture/capture';
import { isFormId } from '../core/capture/form';
import { FormNotFoundError } from '../core/kernel/errors';
import { dynamo } from '../shared/clients';
import { intEnv, nonNegativeIntEnv, requireEnv } from '../shared/env';
import { acceptedResponse, corsHeaders, failedResponse, preflight } from '../shared/form-response';
import { type HttpEvent, header } from '../shared/http';
import { logger } from '../shared/logger';
import { httpHandler } from '../shared/middleware';
import { recordDeps } from '../shared/record-wiring';
import { type BodyEncoding, encodingOf, parseSubmissionBody } from '../shared/request-body';
import { steadyDuration } from '../shared/steady-duration';
import '../shared/identity';

const tableName = requireEnv('LEADFLOW_TABLE_NAME');
const record = recordDeps();
const deps: CaptureDeps = {
  ...record,
  forms: new CachedFormCatalog(record.config, intEnv('LEADFLOW_CONFIG_CACHE_SECONDS', 30) * 1000),
  limiter: new DynamoRateLimiter(dynamo, tableName),
  counters: new DynamoFormCounters(dynamo, tableName),
  limits: {
    perIpPerMinute: intEnv('LEADFLOW_RATE_LIMIT_PER_IP_PER_MIN', 30),
    perEmailPerMinute: intEnv('LEADFLOW_RATE_LIMIT_PER_EMAIL_PER_MIN', 5),
    confirmationsPerIpPerHour: intEnv('LEADFLOW_CONFIRMATIONS_PER_IP_PER_HOUR', 10),
  },
};
/** Known and new addresses answer alike (see steady-duration.ts); 0 turns the floor off. */
const minimumResponseMs = nonNegativeIntEnv('LEADFLOW_CAPTURE_MIN_RESPONSE_MS', 150);
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
    let encoding: BodyEncoding | undefined = encodingOf(event);
    let backTo = header(event, 'referer');
    try {
      const parsed = parseSubmissionBody(event);
      encoding = parsed.encoding;
      if (typeof parsed.body._page === 'string') backTo = parsed.body._page;
      const result = await captureSubmission(deps, {
        formId,
        body: parsed.body,
        ip: event.requestContext.http.sourceIp,
        origin,
        referer: header(event, 'referer'),
        idempotencyKey: header(event, 'idempotency-key')?.slice(0, 255),
      });
      logger.info('form submission', { formId, outcome: result.outcome, leadId: result.leadId });
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
