import { sendPendingHandoffs } from '../core/handoff/sales';
import { intEnv } from '../shared/env';
import { logger } from '../shared/logger';
import { salesDeps } from '../shared/sales-wiring';

const deps = salesDeps();
const resendAfterSeconds = intEnv('LEADFLOW_HANDOFF_RESEND_AFTER_SECONDS', 60);

/** EventBridge rate(1 minute) (every few seconds locally): re-send pending hand-offs from the outbox. */
export const handler = async () => {
  const result = await sendPendingHandoffs(deps, resendAfterSeconds);
  if (result.sent > 0 || result.failed > 0) logger.info('tick: hand-offs', result);
  return result;
};
