/**
 * Is one A/B variant ahead of another? A two-proportion z-test on unique opens or clicks per send,
 * said in words for the marketer. Shared by broadcasts' A/B tests (nurture) and the email report's
 * split of a sequence step by variant (reports).
 */
export type AbMetric = 'opened' | 'clicked';

export interface VariantCounts {
  id: string;
  sent: number;
  opened: number;
  clicked: number;
}

/** The metric's share of sends (0 with nothing sent). */
export const rateOf = (counts: VariantCounts, metric: AbMetric) =>
  counts.sent === 0 ? 0 : counts[metric] / counts.sent;

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

/** A broadcast's variants are letters (`a` → A); a step's may be names, said as written. */
const variantLabel = (id: string) => (/^[a-z]$/.test(id) ? id.toUpperCase() : `"${id}"`);

/** Is the leading variant ahead of the runner-up at 95%? Said in words for the marketer. */
export function significance(counts: VariantCounts[], metric: AbMetric): Significance | undefined {
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
      ? `variant ${variantLabel(leader.id)} leads at 95% confidence`
      : 'not yet significant (under 95% confidence)',
  };
}
