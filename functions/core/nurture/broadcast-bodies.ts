import * as z from 'zod/mini';
import { STAGES } from '../leads/lead';

/** Names the keys a strict object refused: a typo in a body is an error, never ignored. */
export function strictError(issue: { code?: string; keys?: string[] }): string {
  return issue.code === 'unrecognized_keys' && issue.keys
    ? `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`
    : 'must be an object';
}

/** Who a broadcast goes to. Marketing email needs consent: `consent` must be `true`. */
export const segmentSchema = z.strictObject(
  {
    stages: z.optional(z.array(z.enum(STAGES)).check(z.minLength(1), z.maxLength(STAGES.length))),
    fields: z.optional(
      z
        .record(
          z.string().check(z.minLength(1), z.maxLength(64)),
          z.union([z.string().check(z.maxLength(500)), z.number(), z.boolean()]),
        )
        .check(z.refine((fields) => Object.keys(fields).length <= 20, 'at most 20 fields')),
    ),
    consent: z.literal(true, 'a marketing broadcast goes to leads with consent only: set consent: true'),
  },
  // A misspelt key (`stage` for `stages`) must not widen the audience to everyone.
  { error: strictError },
);
export type Segment = z.infer<typeof segmentSchema>;
