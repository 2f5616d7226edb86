/**
 * When a failed delivery is tried again: exponential backoff with full jitter (AWS Architecture
 * Blog, "Exponential Backoff And Jitter"): attempt n waits a random time up to
 * min(MAX_WAIT, BASE · 2^(n-1)), or the receiver's Retry-After when it asks for longer. Retries
 * stop after MAX_ATTEMPTS or a day after the first attempt, whichever comes first.
 */
export const MAX_ATTEMPTS = 12;
export const RETRY_WINDOW_SECONDS = 24 * 3600;
/** The first retry's ceiling; later ones double it. Configurable (tests shorten it). */
export const RETRY_BASE_SECONDS = 120;
const MAX_WAIT_SECONDS = 12 * 3600;

/** The ceiling of the wait after failed attempt `attempt` (1-based): 2, 4, 8 min ... 12 h. */
export const backoffCeiling = (attempt: number, base = RETRY_BASE_SECONDS) =>
  Math.min(MAX_WAIT_SECONDS, base * 2 ** Math.max(0, attempt - 1));

/** Seconds to wait after failed attempt `attempt`; `random` in [0, 1). At least one second. */
export function retryDelaySeconds(
  attempt: number,
  random: number,
  retryAfterSeconds?: number,
  base = RETRY_BASE_SECONDS,
): number {
  const jittered = Math.floor(random * backoffCeiling(attempt, base));
  return Math.max(1, jittered, Math.min(MAX_WAIT_SECONDS, retryAfterSeconds ?? 0));
}

/** Whether another attempt may follow failed attempt `attempt` (first queued at `firstQueuedAt`). */
export function mayRetry(attempt: number, firstQueuedAt: string, now: Date, delaySeconds: number): boolean {
  const due = now.getTime() + delaySeconds * 1000;
  return attempt < MAX_ATTEMPTS && due <= Date.parse(firstQueuedAt) + RETRY_WINDOW_SECONDS * 1000;
}

/** Retry-After as seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  if (/^\d{1,9}$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
