import * as z from 'zod/mini';

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
