/** Small helpers shared by the benchmarks: percentiles, a bounded worker pool, formatting. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** Runs `total` tasks with at most `concurrency` in flight; returns per-task latencies (ms) and wall time. */
export async function pool(total: number, concurrency: number, task: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        await task(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const wallMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: (total / wallMs) * 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    wallMs,
  };
}

/** Throughput over all rounds (total work / total time) and the median of the rounds' percentiles. */
export function combine(rounds: { perSecond: number; p50: number; p99: number; wallMs: number }[]) {
  const work = rounds.reduce((sum, r) => sum + r.perSecond * r.wallMs, 0);
  const wallMs = rounds.reduce((sum, r) => sum + r.wallMs, 0);
  return {
    perSecond: work / wallMs,
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    wallMs,
  };
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);

/**
 * Runs pools of `batch` tasks until two in a row are within 10% of each other (at most `max`
 * pools), so the JIT's warm-up is not measured: on this stack a bare PutItem's rate went on rising
 * for ~5,000 puts (981 → 2,203 /s), and a cold floor flattered every ratio against it.
 * Returns how many tasks it ran; task numbers run on from `from`.
 */
export async function warmUp(
  task: (i: number) => Promise<void>,
  concurrency: number,
  from = 0,
  batch = 500,
  max = 10,
) {
  let previous = 0;
  for (let k = 0; k < max; k += 1) {
    const { perSecond } = await pool(batch, concurrency, (i) => task(from + k * batch + i));
    if (previous && Math.abs(perSecond - previous) / previous < 0.1) return (k + 1) * batch;
    previous = perSecond;
  }
  return max * batch;
}
