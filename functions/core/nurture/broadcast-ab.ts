import { createHash } from 'node:crypto';
import type { AbTest, Variant } from './broadcast-bodies';

/**
 * The rules of a broadcast's A/B test, pure: who is in the test share and which variant they get,
 * the winner from the counts per variant, and whether the lead is significant (two-proportion
 * z-test). The use cases are in broadcast-winner.ts (tick) and broadcast.ts (enrollment).
 */

/** A lead's place in a broadcast, uniform in [0, 1): the same lead always gets the same place. */
export function leadPlace(broadcastId: string, leadId: string): number {
  return createHash('sha256').update(`${broadcastId}|${leadId}`).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * The variant a lead gets in the test share, or undefined when it waits for the winner. The
 * share is split evenly: place p < share/100 falls in variant floor(p / share * n).
 */
export function testVariant(ab: Pick<AbTest, 'variants' | 'testShare'>, place: number): Variant | undefined {
  const share = ab.testShare / 100;
  if (place >= share) return undefined;
  return ab.variants[Math.min(ab.variants.length - 1, Math.floor((place / share) * ab.variants.length))];
}

/** The step id a variant's sends are counted under (the email report's `step`, the SES `step` tag). */
export const variantStep = (variantId: string) => `variant-${variantId}`;
export const variantOfStep = (step: string): string | undefined => /^variant-([a-d])$/.exec(step)?.[1];

export interface VariantCounts {
  id: string;
  sent: number;
  opened: number;
  clicked: number;
}

/** The metric's share of sends (0 with nothing sent). */
export const rateOf = (counts: VariantCounts, metric: AbTest['metric']) =>
  counts.sent === 0 ? 0 : counts[metric] / counts.sent;

/** The variant with the highest rate of the metric; ties (and no data) go to the earliest variant. */
export function pickWinner(counts: VariantCounts[], metric: AbTest['metric']): string {
  let best = counts[0];
  for (const c of counts.slice(1)) if (best && rateOf(c, metric) > rateOf(best, metric)) best = c;
  return best?.id ?? 'a';
}

/** 95% two-sided: |z| at or above this is "significant". */
export const Z_95 = 1.959964;

/**
 * Two-proportion z-test (pooled): z of x1/n1 against x2/n2; 0 when either side has no sends or
 * the pooled rate is 0 or 1 (no spread to test).
 */
export function twoProportionZ(x1: number, n1: number, x2: number, n2: number): number {
  if (n1 === 0 || n2 === 0) return 0;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return se === 0 ? 0 : (x1 / n1 - x2 / n2) / se;
}

export interface Significance {
  leader: string;
  runnerUp: string;
  z: number;
  significant: boolean;
  label: string;
}

/** Is the leading variant ahead of the runner-up at 95%? Said in words for the marketer. */
export function significance(counts: VariantCounts[], metric: AbTest['metric']): Significance | undefined {
  const ordered = [...counts].sort((a, b) => rateOf(b, metric) - rateOf(a, metric));
  const [leader, runnerUp] = ordered;
  if (!leader || !runnerUp) return undefined;
  const z = twoProportionZ(leader[metric], leader.sent, runnerUp[metric], runnerUp.sent);
  const significant = Math.abs(z) >= Z_95;
  return {
    leader: leader.id,
    runnerUp: runnerUp.id,
    z: Math.round(z * 100) / 100,
    significant,
    label: significant
      ? `variant ${leader.id.toUpperCase()} leads at 95% confidence`
      : 'not yet significant (under 95% confidence)',
  };
}
