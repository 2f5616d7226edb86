import * as z from 'zod/mini';
import { basedOnSchema } from '../config-versions/versions';
import { leadIdSchema } from '../kernel/lead-id';
import { segmentSchema, strictError } from './broadcast';
import { abTestSchema } from './broadcast-bodies';
import { BROADCAST_STATUSES } from './broadcast-ports';

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

export const configBodySchema = z.strictObject(
  { config: z.unknown(), basedOn: z.optional(basedOnSchema) },
  { error: strictError },
);
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
const sendAt = z.iso.datetime({ offset: true, error: 'is not an ISO 8601 time with a zone' });
const broadcastFields = {
  name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(120))),
  template: slug,
  segment: segmentSchema,
  sendAt: z.optional(sendAt),
  ignoreSendWindow: z.optional(z.boolean()),
  abTest: z.optional(abTestSchema),
};
/** POST /v1/admin/broadcasts: started (now or at sendAt), or kept as a draft with `draft: true`. */
export const broadcastBodySchema = z.strictObject(
  { ...broadcastFields, draft: z.optional(z.boolean()) },
  { error: strictError },
);
/** PUT /v1/admin/broadcasts/{id}: a draft's new content (it stays a draft). */
export const broadcastDraftBodySchema = z.strictObject(broadcastFields, { error: strictError });
/** POST /v1/admin/broadcasts/{id}/schedule: a draft goes out at sendAt (or now). */
export const broadcastScheduleBodySchema = z.strictObject(
  { sendAt: z.optional(sendAt) },
  { error: strictError },
);

/** GET /v1/admin/broadcasts?status=&cursor=&limit= (query strings, so limit is digits). */
export const broadcastListQuerySchema = z.strictObject(
  {
    status: z.optional(z.enum(BROADCAST_STATUSES)),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    limit: z.optional(z.string().check(z.regex(/^([1-9]|[1-9]\d|100)$/, 'is a whole number from 1 to 100'))),
  },
  { error: strictError },
);
