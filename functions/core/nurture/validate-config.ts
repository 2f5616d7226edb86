import type { z } from 'zod';
import { describeIssue, namedPath, savedSegmentProblems } from '../segments/segments';
import { type NurtureConfig, nurtureConfigSchema } from './config-schema';
import { templateProblems } from './render';
import { stepVariantProblems } from './step-variants';

export interface NurtureProblem {
  path: string;
  message: string;
}

export type NurtureValidation =
  | { ok: true; config: NurtureConfig; warnings: NurtureProblem[] }
  | { ok: false; errors: NurtureProblem[] };

/** DynamoDB items stop at 400 KB; the active copy and its version are each one item. */
const MAX_DOCUMENT_BYTES = 350_000;

/**
 * Validates a whole nurture config (from config/ or the admin API): the schema, then what only
 * the whole can tell — unique ids, every step's template exists, templates parse and use known
 * variables only, the layout shows the postal address and the unsubscribe link, the double
 * opt-in confirmation template exists.
 */
export function validateNurtureConfig(doc: unknown): NurtureValidation {
  const parsed = nurtureConfigSchema.safeParse(doc);
  if (!parsed.success)
    return {
      ok: false,
      // A segment's problems name it by id (`segments.hot-eu.definition...`), in words.
      errors: parsed.error.issues.map((issue) =>
        issue.path[0] === 'segments'
          ? { path: namedPath(doc, issue.path), message: describeIssue(issue) }
          : problemOf(issue),
      ),
    };
  const config = parsed.data;
  const errors: NurtureProblem[] = [];
  const templateIds = new Set<string>();
  config.templates.forEach((template, i) => {
    if (templateIds.has(template.id))
      errors.push({ path: `templates.${i}.id`, message: `template "${template.id}" is defined twice` });
    templateIds.add(template.id);
  });
  const sequenceIds = new Set<string>();
  config.sequences.forEach((sequence, i) => {
    if (sequenceIds.has(sequence.id))
      errors.push({ path: `sequences.${i}.id`, message: `sequence "${sequence.id}" is defined twice` });
    sequenceIds.add(sequence.id);
    const stepIds = new Set<string>();
    sequence.steps.forEach((step, j) => {
      const path = `sequences.${i}.steps.${j}`;
      if (stepIds.has(step.id))
        errors.push({ path: `${path}.id`, message: `step "${step.id}" is used twice` });
      stepIds.add(step.id);
      if (!templateIds.has(step.template))
        errors.push({ path: `${path}.template`, message: `no template "${step.template}"` });
    });
  });
  errors.push(...segmentReferenceProblems(config), ...stepVariantProblems(config));
  const doubleOptIn = config.settings.doubleOptIn;
  if (doubleOptIn && !templateIds.has(doubleOptIn.template))
    errors.push({
      path: 'settings.doubleOptIn.template',
      message: `no template "${doubleOptIn.template}" (the double opt-in confirmation email)`,
    });
  errors.push(...templateProblems(config));
  const bytes = Buffer.byteLength(JSON.stringify(config));
  if (bytes > MAX_DOCUMENT_BYTES)
    errors.push({ path: '', message: `the config is ${bytes} bytes; at most ${MAX_DOCUMENT_BYTES} fit` });
  if (errors.length > 0) return { ok: false, errors };
  const warnings: NurtureProblem[] = [];
  config.sequences.forEach((sequence, i) => {
    if (!sequence.entry.requireConsent)
      warnings.push({
        path: `sequences.${i}.entry.requireConsent`,
        message: 'enrolls leads without marketing consent: only for mail they asked for or have a basis for',
      });
  });
  return { ok: true, config, warnings };
}

function problemOf(issue: z.core.$ZodIssue): NurtureProblem {
  return { path: issue.path.map(String).join('.'), message: issue.message };
}

/** Saved segment ids are unique; a step's `when: {segment}` names one of them. */
function segmentReferenceProblems(config: NurtureConfig): NurtureProblem[] {
  const segments = config.segments ?? [];
  const problems = savedSegmentProblems(segments);
  const ids = new Set(segments.map((segment) => segment.id));
  config.sequences.forEach((sequence, i) => {
    sequence.steps.forEach((step, j) => {
      if (step.when && 'segment' in step.when && !ids.has(step.when.segment))
        problems.push({
          path: `sequences.${i}.steps.${j}.when.segment`,
          message: `no saved segment "${step.when.segment}" (add it under segments:)`,
        });
    });
  });
  return problems;
}
