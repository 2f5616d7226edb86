/** Building blocks of the OpenAPI path objects (functions/shared/openapi.ts, openapi-paths.ts, openapi-nurture.ts). */
const ref = (name: string) => ({ schema: { $ref: `#/components/schemas/${name}` } });
/** A 2xx with a JSON body of the named component schema. */
export const ok = (description: string, schema: string) => ({
  description,
  content: { 'application/json': ref(schema) },
});
export const err = (description: string) => ({ description, content: { 'application/json': ref('Error') } });
/** A page for a person following an email link: text/html. */
export const html = (description: string) => ({
  description,
  content: { 'text/html': { schema: { type: 'string' } } },
});
/** The link routes answer a page, or JSON when the request's Accept asks for it. */
export const htmlOrJson = (description: string, schema: string) => ({
  description,
  content: { 'text/html': { schema: { type: 'string' } }, 'application/json': ref(schema) },
});
export const body = (name: string) => ({ required: true, content: { 'application/json': ref(name) } });
export const bearer = [{ bearer: [] }];
export const auth = { '401': err('No valid token'), '403': err('Token role not allowed') };
export const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
/** Routes that read a JSON body (functions/shared/json-body.ts): over the route's limit, or not JSON. */
export const jsonBodyErrors = (limit: string) => ({
  '413': err(`Body over ${limit} (payload_too_large)`),
  '415': err('Not application/json (unsupported_media_type)'),
});
/** An edit based on a version (`basedOn`) that is no longer the active one: nothing stored. */
export const versionConflict = {
  '409': err(
    'Another version was activated since the edit’s `basedOn` (version_conflict): nothing stored; the message says who activated which version when',
  ),
};
/** An activation's optional `{basedOn}` body (none: no check), with its 409 and body errors. */
export const activationBody = {
  required: false,
  content: { 'application/json': ref('ActivateVersionBody') },
};
export const activationErrors = { ...versionConflict, ...jsonBodyErrors('1 KB') };
/** Capturing a lead while the same person is being erased: nothing stored, retry later. */
export const beingErased = {
  '409': err("The person's data is being erased right now (lead_being_erased): nothing stored"),
};
