import { pickWinner, rateOf, significance, type VariantCounts, variantStep } from './broadcast-ab';
import type { AbTest } from './broadcast-bodies';
import type { Broadcast } from './broadcast-ports';
import { broadcastStatus } from './broadcast-status';
import type { BroadcastResults } from './responses';

/** Email-report counts of one broadcast, summed per step (`broadcast`, or `variant-<id>` in an A/B test). */
export interface BroadcastCounts {
  steps: Record<string, Record<string, number>>;
  /** The reports count timeline entries at most a tick behind: when they last caught up. */
  freshAsOf: string | null;
}

/** The email report as broadcasts read it (wired from the reports' rollups). */
export interface BroadcastReport {
  countsOf(broadcast: Pick<Broadcast, 'broadcastId' | 'createdAt'>, now: Date): Promise<BroadcastCounts>;
}

const sumOf = (steps: BroadcastCounts['steps'], name: string) =>
  Object.values(steps).reduce((total, counts) => total + (counts[name] ?? 0), 0);

/** Counts per A/B variant (every variant listed, zero when nothing was counted for it yet). */
export function variantCounts(
  ab: Pick<AbTest, 'variants'>,
  steps: BroadcastCounts['steps'],
): VariantCounts[] {
  return ab.variants.map((v) => {
    const counts = steps[variantStep(v.id)] ?? {};
    return { id: v.id, sent: counts.sent ?? 0, opened: counts.opened ?? 0, clicked: counts.clicked ?? 0 };
  });
}

/**
 * A broadcast's progress and results from the email report.
 * 1. Progress: enrolled (the broadcast's own count) against sent, skipped and failed.
 * 2. Results: delivered, unique opens and clicks (and every open and click), bounces, complaints,
 *    unsubscribes.
 * 3. With an A/B test: each variant's sends and its winner-metric rate, the winner once chosen (or
 *    the one leading now), and whether the leader is ahead at 95% (two-proportion z-test).
 */
export async function broadcastResults(
  deps: { report: BroadcastReport },
  broadcast: Broadcast,
  now: Date,
): Promise<BroadcastResults> {
  const { steps, freshAsOf } = await deps.report.countsOf(broadcast, now);
  const n = (name: string) => sumOf(steps, name);
  const sent = n('sent');
  const skipped = n('skipped');
  const failed = n('failed');
  const ab = broadcast.abTest;
  let abTest: BroadcastResults['abTest'];
  if (ab) {
    const counts = variantCounts(ab, steps);
    const winner = ab.winner;
    const leading = winner ?? pickWinner(counts, ab.metric);
    abTest = {
      metric: ab.metric,
      ...(winner ? { winner } : {}),
      decideAt: ab.decideAt,
      variants: counts.map((c) => {
        const variant = ab.variants.find((v) => v.id === c.id);
        return {
          ...c,
          ...(variant?.subject ? { subject: variant.subject } : {}),
          template: variant?.template ?? broadcast.template,
          rate: rateOf(c, ab.metric),
          winner: c.id === leading && winner !== undefined,
        };
      }),
      significance: significance(counts, ab.metric),
    };
  }
  return {
    broadcastId: broadcast.broadcastId,
    status: broadcastStatus(broadcast, now),
    freshAsOf,
    progress: {
      enrolled: broadcast.enrolled,
      sent,
      skipped,
      failed,
      pending: Math.max(0, broadcast.enrolled - sent - skipped - failed),
    },
    results: {
      delivered: n('delivered'),
      opened: n('opened'),
      clicked: n('clicked'),
      opens: n('opens'),
      clicks: n('clicks'),
      bounced: n('bounced'),
      complained: n('complained'),
      unsubscribed: n('unsubscribed'),
      skippedBroadcastCancelled: n('skipped_broadcast_cancelled'),
    },
    ...(abTest ? { abTest } : {}),
  };
}
