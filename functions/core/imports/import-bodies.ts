import * as z from 'zod/mini';
import { CONSENT_BASES } from './import-ports';

/** Request and answer shapes of the import routes, documented in /v1/openapi.json from these schemas. */
const describe = <T extends z.ZodMiniType>(schema: T, description: string) =>
  schema.check(z.describe(description));

export const importConsentSchema = z.strictObject({
  basis: describe(
    z.enum(CONSENT_BASES),
    'consent_given: the people agreed to marketing email (proof required); legitimate_interest or none: no consent is recorded and sequences that require consent are not entered',
  ),
  text: z.optional(describe(z.string().check(z.maxLength(2000)), 'consent_given: the text they agreed to')),
  proofSource: z.optional(
    describe(z.string().check(z.maxLength(500)), 'consent_given: where they agreed (form, event, system)'),
  ),
  givenAt: z.optional(describe(z.string().check(z.maxLength(40)), 'consent_given: when (ISO date or time)')),
});

export const importStartBodySchema = z.strictObject({
  mapping: describe(
    z.record(z.string().check(z.maxLength(200)), z.string().check(z.maxLength(100))),
    'CSV header → a standard field (email, firstName, lastName, company, jobTitle, phone, country, companySize, utm_*), custom:<name>, or ignore; one column must map to email; unmapped columns are ignored',
  ),
  consent: importConsentSchema,
  consentColumn: z.optional(
    describe(
      z.string().check(z.maxLength(200)),
      "A column whose yes/no gives each row's own consent (yes: consent given with the import's proof; no: none; empty: the import's basis)",
    ),
  ),
  dryRun: z._default(z.boolean(), false),
});
export type ImportStartBody = z.infer<typeof importStartBodySchema>;
export const IMPORT_START_BODY_BYTES = 32 * 1024;

const countsSchema = z.object({
  read: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  suppressed: z.number(),
  skipped: z.number(),
  failed: z.number(),
});

export const leadImportSchema = z.object({
  importId: z.string(),
  status: z.enum(['awaiting_upload', 'running', 'done', 'failed']),
  dryRun: z.optional(z.boolean()),
  createdAt: z.string(),
  startedAt: z.optional(z.string()),
  finishedAt: z.optional(z.string()),
  bytes: z.optional(z.number()),
  counts: describe(countsSchema, 'Rows so far (a dry run counts what would happen)'),
  error: z.optional(z.string()),
  upload: z.optional(
    describe(
      z.object({
        url: z.string(),
        method: z.enum(['PUT']),
        expiresAt: z.string(),
        maxBytes: z.number(),
      }),
      'Awaiting the upload: PUT the CSV here (a presigned S3 URL on AWS, one hour)',
    ),
  ),
  errorReport: z.optional(describe(z.string(), 'Path of the error report (CSV: row, column, reason)')),
});
