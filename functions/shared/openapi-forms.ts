import {
  formActivatedSchema,
  formEmbedSchema,
  formListSchema,
  formVersionSchema,
  formVersionsSchema,
} from '../core/capture/form-responses';
import { formBodySchema } from '../core/capture/form-versions';
import {
  activationBody,
  activationErrors,
  auth,
  bearer,
  body,
  err,
  jsonBodyErrors,
  ok,
  pathParam,
  versionConflict,
} from './openapi-parts';

/** Paths of the forms admin (functions/handlers/admin-forms.ts); merge with `formSchemas`. */
export const formSchemas = {
  FormList: formListSchema,
  FormVersions: formVersionsSchema,
  FormVersion: formVersionSchema,
  FormBody: formBodySchema,
  FormActivated: formActivatedSchema,
  FormEmbed: formEmbedSchema,
};

const formId = pathParam('formId');
const version = pathParam('version');
const unknownForm = err('No such form, or an id no form can have (form_not_found)');

export const formPaths = {
  '/v1/admin/forms': {
    get: {
      summary: 'Every form: its active and latest version and the last change, who and when (marketing)',
      security: bearer,
      responses: { '200': ok('The forms, by id', 'FormList'), ...auth },
    },
  },
  '/v1/admin/forms/{formId}': {
    get: {
      summary: "A form's active version (with its document) and every version, newest first",
      security: bearer,
      parameters: [formId],
      responses: { '200': ok('Active version and versions', 'FormVersions'), '404': unknownForm, ...auth },
    },
  },
  '/v1/admin/forms/{formId}/versions': {
    post: {
      summary:
        'Add a version of a form (a new form with its first), not active yet: validated as `config check` does',
      security: bearer,
      parameters: [formId],
      requestBody: body('FormBody'),
      responses: {
        '201': ok('Version added, with who added it', 'VersionAdded'),
        '400': err('Invalid form: details at form.<path>, each message naming the field in words'),
        '404': unknownForm,
        ...versionConflict,
        ...jsonBodyErrors('64 KB'),
        ...auth,
      },
    },
  },
  '/v1/admin/forms/{formId}/versions/{version}': {
    get: {
      summary: 'One version of a form, with its document',
      security: bearer,
      parameters: [formId, version],
      responses: {
        '200': ok('The version', 'FormVersion'),
        '400': err('Not a version number'),
        '404': err('No such form or version (form_not_found, version_not_found)'),
        ...auth,
      },
    },
  },
  '/v1/admin/forms/{formId}/versions/{version}/activate': {
    post: {
      summary: 'Make a version the active one: submissions use it within the config cache time',
      security: bearer,
      parameters: [formId, version],
      requestBody: activationBody,
      responses: {
        '200': ok('Activated, with who activated it', 'FormActivated'),
        '400': err('Not a version number, or an invalid body'),
        ...activationErrors,
        '404': err('No such form or version (form_not_found, version_not_found)'),
        ...auth,
      },
    },
  },
  '/v1/admin/forms/{formId}/embed': {
    get: {
      summary: "The HTML to paste for the form's active version: the form and the embed script tag",
      security: bearer,
      parameters: [formId],
      responses: {
        '200': ok('The snippet', 'FormEmbed'),
        '404': err('No active version (form_not_found)'),
        ...auth,
      },
    },
  },
};
