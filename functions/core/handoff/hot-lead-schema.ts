import * as z from 'zod/mini';
import { HOT_LEAD_SCHEMA } from './hot-lead-message';

/** The hot-lead message as a schema: served as JSON Schema at /v1/schemas/hot-lead.v1.json for CRMs. */
export const hotLeadMessageSchema = z.object({
  schema: z.literal(HOT_LEAD_SCHEMA),
  leadId: z.string().check(z.regex(/^ld_[0-9a-f]{24}$/)),
  handoff: z
    .number()
    .check(z.int(), z.minimum(1), z.describe('1 for the first time the lead turned hot, then 2, ...')),
  becameHotAt: z.iso.datetime(),
  email: z.string(),
  profile: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  stage: z.string(),
  score: z.nullable(
    z.object({
      fit: z.number(),
      engagement: z.number(),
      total: z.number(),
      grade: z.enum(['A', 'B', 'C', 'D', 'F']),
      modelVersion: z.number(),
    }),
  ),
  whyHot: z.array(z.object({ rule: z.string(), points: z.number(), reason: z.string() })),
  source: z.object({
    first: z.nullable(z.record(z.string(), z.string())),
    last: z.nullable(z.record(z.string(), z.string())),
  }),
});

export function hotLeadJsonSchema() {
  return {
    $id: 'https://leadflow.dev/schemas/hot-lead.v1.json',
    title: 'Leadflow hot lead (v1)',
    description:
      'One SQS FIFO message per time a lead turns hot. MessageGroupId = leadId; MessageDeduplicationId = leadId-handoff.',
    ...z.toJSONSchema(hotLeadMessageSchema, { target: 'draft-2020-12' }),
  };
}
