import { DynamoRollupStore } from '../../adapters/dynamodb/report-rollups';
import { tagValue } from '../../core/kernel/email-attribution';
import type { Broadcast } from '../../core/nurture/broadcast-ports';
import type { BroadcastReport } from '../../core/nurture/broadcast-results';
import type { WinnerDeps } from '../../core/nurture/broadcast-winner';
import { parseEmailDims } from '../../core/reports/email';
import type { RollupStore } from '../../core/reports/ports';
import { dynamo } from '../aws/dynamodb';
import { clock, tableName } from './kernel';
import { broadcastStore, emailJobQueue } from './nurture';

const DAY = 86_400_000;
/** A day a day either side of `at` (UTC): rollup days are in the reports' zone, at most a day off UTC. */
const utcDay = (at: number) => new Date(at).toISOString().slice(0, 10);

// The rollups' adapter itself, not wiring/reports.ts: that module builds the event archive's S3 client too.
/**
 * A broadcast's counts from the email report's rollups: every email row from the day it was made
 * to today (a day wider each side, whatever the reports' time zone) that names it, summed per step
 * (`broadcast`, or `variant-b` in an A/B test).
 */
export function broadcastReport(
  rollups: Pick<RollupStore, 'read' | 'freshAsOf'> = new DynamoRollupStore(dynamo, tableName()),
): BroadcastReport {
  return {
    async countsOf(broadcast: Pick<Broadcast, 'broadcastId' | 'createdAt'>, now: Date) {
      const bc = tagValue(broadcast.broadcastId);
      const [rows, freshAsOf] = await Promise.all([
        rollups.read('email', utcDay(Date.parse(broadcast.createdAt) - DAY), utcDay(now.getTime() + DAY)),
        rollups.freshAsOf(),
      ]);
      const steps: Record<string, Record<string, number>> = {};
      for (const row of rows) {
        const dims = parseEmailDims(row.dims);
        if (dims.bc !== bc) continue;
        const sum = steps[dims.step] ?? {};
        steps[dims.step] = sum;
        for (const [name, value] of Object.entries(row.counts)) sum[name] = (sum[name] ?? 0) + value;
      }
      return { steps, freshAsOf };
    },
  };
}

/** What tick needs to pick A/B winners: broadcasts, the email report, email-jobs for the rest's first page. */
export function winnerDeps(jobs = emailJobQueue()): WinnerDeps {
  return {
    broadcasts: broadcastStore(),
    report: broadcastReport(),
    requestPage: (broadcastId, cursor) => jobs.requestBroadcastPage(broadcastId, cursor),
    clock,
  };
}
