import * as z from 'zod/mini';
import { STAGES } from './lead';

/** Answers of /v1/activities and the erase (functions/core/leads), documented in /v1/openapi.json. */
export const activityRecordedSchema = z.object({
  leadId: z.string(),
  activityId: z.string(),
  status: z.enum(['accepted', 'duplicate']),
});

export type ActivityRecorded = z.infer<typeof activityRecordedSchema>;
/** One event of a batch that was not recorded, and why. */
export const activityFailedSchema = z.object({
  leadId: z.string(),
  status: z.literal('failed'),
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ActivityFailed = z.infer<typeof activityFailedSchema>;

export const activityBatchSchema = z.object({
  results: z.array(z.union([activityRecordedSchema, activityFailedSchema])),
});

/** DELETE /v1/admin/leads/{leadId}: what `eraseLead` removed. */
export const leadErasedSchema = z.object({
  leadId: z.string(),
  erased: z.literal(true),
  items: z.number(),
  deliveries: z.number(),
});
export type LeadErased = z.infer<typeof leadErasedSchema>;

const describe = <T extends z.ZodMiniType>(schema: T, text: string) => schema.check(z.describe(text));

/** One lead in the list (GET /v1/admin/leads without ?email=): LeadRow of lead-list.ts. */
export const leadRowSchema = z.object({
  leadId: z.string(),
  email: z.string(),
  name: z.nullable(z.string()),
  company: z.nullable(z.string()),
  stage: z.enum(STAGES),
  score: z.nullable(z.number()),
  grade: z.nullable(z.string()),
  source: z.nullable(describe(z.string(), 'First touch: form:<id>, meta, google, linkedin, tiktok, api.')),
  utmCampaign: z.nullable(z.string()),
  formId: z.nullable(z.string()),
  createdAt: z.string(),
  lastActivityAt: z.nullable(z.string()),
  owner: z.nullable(
    describe(z.object({ rep: z.string(), repName: z.string() }), 'The rep sales gave the lead to.'),
  ),
  suppressed: describe(z.boolean(), 'Unsubscribed through Leadflow (marketing consent withdrawn).'),
  test: describe(z.boolean(), "An ad platform's test lead."),
});

export const leadListSchema = z.object({
  leads: z.array(leadRowSchema),
  total: describe(
    z.number(),
    'Leads matching the filter (counted on the first page, carried by the cursor).',
  ),
  totalExact: describe(
    z.boolean(),
    'False when counting would have read too much: total is then an estimate from the part counted.',
  ),
  cursor: z.nullable(describe(z.string(), 'Opaque: pass it back with the same filter for the next page.')),
});

/** POST /v1/admin/leads/{leadId}/notes: the note as stored on the timeline. */
export const noteSchema = z.object({
  noteId: z.string(),
  leadId: z.string(),
  text: z.string(),
  at: z.string(),
  by: z.object({ name: z.string(), username: z.optional(z.string()) }),
});

/** POST /v1/admin/leads/{leadId}/unsubscribe. */
export const leadUnsubscribedSchema = z.object({
  leadId: z.string(),
  unsubscribed: z.literal(true),
  changed: describe(z.boolean(), 'False when the lead had unsubscribed already: nothing changed.'),
});
export type LeadUnsubscribed = z.infer<typeof leadUnsubscribedSchema>;

/** POST /v1/admin/leads/exports: the list's filter and sort, as the list's query parameters. */
export const exportBodySchema = z
  .record(z.string(), z.string().check(z.maxLength(500)))
  .check(
    z.describe(
      'Filter and sort keys of GET /v1/admin/leads (q, stage, grade, scoreMin, ..., sort), as strings',
    ),
  );
export const EXPORT_BODY_BYTES = 16 * 1024;

/** A background lead export: POST /v1/admin/leads/exports, GET /v1/admin/leads/exports/{exportId}. */
export const leadExportSchema = z.object({
  exportId: z.string(),
  status: z.enum(['running', 'ready', 'failed']),
  rows: describe(z.number(), 'Rows written so far (running), or in the file (ready).'),
  createdAt: z.string(),
  finishedAt: z.optional(z.string()),
  error: z.optional(z.string()),
  download: z.optional(
    describe(
      z.object({ url: z.string(), expiresAt: z.string(), fileName: z.string() }),
      'Ready: the CSV (a presigned S3 link on AWS, 15 minutes; locally this API serves it to the person who asked).',
    ),
  ),
});
