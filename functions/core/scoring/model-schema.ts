import { z } from 'zod';

/**
 * The scoring model a marketer writes in config/scoring.yaml (and publishes through the admin API).
 * Structured operators only: no user-supplied regular expressions, so no model can stall scoring (ReDoS).
 * Parsing does not transform, so a parsed model parses again to itself (stored versions stay valid).
 */

export const MAX_RULES = 200;
export const MAX_LIST_ITEMS = 100;
const MAX_TEXT = 100;
const MAX_POINTS = 1000;
const MAX_THRESHOLD = 100_000;

export const GRADES = ['A', 'B', 'C', 'D', 'F'] as const;
export type Grade = (typeof GRADES)[number];

/** The operators of a fit rule's `when`; exactly one per rule. */
export const FIT_OPERATORS = ['containsAny', 'in', 'range', 'present', 'equals', 'emailDomain'] as const;

const ruleId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'rule ids are lower-case letters, digits and -, at most 64 characters');
const fieldName = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, 'field names are letters, digits and _, starting with a letter');
const activityType = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,63}$/,
    'activity types are lower-case letters, digits and _, starting with a letter',
  );
const formId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'form ids are lower-case letters, digits and -');
const points = z.number().min(-MAX_POINTS).max(MAX_POINTS);
const threshold = z.number().min(-MAX_THRESHOLD).max(MAX_THRESHOLD);
const text = z.string().trim().min(1).max(MAX_TEXT);
// Words are matched on letters and digits only, so a word made of punctuation would match nothing.
const word = text.refine((w) => /[\p{L}\p{N}]/u.test(w), 'a word needs at least one letter or digit');
const scalar = z.union([z.string().max(MAX_TEXT), z.number(), z.boolean()]);

export const fitConditionSchema = z.union([
  z.strictObject({ field: fieldName, containsAny: z.array(word).min(1).max(MAX_LIST_ITEMS) }),
  z.strictObject({
    field: fieldName,
    in: z
      .array(z.union([text, z.number()]))
      .min(1)
      .max(MAX_LIST_ITEMS),
  }),
  z.strictObject({
    field: fieldName,
    range: z
      .strictObject({ min: z.number().optional(), max: z.number().optional() })
      .refine((r) => r.min !== undefined || r.max !== undefined, 'a range needs min, max or both')
      .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, {
        message: 'min must not be above max',
        path: ['max'],
      }),
  }),
  z.strictObject({ field: fieldName, present: z.boolean() }),
  z.strictObject({ field: fieldName, equals: scalar }),
  z.strictObject({ emailDomain: z.enum(['business', 'free', 'disposable']) }),
]);
export type FitCondition = z.infer<typeof fitConditionSchema>;
export type EmailDomainType = Extract<FitCondition, { emailDomain: unknown }>['emailDomain'];

export const fitRuleSchema = z.strictObject({
  id: ruleId,
  description: z.string().max(500).optional(),
  points,
  when: fitConditionSchema,
});
export type FitRule = z.infer<typeof fitRuleSchema>;

export const engagementConditionSchema = z
  .strictObject({
    activity: activityType,
    formId: formId.optional(),
    pathPrefix: z
      .string()
      .max(200)
      .regex(/^\/[^\s?#]*$/, 'a path prefix starts with / and has no spaces, query or fragment')
      .optional(),
  })
  .superRefine((when, ctx) => {
    if (when.formId !== undefined && when.activity !== 'form_submitted') {
      ctx.addIssue({ code: 'custom', path: ['formId'], message: 'formId applies to form_submitted only' });
    }
    if (when.pathPrefix !== undefined && when.activity !== 'page_viewed') {
      ctx.addIssue({
        code: 'custom',
        path: ['pathPrefix'],
        message: 'pathPrefix applies to page_viewed only',
      });
    }
  });
export type EngagementCondition = z.infer<typeof engagementConditionSchema>;

export const engagementRuleSchema = z.strictObject({
  id: ruleId,
  description: z.string().max(500).optional(),
  points,
  when: engagementConditionSchema,
  /** Caps are in points, like the rule's points: at most `perDay` a UTC day, at most `total` ever. */
  cap: z
    .strictObject({
      perDay: z.number().positive().max(MAX_THRESHOLD).optional(),
      total: z.number().positive().max(MAX_THRESHOLD).optional(),
    })
    .optional(),
});
export type EngagementRule = z.infer<typeof engagementRuleSchema>;

const grade = z.enum(['A', 'B', 'C', 'D']);

export const scoringModelSchema = z
  .strictObject({
    fit: z.array(fitRuleSchema).max(MAX_RULES).default([]),
    engagement: z.array(engagementRuleSchema).max(MAX_RULES).default([]),
    /** `off` (or omitted): engagement points never fade. */
    decay: z
      .union([
        z.literal('off'),
        z.literal(false),
        z.strictObject({ halfLifeDays: z.number().min(1).max(3650) }),
      ])
      .default('off'),
    /** Fit points needed for each grade; below D is F. */
    grades: z.strictObject({ A: threshold, B: threshold, C: threshold, D: threshold }),
    thresholds: z.strictObject({ mql: threshold, hot: threshold, hotMinGrade: grade.optional() }),
  })
  .superRefine((model, ctx) => {
    if (model.fit.length + model.engagement.length > MAX_RULES) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `at most ${MAX_RULES} rules in all (fit and engagement), found ${model.fit.length + model.engagement.length}`,
      });
    }
    const seen = new Map<string, string>();
    for (const kind of ['fit', 'engagement'] as const) {
      model[kind].forEach((rule, i) => {
        const first = seen.get(rule.id);
        if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [kind, i, 'id'],
            message: `rule id "${rule.id}" is already used by ${first}`,
          });
        } else {
          seen.set(rule.id, `${kind}.${i}`);
        }
      });
    }
    const letters = ['A', 'B', 'C', 'D'] as const;
    for (let i = 1; i < letters.length; i += 1) {
      const [above, below] = [letters[i - 1], letters[i]] as const;
      if (above && below && model.grades[below] >= model.grades[above]) {
        ctx.addIssue({
          code: 'custom',
          path: ['grades', below],
          message: `grade ${below} needs fewer fit points than ${above} (${model.grades[above]})`,
        });
      }
    }
    if (model.thresholds.mql > model.thresholds.hot) {
      ctx.addIssue({
        code: 'custom',
        path: ['thresholds', 'mql'],
        message: `the MQL threshold must not be above the hot threshold (${model.thresholds.hot})`,
      });
    }
  });
