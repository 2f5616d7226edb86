import { DynamoBroadcastStore } from '../adapters/dynamodb/broadcast-store';
import { DynamoConfigStore } from '../adapters/dynamodb/config-store';
import { DynamoLeadStore } from '../adapters/dynamodb/lead-store';
import { NURTURE_CONFIG_ID } from '../adapters/dynamodb/nurture-configs';
import { DynamoSuppressionStore } from '../adapters/dynamodb/suppression-store';
import { DynamoTokenStore } from '../adapters/dynamodb/token-store';
import { SesMailer } from '../adapters/ses/ses-mailer';
import { SqsEmailJobs } from '../adapters/sqs/email-job-queue';
import { authorize } from '../core/kernel/auth';
import { RouteNotFoundError, ValidationError } from '../core/kernel/errors';
import { newId } from '../core/kernel/ids';
import {
  configVersion,
  createBroadcast,
  diffConfigs,
  draftConfig,
  enrollLead,
  NurtureNotFoundError,
  type NurtureVersions,
  previewBroadcastFor,
  previewSequenceFor,
  progressView,
  sendProof,
} from '../core/nurture/admin';
import {
  broadcastBodySchema,
  broadcastPreviewBodySchema,
  configBodySchema,
  enrollBodySchema,
  previewBodySchema,
  testSendBodySchema,
} from '../core/nurture/admin-bodies';
import { BROADCAST_ID, broadcastIdFor } from '../core/nurture/broadcast';
import type { NurtureConfig } from '../core/nurture/config-schema';
import { validateNurtureConfig } from '../core/nurture/validate-config';
import { dynamo } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { type HttpEvent, type HttpResult, header, json } from '../shared/http';
import { parseJsonBody } from '../shared/json-body';
import { httpHandler } from '../shared/middleware';
import { ses, unsubscribeLinks } from '../shared/nurture-wiring';
import { queueUrlEnv } from '../shared/routes';
import { sqs } from '../shared/sqs';
import '../shared/identity';

const tableName = requireEnv('LEADFLOW_TABLE_NAME');
const emailJobs = new SqsEmailJobs(sqs, requireEnv(queueUrlEnv('email-jobs')));
const tokens = new DynamoTokenStore(dynamo, tableName);
const configs = new DynamoConfigStore(dynamo, tableName);
const leads = new DynamoLeadStore(dynamo, tableName);
const suppressions = new DynamoSuppressionStore(dynamo, tableName);
const broadcasts = new DynamoBroadcastStore(dynamo, tableName);
const mailer = new SesMailer(ses, process.env.LEADFLOW_SES_CONFIGURATION_SET);
/**
 * Where unsubscribe links point: LEADFLOW_PUBLIC_URL when set (a custom domain); else the API this
 * request came in on — this function serves a route, so its env cannot name the API's own
 * endpoint without a dependency cycle in CDK.
 */
const configuredPublicUrl = process.env.LEADFLOW_PUBLIC_URL?.trim().replace(/\/+$/, '') || undefined;
const linksFor = (event: HttpEvent) =>
  unsubscribeLinks(configuredPublicUrl ?? `https://${event.requestContext.domainName}`);
// No cache: the admin sees what is active right now.
const versions: NurtureVersions = {
  async active() {
    const stored = await configs.active('nurture', NURTURE_CONFIG_ID);
    return stored && { config: stored.document as NurtureConfig, version: stored.version };
  },
  async version(version) {
    const stored = await configs.version('nurture', NURTURE_CONFIG_ID, version);
    return stored && { config: stored.document as NurtureConfig, version: stored.version };
  },
};
const requestPage = (broadcastId: string, cursor: string | null) =>
  emailJobs.requestBroadcastPage(broadcastId, cursor);
const CONFIG_BODY_BYTES = 512 * 1024;
const BODY_BYTES = 64 * 1024;

/**
 * /v1/admin/nurture, sequences, templates, broadcasts (marketing): the nurture config as
 * versions, previews, proofs, manual enrollment and broadcasts.
 */
