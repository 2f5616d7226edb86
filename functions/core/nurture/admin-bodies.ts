import * as z from 'zod/mini';
import { leadIdSchema } from '../kernel/lead-id';
import { segmentSchema, strictError } from './broadcast';

/** Request bodies of the nurture admin routes. Strict: an unknown key is an error, not ignored. */
const leadId = leadIdSchema;
const version = z.number().check(z.int(), z.minimum(1), z.maximum(999_999));
const slug = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'ids are lower-case letters, digits and -'));
const profile = z
  .record(
    z.string().check(z.minLength(1), z.maxLength(64)),
    z.union([z.string().check(z.maxLength(2000)), z.number(), z.boolean()]),
  )
  .check(z.refine((fields) => Object.keys(fields).length <= 100, 'at most 100 fields'));

export const configBodySchema = z.strictObject({ config: z.unknown() }, { error: strictError });
export const previewBodySchema = z.strictObject(
  { leadId: z.optional(leadId), profile: z.optional(profile), version: z.optional(version) },
  { error: strictError },
);
export const testSendBodySchema = z.strictObject(
  { to: z.email('is not an email address'), leadId: z.optional(leadId), version: z.optional(version) },
  { error: strictError },
);
export const enrollBodySchema = z.strictObject({ leadId }, { error: strictError });
export const broadcastPreviewBodySchema = z.strictObject(
  { template: slug, segment: segmentSchema },
  { error: strictError },
);
export const broadcastBodySchema = z.strictObject(
  {
    template: slug,
    segment: segmentSchema,
    sendAt: z.optional(z.iso.datetime({ offset: true, error: 'is not an ISO 8601 time with a zone' })),
    ignoreSendWindow: z.optional(z.boolean()),
  },
  { error: strictError },
);
