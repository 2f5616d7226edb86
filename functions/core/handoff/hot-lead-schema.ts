import * as z from 'zod/mini';
import { leadIdSchema } from '../kernel/lead-id';
import { HOT_LEAD_SCHEMA } from './hot-lead-message';
import { LEAD_ERASED_SCHEMA } from './lead-erased';

/** The hot-lead message as a schema: served as JSON Schema at /v1/schemas/hot-lead.v1.json for CRMs. */
export const hotLeadMessageSchema = z.object({
  schema: z.literal(HOT_LEAD_SCHEMA),
  leadId: leadIdSchema,
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

/** The erase event as a schema: served as JSON Schema at /v1/schemas/lead-erased.v1.json for CRMs. */
export const leadErasedMessageSchema = z.object({
  schema: z.literal(LEAD_ERASED_SCHEMA),
  leadId: leadIdSchema,
  erasedAt: z.iso.datetime(),
});

export function leadErasedJsonSchema() {
  return {
    $id: 'https://leadflow.dev/schemas/lead-erased.v1.json',
    title: 'Leadflow lead erased (v1)',
    description:
      'Sent on the hot-lead queue when a lead is erased (GDPR): forget the person and remove them from the CRM. ' +
      'MessageGroupId = leadId, so it follows any hot-lead message of that lead; MessageDeduplicationId = leadId-erased-<erasedAt digits>.',
    ...z.toJSONSchema(leadErasedMessageSchema, { target: 'draft-2020-12' }),
  };
}
