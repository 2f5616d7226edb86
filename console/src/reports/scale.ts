/** Axis arithmetic for the report charts (pure, so it is unit-tested without a browser). */

/**
 * A y axis from 0 for counts up to `max`: a step of 1, 2 or 5 × 10^k (never below 1) giving at
 * most about 4 steps, the top a multiple of it, and a tick at each step.
 */
export function niceScale(max: number): { top: number; ticks: number[] } {
  const target = Math.max(1, max);
  const raw = target / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((v) => v >= raw) ?? 10 * power);
  const top = step * Math.ceil(target / step);
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  return { top, ticks };
}

/** Which of `count` x labels to print so that at most `room` show, always the first and last. */
export function labelEvery(count: number, room: number): (i: number) => boolean {
  if (count <= room) return () => true;
  const step = Math.ceil((count - 1) / Math.max(1, room - 1));
  return (i) => i === count - 1 || (i % step === 0 && count - 1 - i >= step / 2);
}
