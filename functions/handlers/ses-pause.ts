import type { EventBridgeEvent } from 'aws-lambda';
import {
  type AlarmStateChange,
  type PauseResult,
  pauseMarketingOnAlarm,
} from '../core/consent/sending-pause';
import { logger } from '../shared/logger';
import { eventHandler } from '../shared/middleware';
import { sendingPauseDeps } from '../shared/wiring/consent';

export type { AlarmStateChange, PauseResult };

const deps = sendingPauseDeps();

/**
 * EventBridge "CloudWatch Alarm State Change" of an SES reputation alarm. Shared event chain: X-Ray
 * tracing (the SES call is a subsegment) and EMF; errors pass through, so Lambda retries.
 */
export const handler = eventHandler(async (event: EventBridgeEvent<string, AlarmStateChange>) => {
  const result = await pauseMarketingOnAlarm(deps, event.detail);
  if (result.paused)
    logger.warn('ses pause: marketing sending paused', {
      alarmName: result.alarmName,
      configurationSet: result.configurationSet,
    });
  else logger.warn('ses pause: not an alarm, nothing paused', { alarmName: result.alarmName });
  return result;
});
