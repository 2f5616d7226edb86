import * as z from 'zod/mini';

/** Answers of /v1/webhooks/... (functions/core/webhooks), documented in /v1/openapi.json. */
export const deliveryReceivedSchema = z.object({
  received: z.literal(true),
  deliveryId: z.optional(
    z.string().check(z.describe('The kept delivery; LinkedIn notifications that carry no lead have none')),
  ),
});

export const linkedinChallengeSchema = z.object({
  challengeCode: z.string(),
  challengeResponse: z.string().check(z.describe('HMAC-SHA256 of the challenge code, hex')),
});
