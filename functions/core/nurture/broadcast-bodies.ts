import * as z from 'zod/mini';
import { STAGES } from '../leads/lead';
import { type SegmentDefinition, segmentIdSchema } from '../segments/segments';

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
    /** A saved segment of the active nurture config: its conditions hold too (resolved when the broadcast is made). */
    segmentId: z.optional(segmentIdSchema),
  },
  // A misspelt key (`stage` for `stages`) must not widen the audience to everyone.
  { error: strictError },
);
/** The saved segment's definition rides along from when the broadcast was made: a broadcast keeps who it meant. */
export type Segment = z.infer<typeof segmentSchema> & { definition?: SegmentDefinition };

const slug = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'ids are lower-case letters, digits and -'));

/** One A/B variant: its own subject (Liquid, like a template's), its own template, or both. */
export const variantSchema = z
  .strictObject(
    {
      id: z.enum(['a', 'b', 'c', 'd']),
      subject: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
      template: z.optional(slug),
    },
    { error: strictError },
  )
  .check(
    z.refine((v) => v.subject !== undefined || v.template !== undefined, 'give a subject or a template'),
  );

/**
 * An A/B test on a broadcast: the test share (percent of recipients, split evenly between the
 * variants) is sent first; `waitHours` after sendAt the variant with the higher unique open (or
 * click) rate goes to everyone else.
 */
export const abTestSchema = z
  .strictObject(
    {
      variants: z
        .array(variantSchema)
        .check(z.minLength(2, 'two to four variants'), z.maxLength(4, 'two to four variants')),
      testShare: z.number().check(z.int(), z.minimum(2), z.maximum(50)),
      metric: z.enum(['opened', 'clicked']),
      // Fractions of an hour: on the local stack a test of a few seconds shows the whole flow.
      waitHours: z.number().check(z.minimum(0.001), z.maximum(168)),
    },
    { error: strictError },
  )
  .check(
    z.refine(
      (ab) => ab.variants.every((v, i) => v.id === 'abcd'[i]),
      'variants are a, b, c, d in that order',
    ),
  );
export type AbTest = z.infer<typeof abTestSchema>;
export type Variant = z.infer<typeof variantSchema>;
