import * as z from 'zod/mini';
import { STAGES } from '../leads/lead';
import { segmentDefinitionSchema, segmentIdSchema } from './segment-schema';

/** Bodies and answers of /v1/admin/segments (documented in /v1/openapi.json from these schemas). */

/**
 * The preview body as the handler reads it: the definition is checked by the use case, so its
 * errors are said in words at `definition.…` (segmentPreviewBodySchema documents its shape).
 */
export const segmentPreviewEnvelopeSchema = z
  .strictObject({ definition: z.optional(z.unknown()), segmentId: z.optional(segmentIdSchema) })
  .check(
    z.refine(
      (body) => (body.definition === undefined) !== (body.segmentId === undefined),
      'give a definition or a segmentId (one of them)',
    ),
  );

/** POST /v1/admin/segments/preview: a definition being edited, or a saved segment of the active config. */
export const segmentPreviewBodySchema = z
  .strictObject({ definition: z.optional(segmentDefinitionSchema), segmentId: z.optional(segmentIdSchema) })
  .check(
    z.refine(
      (body) => (body.definition === undefined) !== (body.segmentId === undefined),
      'give a definition or a segmentId (one of them)',
    ),
  );
export type SegmentPreviewBody = z.infer<typeof segmentPreviewBodySchema>;

export const segmentLeadSchema = z.object({
  leadId: z.string(),
  name: z.nullable(z.string()),
  company: z.nullable(z.string()),
  stage: z.enum(STAGES),
  score: z.nullable(z.number()),
});
export type SegmentLead = z.infer<typeof segmentLeadSchema>;

export const segmentPreviewSchema = z.object({
  count: z.number().check(z.describe('Matching leads among those scanned')),
  complete: z
    .boolean()
    .check(z.describe('False when the time budget ran out before the last lead: count is a lower bound')),
  scanned: z.number(),
  sample: z.array(segmentLeadSchema).check(z.describe('The first 20 matching leads')),
  tookMs: z.number(),
});
export type SegmentPreview = z.infer<typeof segmentPreviewSchema>;

/** GET /v1/admin/segments: the saved segments of the active nurture config. */
export const segmentListSchema = z.object({
  version: z.nullable(z.number().check(z.describe('The active nurture config version (null: none active)'))),
  segments: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      description: z.optional(z.string()),
      definition: segmentDefinitionSchema,
    }),
  ),
});
export type SegmentList = z.infer<typeof segmentListSchema>;
