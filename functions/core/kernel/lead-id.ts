import * as z from 'zod/mini';

/** A lead id: `ld_` and 24 hex digits (a keyed hash of the email identity, see identity-key.ts). */
export const LEAD_ID = /^ld_[0-9a-f]{24}$/;

export const isLeadId = (value: unknown): value is string => typeof value === 'string' && LEAD_ID.test(value);

/** The same rule for request and message schemas. */
export const leadIdSchema = z.string().check(z.regex(LEAD_ID, 'is not a lead id (ld_ and 24 hex digits)'));
