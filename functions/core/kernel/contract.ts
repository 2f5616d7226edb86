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

export const healthSchema = z.object({ status: z.literal('ok') });

/** A JSON document served as is (the OpenAPI document, the JSON Schemas of the queue messages). */
export const jsonDocumentSchema = z.record(z.string(), z.unknown());
