import * as z from 'zod/mini';
import { basedOnSchema } from '../config-versions/versions';

/** Request bodies of the scoring admin routes. */
const activitySketch = z.object({
  type: z.string().check(z.regex(/^[a-z][a-z0-9_]{0,63}$/)),
  at: z.iso.datetime({ offset: true }),
  formId: z.optional(z.string()),
  properties: z.optional(z.record(z.string(), z.unknown())),
});
export const simulateBodySchema = z.object({
  leadId: z.optional(z.string()),
  lead: z.optional(
    z.object({
      email: z.email(),
      profile: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
      activities: z.optional(z.array(activitySketch).check(z.maxLength(1000))),
    }),
  ),
  model: z.optional(z.unknown()),
});
/**
 * A backtest cursor as the previous page gave it: base64url JSON of a table key, `{pk, sk}`, both
 * non-empty strings within DynamoDB's key limits. Anything else is a 400, never a Scan that fails.
 */
export function isPageCursor(cursor: string): boolean {
  if (cursor.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return false;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return false;
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) return false;
  const { pk, sk, ...rest } = key as Record<string, unknown>;
  const part = (value: unknown, maxBytes: number) =>
    typeof value === 'string' && value.length > 0 && Buffer.byteLength(value) <= maxBytes;
  return Object.keys(rest).length === 0 && part(pk, 2048) && part(sk, 1024);
}

export const backtestBodySchema = z.object({
  model: z.unknown(),
  cursor: z.optional(
    z.nullable(
      z.string().check(z.refine(isPageCursor, { message: 'is not a cursor from a previous backtest page' })),
    ),
  ),
  limit: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(200))),
});
export const modelBodySchema = z.object({ model: z.unknown(), basedOn: z.optional(basedOnSchema) });
