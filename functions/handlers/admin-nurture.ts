import {
  activateVersion,
  addVersion,
  findVersion,
  listVersions,
  parseVersion,
} from '../core/config-versions/versions';
import { authorize } from '../core/kernel/auth';
import { RouteNotFoundError } from '../core/kernel/errors';
import { newId } from '../core/kernel/ids';
import {
  broadcastBodySchema,
  broadcastDraftBodySchema,
  broadcastPreviewBodySchema,
  broadcastScheduleBodySchema,
  configBodySchema,
  enrollBodySchema,
  previewBodySchema,
  testSendBodySchema,
} from '../core/nurture/admin-bodies';
import { broadcastIdFor } from '../core/nurture/broadcast';
import {
  cancelBroadcast,
  findBroadcast,
  listBroadcasts,
  scheduleDraft,
  updateDraft,
} from '../core/nurture/broadcast-lifecycle';
import { createBroadcast, previewBroadcastFor, progressView } from '../core/nurture/broadcast-requests';
import { broadcastResults } from '../core/nurture/broadcast-results';
import { enrollLead } from '../core/nurture/manual-enrollment';
import { diffConfigs, draftConfig, NURTURE_CONFIG } from '../core/nurture/nurture-versions';
import { checkNurtureConfig } from '../core/nurture/publish-config';
import { previewSequenceFor } from '../core/nurture/sequence-preview';
import { templatePreviewBodySchema } from '../core/nurture/template-bodies';
import { previewTemplate } from '../core/nurture/template-preview';
import { templateVariables } from '../core/nurture/template-variables';
import { sendProof } from '../core/nurture/test-send';
import { listSegments, previewSegmentFor, segmentPreviewEnvelopeSchema } from '../core/segments/segments';
import { activationBasedOn } from '../shared/activation-body';
import { type HttpEvent, type HttpResult, header, json } from '../shared/http';
import { parseJsonBody } from '../shared/json-body';
import { httpHandler } from '../shared/middleware';
import { broadcastReport } from '../shared/wiring/broadcasts';
import { nurtureAdminDeps } from '../shared/wiring/nurture';
import { requestVerifier } from '../shared/wiring/request-verifier';
import '../shared/identity';

const tokens = requestVerifier();
const deps = nurtureAdminDeps();
const { versions } = deps;
const report = broadcastReport();
const CONFIG_BODY_BYTES = 512 * 1024;
const BODY_BYTES = 64 * 1024;
/** A draft template: up to 100,000 characters each of MJML or HTML and text. */
const TEMPLATE_BODY_BYTES = 256 * 1024;

/**
 * /v1/admin/nurture, sequences, templates, broadcasts, segments (marketing): the nurture config as
 * versions, previews, proofs, manual enrollment and broadcasts.
 */
