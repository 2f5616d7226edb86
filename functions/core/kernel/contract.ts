import * as z from 'zod/mini';

/** Response shapes of the public contract (v1), documented in /v1/openapi.json. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().check(z.describe('snake_case and stable: validation_failed, rate_limited, ...')),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })),
  }),
});

export const acceptedSchema = z.object({ leadId: z.string(), status: z.literal('accepted') });

const fieldValue = z.union([z.string(), z.number(), z.boolean()]);
const touch = z.record(z.string(), z.string());

export const leadViewSchema = z.object({
  leadId: z.string(),
  email: z.string(),
  stage: z.string(),
  profile: z.record(z.string(), fieldValue),
  fieldSources: z.record(z.string(), z.object({ source: z.string(), at: z.string() })),
  score: z.null().check(z.describe('Filled once a scoring model is active.')),
  consent: z.array(
    z.object({
      granted: z.boolean(),
      text: z.string(),
      at: z.string(),
      source: z.string(),
      ip: z.optional(z.string()),
      pendingConfirmation: z.optional(
        z.boolean().check(z.describe('Given on a double opt-in form: waits for the confirmation link.')),
      ),
      doubleOptIn: z.optional(z.boolean().check(z.describe('Confirmed through the double opt-in link.'))),
    }),
  ),
  marketingConsent: z.nullable(z.object({ granted: z.boolean(), at: z.string(), source: z.string() })),
  optIn: z.nullable(
    z.object({
      formId: z.string(),
      text: z.string(),
      requestedAt: z.string(),
      status: z.enum(['pending', 'confirmed', 'withdrawn']),
      confirmedAt: z.optional(z.string()),
    }),
  ),
  firstTouch: z.nullable(touch),
  lastTouch: z.nullable(touch),
  enrollments: z.array(z.unknown()),
  timeline: z.array(
    z.looseObject({ type: z.string(), at: z.string(), activityId: z.string(), source: z.string() }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
});
