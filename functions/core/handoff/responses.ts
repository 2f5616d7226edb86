import * as z from 'zod/mini';
import { SALES_OUTCOMES } from '../leads/lead';
import { hotLeadMessageSchema } from './hot-lead-schema';

/** Answers of /v1/sales/... (functions/core/handoff/sales.ts builds them), documented in /v1/openapi.json. */
const message = hotLeadMessageSchema.def.shape;

/** POST /v1/sales/claims: the hot lead, and the signed token that proves the claim. */
export const leadCardSchema = z.object({
  leadId: z.string(),
  email: z.string(),
  stage: z.string(),
  profile: message.profile,
  score: message.score,
  whyHot: message.whyHot,
  source: message.source,
  handoff: z.number(),
  becameHotAt: z.string(),
  recentActivity: z.array(
    z.object({ type: z.string(), at: z.string(), source: z.string(), formId: z.optional(z.string()) }),
  ),
  claimToken: z.string().check(z.describe('Signed, under 50 characters')),
  claimExpiresAt: z.string(),
});

export type LeadCard = z.infer<typeof leadCardSchema>;

export const claimExtendedSchema = z.object({ claimExpiresAt: z.string() });
export type ClaimExtended = z.infer<typeof claimExtendedSchema>;
export const claimReleasedSchema = z.object({ released: z.literal(true) });
export const outcomeRecordedSchema = z.object({
  leadId: z.string(),
  outcome: z.enum(SALES_OUTCOMES),
  stage: z.string(),
  claimOpen: z.boolean(),
});
export type OutcomeRecorded = z.infer<typeof outcomeRecordedSchema>;
export const salesQueueSchema = z.object({
  pending: z.number(),
  waiting: z.number(),
  claimed: z.number(),
  oldestWaitingSince: z.nullable(z.string()),
});
