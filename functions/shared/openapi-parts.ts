/** Building blocks of the OpenAPI path objects (functions/shared/openapi-paths.ts, openapi-nurture.ts). */
export const ok = (description: string) => ({ description });
export const err = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});
export const body = (ref: string) => ({
  required: true,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});
export const bearer = [{ bearer: [] }];
export const auth = { '401': err('No valid token'), '403': err('Token role not allowed') };
export const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
