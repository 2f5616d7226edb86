import { leadPlace } from './broadcast-ab';
import type { NurtureConfig, Step, StepVariant } from './config-schema';
import { subjectProblems } from './render';

/**
 * A/B variants of a sequence step, pure: which variant a lead gets, and the checks only the whole
 * config can make (a variant's template exists, its subject is valid Liquid). The schema checks
 * the rest (two to four, distinct names, shares adding up to 100%).
 */

/**
 * The variant a lead gets at a step, or undefined for a step without variants. The place comes
 * from a hash of the sequence, the step and the lead (broadcast-ab.ts leadPlace), so a retry, a
 * re-send or a preview picks the same one; the variants take consecutive slices of [0, 100).
 */
export function variantFor(
  sequenceId: string,
  step: Pick<Step, 'id' | 'variants'>,
  leadId: string,
): StepVariant | undefined {
  const variants = step.variants;
  if (!variants || variants.length === 0) return undefined;
  const place = leadPlace(`${sequenceId}|${step.id}`, leadId) * 100;
  let upTo = 0;
  for (const variant of variants) {
    upTo += variant.share;
    if (place < upTo) return variant;
  }
  return variants[variants.length - 1];
}

/** What a variant changes: the template it sends (the step's unless its own) and its subject. */
export function variantEmail(step: Pick<Step, 'template'>, variant: StepVariant | undefined) {
  return { template: variant?.template ?? step.template, subject: variant?.subject };
}

/** Each variant's template exists and its subject parses, with known variables only. */
export function stepVariantProblems(config: NurtureConfig): { path: string; message: string }[] {
  const templateIds = new Set(config.templates.map((t) => t.id));
  const problems: { path: string; message: string }[] = [];
  config.sequences.forEach((sequence, i) => {
    sequence.steps.forEach((step, j) => {
      step.variants?.forEach((variant, k) => {
        const path = `sequences.${i}.steps.${j}.variants.${k}`;
        if (variant.template && !templateIds.has(variant.template))
          problems.push({
            path: `${path}.template`,
            message: `no template "${variant.template}" (variant "${variant.name}")`,
          });
        if (variant.subject) problems.push(...subjectProblems(`${path}.subject`, variant.subject));
      });
    });
  });
  return problems;
}
