// biome-ignore lint/style/noRestrictedImports: one SES call with no adapter or wiring yet (issue 12 report: move it to adapters/ses and shared/wiring).
import { PutConfigurationSetSendingOptionsCommand } from '@aws-sdk/client-sesv2';
import type { EventBridgeEvent } from 'aws-lambda';
import { ses } from '../shared/aws/ses';
import { sendingConfig } from '../shared/config';
import { logger } from '../shared/logger';
import { eventHandler } from '../shared/middleware';

/** What EventBridge delivers when a CloudWatch alarm changes state (the fields read here). */
export interface AlarmStateChange {
  readonly alarmName: string;
  readonly state: { readonly value: string; readonly reason?: string; readonly timestamp?: string };
}

/** The answer: Lambda's on-success destination publishes it to the operators topic. */
export interface PauseResult {
  readonly paused: boolean;
  readonly configurationSet: string;
  readonly alarmName: string;
  readonly reason?: string;
  readonly resume?: string;
  readonly runbook?: string;
}

const RUNBOOK = 'docs/runbooks/ses-paused.md';
// Read at cold start: without the variable the function fails there, naming it.
const { configurationSet } = sendingConfig();

/**
 * EventBridge "CloudWatch Alarm State Change" of an SES reputation alarm (bounce or complaint rate):
 * turns sending off on the marketing configuration set (LEADFLOW_SES_CONFIGURATION_SET), nothing
 * else. Sends with that set are refused with SendingPausedException from then on, which send-email
 * treats as "later": steps wait with their backoff instead of failing. Only an operator turns sending
 * back on (the runbook). Pausing a paused set changes nothing, so Lambda's retries are safe.
 */
async function pauseMarketing(event: EventBridgeEvent<string, AlarmStateChange>): Promise<PauseResult> {
  const { alarmName, state } = event.detail;
  // The rule only forwards ALARM; anything else (a replay, a hand-made test event) pauses nothing.
  if (state?.value !== 'ALARM') {
    logger.warn('ses pause: not an alarm, nothing paused', { alarmName, state: state?.value });
    return { paused: false, configurationSet, alarmName };
  }
  await ses.send(
    new PutConfigurationSetSendingOptionsCommand({
      ConfigurationSetName: configurationSet,
      SendingEnabled: false,
    }),
  );
  logger.warn('ses pause: marketing sending paused', { alarmName, configurationSet });
  return {
    paused: true,
    configurationSet,
    alarmName,
    ...(state.reason !== undefined && { reason: state.reason }),
    resume: `aws sesv2 put-configuration-set-sending-options --configuration-set-name ${configurationSet} --sending-enabled`,
    runbook: RUNBOOK,
  };
}

/** The shared event chain: X-Ray tracing (the SES call is a subsegment) and EMF; errors pass through, so Lambda retries. */
export const handler = eventHandler(pauseMarketing);