export const handler = httpHandler(async (event: HttpEvent): Promise<HttpResult> => {
  const caller = await authorize(tokens, header(event, 'authorization'), ['marketing']);
  const now = new Date();
  const id = event.pathParameters?.id ?? '';
  switch (event.routeKey) {
    case 'GET /v1/admin/nurture': {
      const [active, list] = await Promise.all([
        configs.active('nurture', NURTURE_CONFIG_ID),
        configs.versions('nurture', NURTURE_CONFIG_ID),
      ]);
      return json(200, { active: active ?? null, versions: list });
    }
    case 'POST /v1/admin/nurture/validate': {
      const { config } = parseJsonBody(event, configBodySchema, CONFIG_BODY_BYTES);
      const result = validateNurtureConfig(config);
      return json(
        200,
        result.ok ? { valid: true, warnings: result.warnings } : { valid: false, errors: result.errors },
      );
    }
    case 'POST /v1/admin/nurture/versions': {
      const { config } = parseJsonBody(event, configBodySchema, CONFIG_BODY_BYTES);
      const draft = draftConfig(config);
      const stored = await configs.addVersion('nurture', NURTURE_CONFIG_ID, draft.config, now);
      return json(201, { version: stored.version, createdAt: stored.createdAt, warnings: draft.warnings });
    }
    case 'POST /v1/admin/nurture/versions/{version}/activate': {
      const version = versionParam(event.pathParameters?.version, 'version');
      const active = await configs.activate('nurture', NURTURE_CONFIG_ID, version, now);
      if (!active)
        throw new NurtureNotFoundError('version_not_found', `No nurture config version ${version}.`);
      return json(200, { active: { version, activatedAt: active.activatedAt } });
    }
    case 'GET /v1/admin/nurture/versions/{version}/diff/{other}': {
      const from = versionParam(event.pathParameters?.version, 'version');
      const to = versionParam(event.pathParameters?.other, 'other');
      const [a, b] = await Promise.all([configVersion(versions, from), configVersion(versions, to)]);
      return json(200, { from, to, ...diffConfigs(a.config, b.config) });
    }
    case 'POST /v1/admin/sequences/{id}/preview':
      return json(
        200,
        await previewSequenceFor(
          { versions, leads, unsubscribeUrl: linksFor(event) },
          id,
          parseJsonBody(event, previewBodySchema, BODY_BYTES),
          now,
        ),
      );
    case 'POST /v1/admin/sequences/{id}/enrollments':
      return json(
        201,
        await enrollLead(
          { versions, leads },
          id,
          parseJsonBody(event, enrollBodySchema, BODY_BYTES),
          caller.name,
          now,
        ),
      );
    case 'POST /v1/admin/templates/{id}/test-send':
      return json(
        202,
        await sendProof(
          { versions, leads, suppressions, mailer },
          id,
          parseJsonBody(event, testSendBodySchema, BODY_BYTES),
        ),
      );
    case 'POST /v1/admin/broadcasts/preview':
      return json(
        200,
        await previewBroadcastFor(
          { versions, leads, suppressions },
          parseJsonBody(event, broadcastPreviewBodySchema, BODY_BYTES),
        ),
      );
    case 'POST /v1/admin/broadcasts': {
      const body = parseJsonBody(event, broadcastBodySchema, BODY_BYTES);
      const broadcast = await createBroadcast(
        { versions, broadcasts, requestPage },
        body,
        broadcastIdFor(caller.name, header(event, 'idempotency-key')?.slice(0, 255), newId('bc', now)),
        caller.name,
        now,
      );
      return json(202, broadcast);
    }
    case 'GET /v1/admin/broadcasts/{id}': {
      const broadcast = BROADCAST_ID.test(id) ? await broadcasts.get(id) : undefined;
      if (!broadcast) throw new NurtureNotFoundError('broadcast_not_found', 'No broadcast with that id.');
      return json(200, progressView(broadcast));
    }
    default:
      throw new RouteNotFoundError();
  }
});

function versionParam(raw: string | undefined, path: string): number {
  const version = Number(raw);
  if (!/^\d{1,6}$/.test(raw ?? '') || version < 1)
    throw new ValidationError([{ path, message: 'is not a version number' }]);
  return version;
}
