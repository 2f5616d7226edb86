import { sendPendingHandoffs } from '../core/handoff/sales';
import { queueDueSteps } from '../core/nurture/queue-due';
import { handoffConfig } from '../shared/config';
import { logger } from '../shared/logger';
import { eventHandler } from '../shared/middleware';
import { count } from '../shared/observability/metrics';
import { salesDeps } from '../shared/wiring/handoff';
import { dueStepQueueing } from '../shared/wiring/nurture';
import '../shared/identity';

const deps = salesDeps();
const { resendAfterSeconds } = handoffConfig();
const due = dueStepQueueing();

/**
 * EventBridge rate(1 minute) (every few seconds locally): re-send pending hand-offs from the
 * outbox, then queue nurture's due steps on email-jobs. Each part runs even if the other fails.
 */
export const handler = eventHandler(async () => {
  const [handoffs, steps] = await Promise.allSettled([
    sendPendingHandoffs(deps, resendAfterSeconds),
    queueDueSteps(due.index, due.jobs, { ...due.options, now: new Date() }),
  ]);
  if (handoffs.status === 'fulfilled') count('HandoffsSent', handoffs.value.sent);
  if (handoffs.status === 'fulfilled' && (handoffs.value.sent > 0 || handoffs.value.failed > 0))
    logger.info('tick: hand-offs', handoffs.value);
  if (steps.status === 'fulfilled' && steps.value.queued + steps.value.contended > 0)
    logger.info('tick: nurture steps queued', { ...steps.value });
  for (const failed of [handoffs, steps]) if (failed.status === 'rejected') throw failed.reason;
  return {
    handoffs: handoffs.status === 'fulfilled' ? handoffs.value : undefined,
    nurture: steps.status === 'fulfilled' ? steps.value : undefined,
  };
});
