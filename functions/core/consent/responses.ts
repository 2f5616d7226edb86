import * as z from 'zod/mini';

/** JSON answers of /v1/unsubscribe and /v1/confirm (the pages are text/html), documented in /v1/openapi.json. */
export const unsubscribedSchema = z.object({ status: z.literal('unsubscribed') });
export const confirmationSchema = z.object({
  status: z.enum(['confirmed', 'already_confirmed', 'not_pending']),
});
