import * as z from 'zod/mini';
import { changedBySchema } from '../kernel/changed-by';
import type { Grade } from './model-schema';

/** Answers of /v1/admin/scoring... (functions/core/scoring), documented in /v1/openapi.json. */
const problems = z.array(z.object({ path: z.string(), message: z.string() }));
/**
 * The grades, spelled out here so that answers (the lead view among them) need not bundle the
 * model's full-zod schema (model-schema.ts); the mapped type fails to compile when the lists differ.
 */
const GRADE: { [G in Grade]: G } = { A: 'A', B: 'B', C: 'C', D: 'D', F: 'F' };
const modelDocument = z
  .record(z.string(), z.unknown())
  .check(z.describe('A scoring model as in config/scoring.yaml'));

/**
 * A stored version of a config document (form, scoring model or nurture config): who added it,
 * and when and by whom it was last activated (versions stored before that was recorded have no `by`).
 */
export const configVersionSchema = z.object({
  version: z.number(),
  hash: z.string(),
  createdAt: z.string(),
  createdBy: z.optional(changedBySchema),
  activatedAt: z.optional(z.string()),
  activatedBy: z.optional(changedBySchema),
});
/** An activation's answer: the version now active, when and by whom. */
export const activationSchema = z.object({
  version: z.number(),
  activatedAt: z.string(),
  activatedBy: changedBySchema,
});
export const configVersionsSchema = (document: z.ZodMiniType) =>
  z.object({
    active: z.nullable(z.extend(configVersionSchema, { document })),
    versions: z.array(configVersionSchema),
  });
export const scoringVersionsSchema = configVersionsSchema(modelDocument);

export const validationResultSchema = z.union([
  z.object({ valid: z.literal(true), warnings: problems }),
  z.object({ valid: z.literal(false), errors: problems }),
]);
export const versionAddedSchema = z.object({
  version: z.number(),
  createdAt: z.string(),
  createdBy: changedBySchema,
  warnings: problems,
});

export const rescoreJobSchema = z.object({
  version: z.number(),
  status: z.enum(['running', 'done', 'superseded']),
  startedAt: z.string(),
  finishedAt: z.optional(z.string()),
  pages: z.number(),
  scanned: z.number(),
  rescored: z.number(),
  changed: z.number(),
  cursor: z.nullable(z.string()),
});
export const scoringActivatedSchema = z.object({
  active: activationSchema,
  rescore: rescoreJobSchema,
});
export const rescoreProgressSchema = z.object({ job: z.nullable(rescoreJobSchema) });

export const scoreSchema = z.object({
  fit: z.number(),
  engagement: z.number(),
  total: z.number(),
  grade: z.enum(GRADE),
  mql: z.boolean(),
  hot: z.boolean(),
  breakdown: z.array(
    z.object({
      rule: z.string(),
      kind: z.enum(['fit', 'engagement']),
      points: z.number(),
      reason: z.string(),
    }),
  ),
  modelVersion: z.number(),
});

export const simulationSchema = z.object({
  modelVersion: z.number(),
  leadId: z.string(),
  stage: z.string(),
  score: z.nullable(scoreSchema),
});
export type Simulation = z.infer<typeof simulationSchema>;

/** A lead's score, grade, stage and hot flag, before or after a backtested model. */
export const leadSummarySchema = z.object({
  total: z.nullable(z.number()),
  grade: z.nullable(z.string()),
  stage: z.string(),
  hot: z.boolean(),
});
export const backtestSchema = z.object({
  scanned: z.number(),
  changes: z.array(
    z.object({
      leadId: z.string(),
      from: leadSummarySchema,
      to: leadSummarySchema,
      turnsHot: z.boolean(),
    }),
  ),
  cursor: z.nullable(z.string()),
  warnings: problems,
});
export type Backtest = z.infer<typeof backtestSchema>;
export type LeadSummary = z.infer<typeof leadSummarySchema>;
