import * as z from 'zod/mini';
import { SALES_OUTCOMES } from '../leads/lead';

export const outcomeBodySchema = z.object({
  // A claim token is under 50 characters; anything much longer is refused before it is read.
  // Without one, only the rep sales owns the lead through may record an outcome.
  claimToken: z.optional(z.string().check(z.minLength(10), z.maxLength(128))),
  outcome: z.enum(SALES_OUTCOMES),
  note: z.optional(z.string().check(z.maxLength(2000))),
  reason: z.optional(z.string().check(z.minLength(1), z.maxLength(500))),
});

/** POST /v1/sales/leads/{leadId}/reassign: the rep (a person's username, or an API token's name) and how to show them. */
export const reassignBodySchema = z.object({
  rep: z.string().check(z.trim(), z.minLength(1), z.maxLength(128)),
  repName: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
});
