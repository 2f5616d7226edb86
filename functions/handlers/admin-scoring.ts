import { activateVersion, addVersion, listVersions, parseVersion } from '../core/config-versions/versions';
import { authorize } from '../core/kernel/auth';
import { changedBy } from '../core/kernel/changed-by';
import { RouteNotFoundError } from '../core/kernel/errors';
import { backtestBodySchema, modelBodySchema, simulateBodySchema } from '../core/scoring/admin-bodies';
import { validateScoringModel } from '../core/scoring/model-schema';
import { startRescore } from '../core/scoring/rescore-job';
import { backtest, draftModel, SCORING_MODEL, simulate } from '../core/scoring/simulate-backtest';
import { activationBasedOn } from '../shared/activation-body';
import { type HttpEvent, header, json } from '../shared/http';
import { parseJsonBody } from '../shared/json-body';
import { httpHandler } from '../shared/middleware';
import { requestVerifier } from '../shared/wiring/request-verifier';
import { scoringPorts } from '../shared/wiring/scoring';
import '../shared/identity';

const tokens = requestVerifier();
const { ports, versions, models } = scoringPorts();
const MAX_BODY_BYTES = 256 * 1024;

/** /v1/admin/scoring...: the model's versions, validation, simulation, backtests, rescore progress (marketing). */
export const handler = httpHandler(async (event: HttpEvent) => {
  const by = changedBy(await authorize(tokens, header(event, 'authorization'), ['marketing']));
  const now = new Date();
  switch (event.routeKey) {
    case 'GET /v1/admin/scoring':
      return json(200, await listVersions(versions));
    case 'POST /v1/admin/scoring/validate': {
      const { model } = parseJsonBody(event, modelBodySchema, MAX_BODY_BYTES);
      const result = validateScoringModel(model);
      return json(
        200,
        result.ok ? { valid: true, warnings: result.warnings } : { valid: false, errors: result.errors },
      );
    }
    case 'POST /v1/admin/scoring/versions': {
      const { model, basedOn } = parseJsonBody(event, modelBodySchema, MAX_BODY_BYTES);
      const draft = draftModel(model);
      const document = { document: draft.model, warnings: draft.warnings };
      return json(201, await addVersion(versions, document, now, by, { what: SCORING_MODEL, basedOn }));
    }
    case 'POST /v1/admin/scoring/versions/{version}/activate': {
      const version = parseVersion(event.pathParameters?.version);
      const basedOn = activationBasedOn(event);
      const active = await activateVersion(versions, SCORING_MODEL, version, now, by, basedOn);
      const job = await startRescore(ports, version);
      return json(202, { active, rescore: job });
    }
    case 'POST /v1/admin/scoring/simulate':
      return json(
        200,
        await simulate(
          { leads: ports.leads, models, now },
          parseJsonBody(event, simulateBodySchema, MAX_BODY_BYTES),
        ),
      );
    case 'POST /v1/admin/scoring/backtest':
      return json(
        200,
        await backtest({ leads: ports.leads, now }, parseJsonBody(event, backtestBodySchema, MAX_BODY_BYTES)),
      );
    case 'GET /v1/admin/scoring/rescore':
      return json(200, { job: (await ports.jobs.latest()) ?? null });
    default:
      throw new RouteNotFoundError();
  }
});
