import { pickWinner } from './broadcast-ab';
import type { BroadcastDeps } from './broadcast-ports';
import { type BroadcastReport, variantCounts } from './broadcast-results';

export interface WinnerDeps extends Pick<BroadcastDeps, 'broadcasts' | 'requestPage' | 'clock'> {
  report: BroadcastReport;
}

/**
 * tick: A/B tests whose wait is over get their winner, and the rest of the segment gets it.
 * Input: none (the clock's time). Output: the broadcasts decided in this run.
 * 1. Find the broadcasts in their test phase with decideAt passed (and won ones whose rest phase was
 *    never queued: a run that died after choosing).
 * 2. Count each variant's unique opens or clicks per send from the email report; the highest rate
 *    wins, a tie (or no data) goes to the first variant.
 * 3. Record the winner and start the rest phase (conditional on the test phase: one run wins), queue
 *    its first page, then mark it queued.
 */
export async function decideAbTests(deps: WinnerDeps): Promise<{ decided: string[] }> {
  const now = deps.clock.now();
  const decided: string[] = [];
  for (const broadcast of await deps.broadcasts.awaitingWinner(now.toISOString())) {
    const ab = broadcast.abTest;
    if (!ab) continue;
    if (broadcast.phase === 'test') {
      const { steps } = await deps.report.countsOf(broadcast, now);
      const winner = pickWinner(variantCounts(ab, steps), ab.metric);
      if (!(await deps.broadcasts.chooseWinner(broadcast.broadcastId, winner, now.toISOString()))) continue;
      decided.push(broadcast.broadcastId);
    }
    await deps.requestPage(broadcast.broadcastId, null);
    await deps.broadcasts.restQueued(broadcast.broadcastId);
  }
  return { decided };
}
