import { authorize } from '../core/kernel/auth';
import { activitiesBodySchema } from '../core/leads/activity-input';
import { ingestActivities } from '../core/leads/ingest-activities';
import type { RecordDeps } from '../core/leads/record-activity';
import { type HttpEvent, header, json } from '../shared/http';
import { parseJsonBody } from '../shared/json-body';
import { logger } from '../shared/logger';
import { httpHandler } from '../shared/middleware';
import { recordingWithImmediateHandoff } from '../shared/wiring/handoff';
import { requestVerifier } from '../shared/wiring/request-verifier';
import '../shared/identity';

const tokens = requestVerifier();
const deps: RecordDeps = recordingWithImmediateHandoff();
// A batch of 100 events with properties needs more room than a form.
const MAX_BODY_BYTES = 256 * 1024;

/** POST /v1/activities (ingest token): one event → 202, a batch → 200 with a result per event. */
export const handler = httpHandler(async (event: HttpEvent) => {
  const caller = await authorize(tokens, header(event, 'authorization'), ['ingest']);
  const body = parseJsonBody(event, activitiesBodySchema, MAX_BODY_BYTES);
  const batch = 'activities' in body;
  const results = await ingestActivities(deps, batch ? body.activities : [body], caller.name);
  logger.info('activities', {
    count: results.length,
    failed: results.filter((r) => r.status === 'failed').length,
  });
  if (batch) {
    return json(200, {
      results: results.map((r) =>
        r.status === 'failed' ? { ...r, error: { code: r.error.code, message: r.error.message } } : r,
      ),
    });
  }
  const [result] = results;
  if (result?.status === 'failed') throw result.error;
  return json(202, result);
});
