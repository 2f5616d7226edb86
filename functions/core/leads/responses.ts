import * as z from 'zod/mini';

/** Answers of /v1/activities and the erase (functions/core/leads), documented in /v1/openapi.json. */
export const activityRecordedSchema = z.object({
  leadId: z.string(),
  activityId: z.string(),
  status: z.enum(['accepted', 'duplicate']),
});

export const activityBatchSchema = z.object({
  results: z.array(
    z.union([
      activityRecordedSchema,
      z.object({
        leadId: z.string(),
        status: z.literal('failed'),
        error: z.object({ code: z.string(), message: z.string() }),
      }),
    ]),
  ),
});

/** DELETE /v1/admin/leads/{leadId}: what `eraseLead` removed. */
export const leadErasedSchema = z.object({
  leadId: z.string(),
  erased: z.literal(true),
  items: z.number(),
  deliveries: z.number(),
});
