import * as z from 'zod/mini';
import { STAGES } from '../leads/lead';

/**
 * A segment: who, among the leads, a broadcast, the lead list or a sequence step means. Conditions
 * combine by `match: all` (every one holds) or `any` (at least one does); none at all is everyone.
 * Each condition names what it looks at by `type`; a profile field condition by its `op` too, so a
 * wrong value is reported at that value (`conditions.0.value`), not as "no union matched".
 */

const fieldName = z.string().check(z.minLength(1), z.maxLength(64));
const text = z.string().check(z.minLength(1), z.maxLength(200));
const scalar = z.union([z.string().check(z.maxLength(200)), z.number(), z.boolean()]);
const days = z.number().check(z.int(), z.minimum(1), z.maximum(730));
const activityType = z.string().check(z.regex(/^[a-z][a-z0-9_]{0,63}$/, 'activity types are [a-z0-9_]'));
const isoDate = z
  .string()
  .check(
    z.refine(
      (v) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(v) && !Number.isNaN(Date.parse(v)),
      'a date (2026-12-03) or an ISO date-time',
    ),
  );
const atLeastOne = <T extends object>(keys: readonly (keyof T & string)[]) =>
  z.refine<T>((v) => keys.some((k) => v[k] !== undefined), `give ${keys.join(' or ')}`);

const onField = <Op extends string, Shape extends z.core.$ZodLooseShape>(op: Op, shape: Shape) =>
  z.strictObject({ type: z.literal('field'), field: fieldName, op: z.literal(op), ...shape });

/** A profile field (standard or custom; also `email` and `createdAt`), compared case-insensitively for text. */
export const fieldConditionSchema = z.discriminatedUnion('op', [
  onField('equals', { value: scalar }),
  onField('in', { value: z.array(scalar).check(z.minLength(1), z.maxLength(100)) }),
  onField('contains', { value: text }),
  onField('starts_with', { value: text }),
  onField('present', {}),
  onField('not_present', {}),
  onField('between', { min: z.optional(z.number()), max: z.optional(z.number()) }).check(
    atLeastOne(['min', 'max']),
  ),
  onField('date_between', { from: z.optional(isoDate), to: z.optional(isoDate) }).check(
    atLeastOne(['from', 'to']),
  ),
]);

/** Where the lead came from: its first touch (default) or its latest one. */
export const SOURCE_KEYS = [
  'source',
  'form',
  'ad_platform',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
] as const;

export const GRADES = ['A', 'B', 'C', 'D', 'F'] as const;

export const conditionSchema = z.discriminatedUnion('type', [
  fieldConditionSchema,
  z.strictObject({ type: z.literal('stage'), in: z.array(z.enum(STAGES)).check(z.minLength(1)) }),
  z.strictObject({ type: z.literal('grade'), in: z.array(z.enum(GRADES)).check(z.minLength(1)) }),
  z
    .strictObject({ type: z.literal('score'), min: z.optional(z.number()), max: z.optional(z.number()) })
    .check(atLeastOne(['min', 'max'])),
  z.strictObject({
    type: z.literal('source'),
    key: z.enum(SOURCE_KEYS),
    in: z.array(text).check(z.minLength(1), z.maxLength(100)),
    touch: z.optional(z.enum(['first', 'last'])),
  }),
  z.strictObject({
    type: z.literal('activity'),
    activity: activityType,
    happened: z.boolean(),
    withinDays: days,
  }),
  z.strictObject({
    type: z.literal('email'),
    engaged: z.boolean(),
    withinDays: days,
    by: z.optional(z.enum(['opened', 'clicked'])),
  }),
  z.strictObject({ type: z.literal('consent'), is: z.enum(['granted', 'withdrawn', 'none']) }),
  z.strictObject({ type: z.literal('suppressed'), is: z.boolean() }),
]);
export type SegmentCondition = z.infer<typeof conditionSchema>;
export type FieldCondition = z.infer<typeof fieldConditionSchema>;
export const CONDITION_TYPES = [
  'field',
  'stage',
  'grade',
  'score',
  'source',
  'activity',
  'email',
  'consent',
  'suppressed',
] as const;

export const MAX_CONDITIONS = 30;

export const segmentDefinitionSchema = z.strictObject({
  match: z.enum(['all', 'any']),
  conditions: z.array(conditionSchema).check(z.maxLength(MAX_CONDITIONS)),
});
export type SegmentDefinition = z.infer<typeof segmentDefinitionSchema>;

export const segmentIdSchema = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'ids are lower-case letters, digits and -'));

/** A saved segment, as config/segments/<id>.yaml holds it and the nurture config's `segments:` list. */
export const savedSegmentSchema = z.strictObject({
  id: segmentIdSchema,
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  description: z.optional(z.string().check(z.maxLength(2000))),
  definition: segmentDefinitionSchema,
});
export type SavedSegment = z.infer<typeof savedSegmentSchema>;
