import * as z from 'zod/mini';
import { changedBySchema } from '../kernel/changed-by';
import { activationSchema, configVersionSchema, configVersionsSchema } from '../scoring/responses';

/** Answers of /v1/admin/forms... (functions/handlers/admin-forms.ts), documented in /v1/openapi.json. */
const formDocument = z
  .record(z.string(), z.unknown())
  .check(z.describe('A form as in config/forms/<id>.yaml (functions/core/capture/form-schema.ts)'));

export const formListSchema = z.object({
  forms: z.array(
    z.object({
      formId: z.string(),
      name: z.optional(z.string().check(z.describe("The active version's name"))),
      activeVersion: z.nullable(z.number()).check(z.describe('null until a version is activated')),
      latestVersion: z.number(),
      submissionsLast7Days: z
        .number()
        .check(
          z.describe(
            'Submissions captured in the last 7 days, today included (the sources report; a tick behind)',
          ),
        ),
      activatedAt: z.optional(z.string()),
      activatedBy: z.optional(changedBySchema),
      lastChange: z.object({
        at: z.string(),
        what: z.enum(['added', 'activated']),
        version: z.number(),
        by: z.optional(changedBySchema),
      }),
    }),
  ),
});
export const formVersionsSchema = configVersionsSchema(formDocument);
export const formVersionSchema = z.extend(configVersionSchema, { document: formDocument });
export const formActivatedSchema = z.object({ active: activationSchema });
export const formEmbedSchema = z.object({
  formId: z.string(),
  version: z.number().check(z.describe('The active version the snippet is made from')),
  html: z.string().check(z.describe('The form and the embed script tag, to paste into a page')),
});
