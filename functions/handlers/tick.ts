import { sendPendingHandoffs } from '../core/handoff/sales';
import { watchSla } from '../core/handoff/sla-watch';
import { publishPending } from '../core/integrations/publish';
import { decideAbTests } from '../core/nurture/broadcast-winner';
import { queueDueSteps } from '../core/nurture/queue-due';
import { aggregateReports } from '../core/reports/aggregate';
import { handoffConfig, salesConfig } from '../shared/config';
import { logger } from '../shared/logger';
import { eventHandler } from '../shared/middleware';
import { count } from '../shared/observability/metrics';
import { winnerDeps } from '../shared/wiring/broadcasts';
import { salesDeps } from '../shared/wiring/handoff';
import { PUBLISH_OPTIONS, publisherDeps } from '../shared/wiring/integrations';
import { dueStepQueueing } from '../shared/wiring/nurture';
import { AGGREGATE_OPTIONS, aggregatorDeps } from '../shared/wiring/reports';
import { slaWatchDeps } from '../shared/wiring/sla';
import '../shared/identity';

const deps = salesDeps();
const { resendAfterSeconds } = handoffConfig();
const due = dueStepQueueing();
const reports = aggregatorDeps();
const publisher = publisherDeps();
const winners = winnerDeps(due.jobs);
const sla = slaWatchDeps();

/**
 * EventBridge rate(1 minute) (every few seconds locally): re-send pending hand-offs from the
 * outbox, queue nurture's due steps on email-jobs, count new timeline entries into the report
 * rollups, pick the winners of broadcast A/B tests whose wait is over, and publish the timeline's
 * integration events (one message per event and destination on integration-deliveries), and tell
 * the managers' tools of hot leads waiting past the sales SLA. Each part runs even if another fails.
 */
export const handler = eventHandler(async () => {
  const [handoffs, steps, rollups, abTests, events, slaBreaches] = await Promise.allSettled([
    sendPendingHandoffs(deps, resendAfterSeconds),
    queueDueSteps(due.index, due.jobs, { ...due.options, now: new Date() }),
    aggregateReports(reports, AGGREGATE_OPTIONS),
    decideAbTests(winners),
    publishPending(publisher, PUBLISH_OPTIONS),
    watchSla(sla, salesConfig().slaMinutes),
  ]);
  if (handoffs.status === 'fulfilled') count('HandoffsSent', handoffs.value.sent);
  if (handoffs.status === 'fulfilled' && (handoffs.value.sent > 0 || handoffs.value.failed > 0))
    logger.info('tick: hand-offs', handoffs.value);
  if (steps.status === 'fulfilled' && steps.value.queued + steps.value.contended > 0)
    logger.info('tick: nurture steps queued', { ...steps.value });
  if (rollups.status === 'fulfilled') {
    count('TimelineEntriesCounted', rollups.value.entries);
    if (rollups.value.batches > 0) logger.info('tick: report rollups', { ...rollups.value });
  }
  if (abTests.status === 'fulfilled' && abTests.value.decided.length > 0)
    logger.info('tick: A/B winners chosen', { broadcasts: abTests.value.decided });
  if (events.status === 'fulfilled' && events.value.entries > 0) {
    count('IntegrationDeliveriesQueued', events.value.deliveries);
    logger.info('tick: integration events', { ...events.value });
  }
  if (slaBreaches.status === 'fulfilled' && slaBreaches.value.breached + slaBreaches.value.republished > 0)
    logger.info('tick: SLA breaches published', { ...slaBreaches.value });
  for (const failed of [handoffs, steps, rollups, abTests, events, slaBreaches])
    if (failed.status === 'rejected') throw failed.reason;
  return {
    handoffs: handoffs.status === 'fulfilled' ? handoffs.value : undefined,
    nurture: steps.status === 'fulfilled' ? steps.value : undefined,
    reports: rollups.status === 'fulfilled' ? rollups.value : undefined,
    integrations: events.status === 'fulfilled' ? events.value : undefined,
    slaBreaches: slaBreaches.status === 'fulfilled' ? slaBreaches.value : undefined,
  };
});
