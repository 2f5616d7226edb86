import { DynamoDueIndex } from '../adapters/dynamodb/due-index';
import { SqsEmailJobs } from '../adapters/sqs/email-job-queue';
import { sendPendingHandoffs } from '../core/handoff/sales';
import { queueDueSteps } from '../core/nurture/queue-due';
import { dynamo } from '../shared/clients';
import { intEnv, requireEnv } from '../shared/env';
import { logger } from '../shared/logger';
import { queueUrlEnv } from '../shared/routes';
import { salesDeps } from '../shared/sales-wiring';
import { sqs } from '../shared/sqs';
import '../shared/identity';

const deps = salesDeps();
const resendAfterSeconds = intEnv('LEADFLOW_HANDOFF_RESEND_AFTER_SECONDS', 60);
const dueIndex = new DynamoDueIndex(dynamo, requireEnv('LEADFLOW_TABLE_NAME'));
const emailJobs = new SqsEmailJobs(sqs, requireEnv(queueUrlEnv('email-jobs')));
const nurture = {
  leaseSeconds: intEnv('LEADFLOW_NURTURE_LEASE_SECONDS', 900),
  pageSize: 100,
  maxLeads: intEnv('LEADFLOW_NURTURE_MAX_PER_TICK', 20_000),
};

/**
 * EventBridge rate(1 minute) (every few seconds locally): re-send pending hand-offs from the
 * outbox, then queue nurture's due steps on email-jobs. Each part runs even if the other fails.
 */
export const handler = async () => {
  const [handoffs, steps] = await Promise.allSettled([
    sendPendingHandoffs(deps, resendAfterSeconds),
    queueDueSteps(dueIndex, emailJobs, { ...nurture, now: new Date() }),
  ]);
  if (handoffs.status === 'fulfilled' && (handoffs.value.sent > 0 || handoffs.value.failed > 0))
    logger.info('tick: hand-offs', handoffs.value);
  if (steps.status === 'fulfilled' && steps.value.queued + steps.value.contended > 0)
    logger.info('tick: nurture steps queued', { ...steps.value });
  for (const failed of [handoffs, steps]) if (failed.status === 'rejected') throw failed.reason;
  return {
    handoffs: handoffs.status === 'fulfilled' ? handoffs.value : undefined,
    nurture: steps.status === 'fulfilled' ? steps.value : undefined,
  };
};
