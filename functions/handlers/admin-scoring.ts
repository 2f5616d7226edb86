import { CachedScoringModels, SCORING_MODEL_ID } from '../adapters/dynamodb/scoring-models';
import { DynamoTokenStore } from '../adapters/dynamodb/token-store';
import { authorize } from '../core/kernel/auth';
import { RouteNotFoundError, ValidationError } from '../core/kernel/errors';
import {
  backtest,
  backtestBodySchema,
  draftModel,
  modelBodySchema,
  simulate,
  simulateBodySchema,
} from '../core/scoring/admin-bodies';
import { validateScoringModel } from '../core/scoring/model-schema';
import { startRescore } from '../core/scoring/rescore-job';
import { dynamo } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { type HttpEvent, header, json } from '../shared/http';
import { parseJsonBody } from '../shared/json-body';
import { httpHandler } from '../shared/middleware';
import { scoringPorts } from '../shared/scoring-wiring';
import '../shared/identity';

const tokens = new DynamoTokenStore(dynamo, requireEnv('LEADFLOW_TABLE_NAME'));
const { ports, config } = scoringPorts();
// No cache here: the admin sees what is active right now.
const models = new CachedScoringModels(config, 0);
const MAX_BODY_BYTES = 256 * 1024;

/** /v1/admin/scoring...: the model's versions, validation, simulation, backtests, rescore progress (marketing). */
export const handler = httpHandler(async (event: HttpEvent) => {
  await authorize(tokens, header(event, 'authorization'), ['marketing']);
  const now = new Date();
  switch (event.routeKey) {
    case 'GET /v1/admin/scoring': {
      const [active, versions] = await Promise.all([
        config.active('scoring', SCORING_MODEL_ID),
        config.versions('scoring', SCORING_MODEL_ID),
      ]);
      return json(200, { active: active ?? null, versions });
    }
    case 'POST /v1/admin/scoring/validate': {
      const { model } = parseJsonBody(event, modelBodySchema, MAX_BODY_BYTES);
      const result = validateScoringModel(model);
      return json(
        200,
        result.ok ? { valid: true, warnings: result.warnings } : { valid: false, errors: result.errors },
      );
    }
    case 'POST /v1/admin/scoring/versions': {
      const { model } = parseJsonBody(event, modelBodySchema, MAX_BODY_BYTES);
      const draft = draftModel(model);
      const stored = await config.addVersion('scoring', SCORING_MODEL_ID, draft.model, now);
      return json(201, { version: stored.version, createdAt: stored.createdAt, warnings: draft.warnings });
    }
    case 'POST /v1/admin/scoring/versions/{version}/activate': {
      const version = Number(event.pathParameters?.version);
      if (!Number.isInteger(version) || version < 1) {
        throw new ValidationError([{ path: 'version', message: 'is not a version number' }]);
      }
      const active = await config.activate('scoring', SCORING_MODEL_ID, version, now);
      if (!active)
        throw new ValidationError([{ path: 'version', message: `version ${version} does not exist` }]);
      const job = await startRescore(ports, version);
      return json(202, { active: { version, activatedAt: active.activatedAt }, rescore: job });
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
