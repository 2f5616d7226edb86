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

/** GET /v1/sales/claims: a claim the caller holds, as its card (with a working claim token). */
export const myClaimSchema = z.extend(leadCardSchema, { claimedAt: z.string() });
export type MyClaim = z.infer<typeof myClaimSchema>;

/** A lead sales owns through the caller, with its activity since the caller's last outcome. */
export const ownedLeadSchema = z.object({
  leadId: z.string(),
  email: z.string(),
  name: z.nullable(z.string()),
  company: z.nullable(z.string()),
  stage: z.string(),
  score: z.nullable(z.number()),
  since: z.string(),
  lastOutcome: z.nullable(z.string()),
  newActivity: z.array(z.object({ type: z.string(), at: z.string() })),
});
export type OwnedLead = z.infer<typeof ownedLeadSchema>;

export const myClaimsSchema = z.object({
  claims: z.array(myClaimSchema),
  owned: z.array(ownedLeadSchema).check(z.describe('Latest lead write first, up to 25')),
  ownedTotal: z.number(),
});
export type MyClaims = z.infer<typeof myClaimsSchema>;

/** GET /v1/sales/team: the manager view. */
export const teamViewSchema = z.object({
  waiting: z.array(
    z.object({
      leadId: z.string(),
      email: z.string(),
      name: z.nullable(z.string()),
      handoff: z.number(),
      becameHotAt: z.string(),
      waitingSeconds: z.number(),
      slaBreached: z.boolean(),
    }),
  ),
  claims: z.array(
    z.object({
      leadId: z.string(),
      email: z.string(),
      name: z.nullable(z.string()),
      rep: z.string(),
      repName: z.string(),
      handoff: z.number(),
      claimedAt: z.string(),
      expiresAt: z.string(),
      heldSeconds: z.number(),
      lastOutcome: z.nullable(z.string()),
      slaBreached: z.boolean(),
    }),
  ),
  reps: z.array(
    z.object({
      rep: z.string(),
      repName: z.string(),
      claims: z.number(),
      owned: z.number(),
      slaBreaches: z.number(),
    }),
  ),
  /** Owned leads with activity since their owner's last outcome (each rep's 25 latest owned leads). */
  ownedActivity: z.array(
    z.object({
      leadId: z.string(),
      email: z.string(),
      name: z.nullable(z.string()),
      rep: z.string(),
      repName: z.string(),
      lastActivity: z.object({ type: z.string(), at: z.string() }),
      lastOutcome: z.nullable(z.string()),
    }),
  ),
  slaMinutes: z.number(),
});
export type TeamView = z.infer<typeof teamViewSchema>;

export const reassignedSchema = z.object({ leadId: z.string(), rep: z.string(), repName: z.string() });
export type Reassigned = z.infer<typeof reassignedSchema>;
export const leadReleasedSchema = z.object({ leadId: z.string(), released: z.literal(true) });
export type LeadReleased = z.infer<typeof leadReleasedSchema>;
