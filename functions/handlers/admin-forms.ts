import {
  activateForm,
  addFormVersion,
  formEmbed,
  formIdFrom,
  formVersion,
  formVersions,
  listForms,
} from '../core/capture/form-admin';
import { formBodySchema } from '../core/capture/form-versions';
import { parseVersion } from '../core/config-versions/versions';
import { authorize } from '../core/kernel/auth';
import { changedBy } from '../core/kernel/changed-by';
import { RouteNotFoundError } from '../core/kernel/errors';
import { activationBasedOn } from '../shared/activation-body';
import { publicUrlIfSet } from '../shared/config';
import { type HttpEvent, header, json } from '../shared/http';
import { parseJsonBody } from '../shared/json-body';
import { httpHandler } from '../shared/middleware';
import { formAdminDeps } from '../shared/wiring/forms';
import { requestVerifier } from '../shared/wiring/request-verifier';

const tokens = requestVerifier();
const deps = formAdminDeps();
const configuredPublicUrl = publicUrlIfSet();
const FORM_BODY_BYTES = 64 * 1024;

/**
 * Where the embed snippet posts: LEADFLOW_PUBLIC_URL when set, else the API the request came in
 * on (https; the local stack serves loopback hosts over http).
 */
function apiUrlOf(event: HttpEvent): string {
  if (configuredPublicUrl) return configuredPublicUrl;
  const host = event.requestContext.domainName;
  const loopback = /^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host);
  return `${header(event, 'x-forwarded-proto') ?? (loopback ? 'http' : 'https')}://${host}`;
}

/** /v1/admin/forms...: forms as versions (list, add, activate), the embed snippet (marketing). */
export const handler = httpHandler(async (event: HttpEvent) => {
  const by = changedBy(await authorize(tokens, header(event, 'authorization'), ['marketing']));
  const now = new Date();
  const formId = () => formIdFrom(event.pathParameters?.formId);
  switch (event.routeKey) {
    case 'GET /v1/admin/forms':
      return json(200, await listForms(deps));
    case 'GET /v1/admin/forms/{formId}':
      return json(200, await formVersions(deps, formId()));
    case 'GET /v1/admin/forms/{formId}/versions/{version}':
      return json(200, await formVersion(deps, formId(), parseVersion(event.pathParameters?.version)));
    case 'POST /v1/admin/forms/{formId}/versions': {
      const { form, basedOn } = parseJsonBody(event, formBodySchema, FORM_BODY_BYTES);
      return json(201, await addFormVersion(deps, formId(), form, by, now, basedOn));
    }
    case 'POST /v1/admin/forms/{formId}/versions/{version}/activate': {
      const version = parseVersion(event.pathParameters?.version);
      const basedOn = activationBasedOn(event);
      return json(200, { active: await activateForm(deps, formId(), version, by, now, basedOn) });
    }
    case 'GET /v1/admin/forms/{formId}/embed':
      return json(200, await formEmbed(deps, formId(), apiUrlOf(event)));
    default:
      throw new RouteNotFoundError();
  }
});
