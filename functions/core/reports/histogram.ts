/**
 * Durations as histogram buckets in a rollup's counts, so medians and p90 are read from the
 * buckets: bucket i holds durations in [EDGES[i], EDGES[i+1]) hours; the last is open. A quantile
 * is reported as the upper edge of its bucket (the last bucket: its lower edge).
 */
export const HOUR_EDGES = [0, 1, 2, 4, 8, 12, 24, 48, 72, 120, 168, 336, 720, 1440, 2160] as const;

export function bucketOf(hours: number): number {
  let bucket = 0;
  for (let i = 0; i < HOUR_EDGES.length; i += 1) if (hours >= (HOUR_EDGES[i] ?? 0)) bucket = i;
  return bucket;
}

/** The counts key of a duration's bucket: `<prefix><bucket>` (e.g. `ttc_h3`). */
export const bucketKey = (prefix: string, hours: number) => `${prefix}${bucketOf(Math.max(0, hours))}`;

/** The q-quantile (0..1) of the durations in counts under `prefix`, in hours; null with none. */
export function quantileHours(counts: Record<string, number>, prefix: string, q: number): number | null {
  const perBucket = HOUR_EDGES.map((_, i) => counts[`${prefix}${i}`] ?? 0);
  const total = perBucket.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const wanted = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < perBucket.length; i += 1) {
    seen += perBucket[i] ?? 0;
    if (seen >= wanted) return HOUR_EDGES[i + 1] ?? HOUR_EDGES[i] ?? 0;
  }
  return null;
}
