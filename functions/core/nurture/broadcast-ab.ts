import { createHash } from 'node:crypto';
import { rateOf, type VariantCounts } from '../kernel/ab-significance';
import type { AbTest, Variant } from './broadcast-bodies';

// The z-test is the kernel's: the email report splits sequence steps by variant with it too.
export {
  rateOf,
  type Significance,
  significance,
  twoProportionZ,
  type VariantCounts,
  Z_95,
} from '../kernel/ab-significance';

/**
 * The rules of a broadcast's A/B test, pure: who is in the test share and which variant they get,
 * the winner from the counts per variant; whether the lead is significant is the kernel's
 * (ab-significance.ts). The use cases are in broadcast-winner.ts (tick) and broadcast.ts (enrollment).
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

/** The variant with the highest rate of the metric; ties (and no data) go to the earliest variant. */
export function pickWinner(counts: VariantCounts[], metric: AbTest['metric']): string {
  let best = counts[0];
  for (const c of counts.slice(1)) if (best && rateOf(c, metric) > rateOf(best, metric)) best = c;
  return best?.id ?? 'a';
}
