import type { MiddlewareObj } from '@middy/core';

export interface SteadyDurationOptions {
  /** Every answer takes at least this long (0: off). */
  minimumMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaults = {
  now: () => performance.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/**
 * Answers no sooner than `minimumMs` after the request arrived, whatever happened: on the public
 * form route, a known address (read, merge, write) would otherwise answer measurably later than a
 * new one (one conditional write), telling anyone who submits an address whether that person is
 * already a lead. A floor above both paths' usual duration makes them look alike; the cost is
 * Lambda time spent waiting, not DynamoDB requests.
 */
export function steadyDuration(options: SteadyDurationOptions): MiddlewareObj {
  const { minimumMs, now, sleep } = { ...defaults, ...options };
  // Per request: the local stack runs one handler for many requests at once.
  const startedAt = new WeakMap<object, number>();
  const waitOut = async (request: object) => {
    const left = minimumMs - (now() - (startedAt.get(request) ?? now()));
    if (left > 0) await sleep(left);
  };
  return {
    before: async function markStart(request) {
      startedAt.set(request, now());
    },
    after: waitOut,
    onError: waitOut,
  };
}
