import * as z from 'zod/mini';

/** POST /v1/activities: one behavioural event, or a batch of up to 100, from a product or server. */
const RESERVED =
  /^(form_submitted|consent_confirmed|score_changed|email_.*|sales_.*|handoff_.*|unsubscribed)$/;

export const activityInputSchema = z
  .object({
    email: z.optional(z.email()),
    leadId: z.optional(z.string().check(z.regex(/^ld_[0-9a-f]{24}$/))),
    type: z.string().check(
      z.regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and _'),
      z.refine((type) => !RESERVED.test(type), 'this type is recorded by Leadflow itself'),
    ),
    occurredAt: z.optional(z.iso.datetime({ offset: true })),
    properties: z.optional(z.record(z.string().check(z.maxLength(100)), z.unknown())),
    idempotencyKey: z.optional(z.string().check(z.minLength(1), z.maxLength(255))),
    createLead: z.optional(z.boolean()),
  })
  .check(
    z.refine((input) => input.email !== undefined || input.leadId !== undefined, {
      message: 'give email or leadId',
      path: ['email'],
    }),
  );
export type ActivityInput = z.infer<typeof activityInputSchema>;

export const activitiesBodySchema = z.union([
  activityInputSchema,
  z.object({ activities: z.array(activityInputSchema).check(z.minLength(1), z.maxLength(100)) }),
]);