export type ScoringModel = z.infer<typeof scoringModelSchema>;

export interface ModelProblem {
  /** Dotted path into the model, e.g. `fit.2.when.field`; empty for the model as a whole. */
  path: string;
  message: string;
}

export type ModelValidation =
  | { ok: true; model: ScoringModel; warnings: ModelProblem[] }
  | { ok: false; errors: ModelProblem[] };

/** Validates a model document (parsed YAML or JSON): errors with their paths, or the model and its warnings. */
export function validateScoringModel(doc: unknown): ModelValidation {
  const result = scoringModelSchema.safeParse(doc);
  if (!result.success) {
    return { ok: false, errors: result.error.issues.flatMap((issue) => problemsOf(issue, [], doc)) };
  }
  return { ok: true, model: result.data, warnings: reachabilityWarnings(result.data) };
}

type Issue = z.core.$ZodIssue;
type Path = PropertyKey[];

/**
 * zod reports a failed `when` as "no branch matched" with every branch's issues. The marketer
 * meant the operator they wrote, so report that branch's issues, or say which operators exist.
 */
function problemsOf(issue: Issue, prefix: Path, doc: unknown): ModelProblem[] {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union') return [{ path: dotted(path), message: issue.message }];
  const value = valueAt(doc, path);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [{ path: dotted(path), message: `must be an object with one of: ${FIT_OPERATORS.join(', ')}` }];
  }
  const written = FIT_OPERATORS.filter((op) => op in value);
  const branch =
    written.length === 1 && written[0] ? issue.errors[FIT_OPERATORS.indexOf(written[0])] : undefined;
  if (!branch) {
    return [
      {
        path: dotted(path),
        message: `needs exactly one operator of: ${FIT_OPERATORS.join(', ')}${written.length > 1 ? ` (found ${written.join(', ')})` : ''}`,
      },
    ];
  }
  return branch.flatMap((inner) => problemsOf(inner, path, doc));
}

function valueAt(doc: unknown, path: Path): unknown {
  let value = doc;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const dotted = (path: Path) => path.map(String).join('.');

/**
 * Upper bounds of what a lead can reach: positive fit points (one email-domain type at a time)
 * and positive engagement points, where a rule without a total cap is unbounded. An upper bound
 * may call an impossible combination reachable, never the reverse, so every warning is real.
 */
export function maxPoints(model: ScoringModel): { fit: number; engagement: number } {
  const byDomainType = new Map<string, number>();
  let fit = 0;
  for (const rule of model.fit) {
    if (rule.points <= 0) continue;
    if ('emailDomain' in rule.when) {
      byDomainType.set(rule.when.emailDomain, (byDomainType.get(rule.when.emailDomain) ?? 0) + rule.points);
    } else {
      fit += rule.points;
    }
  }
  fit += Math.max(0, ...byDomainType.values());
  let engagement = 0;
  for (const rule of model.engagement) {
    if (rule.points <= 0) continue;
    engagement += rule.cap?.total ?? Number.POSITIVE_INFINITY;
  }
  return { fit, engagement };
}

function reachabilityWarnings(model: ScoringModel): ModelProblem[] {
  const max = maxPoints(model);
  const total = max.fit + max.engagement;
  const most = `at most ${total} points (fit ${max.fit} + engagement ${max.engagement})`;
  const warnings: ModelProblem[] = [];
  const { mql, hot, hotMinGrade } = model.thresholds;
  if (total < mql) {
    warnings.push({ path: 'thresholds.mql', message: `no lead can become an MQL (${mql}): ${most}` });
  }
  if (total < hot) {
    warnings.push({ path: 'thresholds.hot', message: `no lead can become hot (${hot}): ${most}` });
  }
  if (hotMinGrade && max.fit < model.grades[hotMinGrade]) {
    warnings.push({
      path: 'thresholds.hotMinGrade',
      message: `no lead can reach grade ${hotMinGrade} (${model.grades[hotMinGrade]} fit points): at most ${max.fit} fit points, so no lead can become hot`,
    });
  }
  return warnings;
}