export const handler = httpHandler(async (event: HttpEvent): Promise<HttpResult> => {
  const caller = await authorize(tokens, header(event, 'authorization'), ['marketing']);
  const now = new Date();
  const id = event.pathParameters?.id ?? '';
  const by = { name: caller.name, ...(caller.username ? { username: caller.username } : {}) };
  switch (event.routeKey) {
    case 'GET /v1/admin/nurture':
      return json(200, await listVersions(versions));
    case 'POST /v1/admin/nurture/validate': {
      const { config } = parseJsonBody(event, configBodySchema, CONFIG_BODY_BYTES);
      const result = await checkNurtureConfig(config);
      return json(
        200,
        result.ok ? { valid: true, warnings: result.warnings } : { valid: false, errors: result.errors },
      );
    }
    case 'POST /v1/admin/nurture/versions': {
      const { config, basedOn } = parseJsonBody(event, configBodySchema, CONFIG_BODY_BYTES);
      const draft = await draftConfig(config);
      const document = { document: draft.config, warnings: draft.warnings };
      return json(201, await addVersion(versions, document, now, by, { what: NURTURE_CONFIG, basedOn }));
    }
    case 'POST /v1/admin/nurture/versions/{version}/activate': {
      const version = parseVersion(event.pathParameters?.version);
      const basedOn = activationBasedOn(event);
      return json(200, {
        active: await activateVersion(versions, NURTURE_CONFIG, version, now, by, basedOn),
      });
    }
    case 'GET /v1/admin/nurture/versions/{version}/diff/{other}': {
      const from = parseVersion(event.pathParameters?.version, 'version');
      const to = parseVersion(event.pathParameters?.other, 'other');
      const [a, b] = await Promise.all([
        findVersion(versions, NURTURE_CONFIG, from),
        findVersion(versions, NURTURE_CONFIG, to),
      ]);
      return json(200, { from, to, ...diffConfigs(a.document, b.document) });
    }
    case 'POST /v1/admin/sequences/{id}/preview':
      return json(
        200,
        await previewSequenceFor(
          { ...deps, unsubscribeUrl: deps.unsubscribeUrlFor(event.requestContext.domainName) },
          id,
          parseJsonBody(event, previewBodySchema, BODY_BYTES),
          now,
        ),
      );
    case 'POST /v1/admin/sequences/{id}/enrollments':
      return json(
        201,
        await enrollLead(deps, id, parseJsonBody(event, enrollBodySchema, BODY_BYTES), caller, now),
      );
    case 'POST /v1/admin/templates/preview':
      return json(
        200,
        await previewTemplate(deps, parseJsonBody(event, templatePreviewBodySchema, TEMPLATE_BODY_BYTES)),
      );
    case 'GET /v1/admin/templates/variables':
      return json(200, templateVariables((await versions.active())?.document));
    case 'POST /v1/admin/templates/{id}/test-send':
      return json(202, await sendProof(deps, id, parseJsonBody(event, testSendBodySchema, BODY_BYTES)));
    case 'GET /v1/admin/segments':
      return json(200, await listSegments(versions));
    case 'POST /v1/admin/segments/preview':
      return json(
        200,
        await previewSegmentFor(deps, parseJsonBody(event, segmentPreviewEnvelopeSchema, BODY_BYTES)),
      );
    case 'POST /v1/admin/broadcasts/preview':
      return json(
        200,
        await previewBroadcastFor(deps, parseJsonBody(event, broadcastPreviewBodySchema, BODY_BYTES)),
      );
    case 'GET /v1/admin/broadcasts':
      return json(200, await listBroadcasts(deps, { ...event.queryStringParameters }, now));
    case 'POST /v1/admin/broadcasts': {
      const body = parseJsonBody(event, broadcastBodySchema, BODY_BYTES);
      const broadcastId = broadcastIdFor(
        caller.name,
        header(event, 'idempotency-key')?.slice(0, 255),
        newId('bc', now),
      );
      return json(body.draft ? 201 : 202, await createBroadcast(deps, body, broadcastId, by, now));
    }
    case 'GET /v1/admin/broadcasts/{id}':
      return json(200, progressView(await findBroadcast(deps, id), now));
    case 'PUT /v1/admin/broadcasts/{id}':
      return json(
        200,
        await updateDraft(deps, id, parseJsonBody(event, broadcastDraftBodySchema, BODY_BYTES), by, now),
      );
    case 'POST /v1/admin/broadcasts/{id}/schedule':
      return json(
        202,
        await scheduleDraft(deps, id, parseJsonBody(event, broadcastScheduleBodySchema, BODY_BYTES), by, now),
      );
    case 'POST /v1/admin/broadcasts/{id}/cancel':
      return json(200, await cancelBroadcast(deps, id, by, now));
    case 'GET /v1/admin/broadcasts/{id}/results':
      return json(200, await broadcastResults({ report }, await findBroadcast(deps, id), now));
    default:
      throw new RouteNotFoundError();
  }
});
