import * as z from 'zod/mini';
import { leadIdSchema } from '../kernel/lead-id';

/** POST /v1/activities: one behavioural event, or a batch of up to 100, from a product or server. */
const RESERVED =
  /^(form_submitted|consent_confirmed|score_changed|email_.*|sales_.*|handoff_.*|unsubscribed|note)$/;

/**
 * What an activity's `properties` may hold: everything is checked before any write, so an event
 * is either refused whole (400, a path per problem) or stored as sent. Numbers must be ones
 * DynamoDB stores and the SDK marshals exactly (0, or a magnitude from 1e-130 to 2^53 − 1).
 */
export const PROPERTY_LIMITS = {
  /** Levels of objects and arrays, `properties` itself included. */
  depth: 5,
  /** Keys and array items, all levels together. */
  entries: 200,
  keyLength: 100,
  stringLength: 2000,
  /** The properties as JSON, in UTF-8 bytes. */
  bytes: 8 * 1024,
  minMagnitude: 1e-130,
  maxMagnitude: Number.MAX_SAFE_INTEGER,
} as const;
const MAX_PROBLEMS = 20;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
// Own keys JSON.parse creates that the SDK's marshaller cannot store: `__proto__` is lost, and an
// own `constructor` makes it take the object for a class instance (it refuses it).
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor']);

type Path = (string | number)[];
export interface PropertyProblem {
  path: Path;
  message: string;
}

const storableNumber = (n: number) =>
  Number.isFinite(n) &&
  (n === 0 || (Math.abs(n) >= PROPERTY_LIMITS.minMagnitude && Math.abs(n) <= PROPERTY_LIMITS.maxMagnitude));

/** Every problem with an activity's properties (at most 20), walked without recursion. */
export function propertyProblems(properties: unknown): PropertyProblem[] {
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties))
    return [{ path: [], message: 'must be an object' }];
  const problems: PropertyProblem[] = [];
  const stack: { value: unknown; path: Path; depth: number }[] = [{ value: properties, path: [], depth: 1 }];
  let entries = 0;
  while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
    const { value, path, depth } = stack.pop() as (typeof stack)[number];
    if (typeof value === 'number') {
      if (!storableNumber(value))
        problems.push({
          path,
          message: `must be 0 or a number whose magnitude is between 1e-130 and ${PROPERTY_LIMITS.maxMagnitude}`,
        });
    } else if (typeof value === 'string') {
      if (value.length > PROPERTY_LIMITS.stringLength)
        problems.push({ path, message: `must be at most ${PROPERTY_LIMITS.stringLength} characters` });
      else if (LONE_SURROGATE.test(value)) problems.push({ path, message: 'must be valid Unicode text' });
    } else if (typeof value === 'object' && value !== null) {
      if (depth > PROPERTY_LIMITS.depth) {
        problems.push({ path, message: `nests deeper than ${PROPERTY_LIMITS.depth} levels` });
        continue;
      }
      const children: [string | number, unknown][] = Array.isArray(value)
        ? value.map((item, index) => [index, item])
        : Object.entries(value);
      entries += children.length;
      if (entries > PROPERTY_LIMITS.entries) {
        return [{ path: [], message: `must have at most ${PROPERTY_LIMITS.entries} keys and items in all` }];
      }
      for (const [key, child] of children) {
        if (typeof key === 'string') {
          if (FORBIDDEN_KEYS.has(key)) {
            problems.push({ path: [...path, key], message: 'is a reserved name' });
            continue;
          }
          if (key.length > PROPERTY_LIMITS.keyLength || LONE_SURROGATE.test(key)) {
            problems.push({
              path: [...path, key.slice(0, 40)],
              message: `names must be valid Unicode of at most ${PROPERTY_LIMITS.keyLength} characters`,
            });
            continue;
          }
        }
        stack.push({ value: child, path: [...path, key], depth: depth + 1 });
      }
    }
    // booleans and null store as they are
  }
  if (problems.length > 0) return problems.sort((a, b) => a.path.join('.').localeCompare(b.path.join('.')));
  const bytes = Buffer.byteLength(JSON.stringify(properties), 'utf8');
  if (bytes > PROPERTY_LIMITS.bytes)
    return [{ path: [], message: `must be at most ${PROPERTY_LIMITS.bytes / 1024} KB as JSON` }];
  return [];
}

// Not z.record: it drops a `__proto__` key without a word; every key is checked here instead.
const propertiesSchema = z.custom<Record<string, unknown>>().check(
  z.superRefine((value, ctx) => {
    for (const problem of propertyProblems(value))
      ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path, input: value });
  }),
);
// What OpenAPI shows for it (a custom check has no JSON Schema of its own).
z.globalRegistry.add(propertiesSchema, {
  type: 'object',
  propertyNames: { maxLength: PROPERTY_LIMITS.keyLength, not: { enum: ['__proto__', 'constructor'] } },
  maxProperties: PROPERTY_LIMITS.entries,
  description:
    `Any JSON object, at most ${PROPERTY_LIMITS.bytes / 1024} KB as JSON, ${PROPERTY_LIMITS.depth} levels deep and ` +
    `${PROPERTY_LIMITS.entries} keys and items in all; strings up to ${PROPERTY_LIMITS.stringLength} characters; ` +
    `numbers 0 or of magnitude 1e-130 to ${PROPERTY_LIMITS.maxMagnitude} (what DynamoDB stores exactly).`,
} as z.core.GlobalMeta);

export const activityInputSchema = z
  .object({
    email: z.optional(z.email()),
    leadId: z.optional(leadIdSchema),
    type: z.string().check(
      z.regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and _'),
      z.refine((type) => !RESERVED.test(type), 'this type is recorded by Leadflow itself'),
    ),
    occurredAt: z.optional(z.iso.datetime({ offset: true })),
    properties: z.optional(propertiesSchema),
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
