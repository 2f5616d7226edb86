import {
  templatePreviewBodySchema,
  templatePreviewSchema,
  templateVariablesSchema,
} from '../core/nurture/template-bodies';
import { auth, bearer, body, err, jsonBodyErrors, ok } from './openapi-parts';

/** Paths of the template editor's routes (functions/handlers/admin-nurture.ts); merge with `templateSchemas`. */
export const templateSchemas = {
  TemplatePreviewBody: templatePreviewBodySchema,
  TemplatePreview: templatePreviewSchema,
  TemplateVariables: templateVariablesSchema,
};

export const templatePaths = {
  '/v1/admin/templates/preview': {
    post: {
      summary:
        'Render a draft template (MJML or HTML) inside the active layout for a lead or the sample profile, as send-email would; writes and sends nothing (marketing)',
      security: bearer,
      requestBody: body('TemplatePreviewBody'),
      responses: {
        '200': ok(
          'Subject, HTML, text and warnings (unknown variables, elements wider than the screen)',
          'TemplatePreview',
        ),
        '400': err(
          'Invalid body, MJML errors with their lines (template.mjml), or Liquid that does not parse',
        ),
        '404': err('Unknown lead or version, or no active config'),
        ...jsonBodyErrors('256 KB'),
        ...auth,
      },
    },
  },
  '/v1/admin/templates/variables': {
    get: {
      summary:
        'The variables and filters a template may use, for completion: standard fields, custom fields in use, stage, score, links (marketing)',
      security: bearer,
      responses: {
        '200': ok('Variables with descriptions and sample values, and filters', 'TemplateVariables'),
        ...auth,
      },
    },
  },
};
