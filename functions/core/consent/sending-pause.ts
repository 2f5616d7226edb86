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

/** Turns sending off on one SES configuration set (SESv2 PutConfigurationSetSendingOptions on AWS). */
export interface SendingSwitch {
  pause(configurationSet: string): Promise<void>;
}

export interface SendingPauseDeps {
  sending: SendingSwitch;
  /** The marketing configuration set: the only one an SES reputation alarm pauses. */
  configurationSet: string;
}

const RUNBOOK = 'docs/runbooks/ses-paused.md';

/**
 * An SES reputation alarm (bounce or complaint rate) changed state: on ALARM, turn sending off on the
 * marketing configuration set, nothing else. Sends with that set are refused with
 * SendingPausedException from then on, which send-email treats as "later": steps wait with their
 * backoff instead of failing. Only an operator turns sending back on (the runbook). Pausing a paused
 * set changes nothing, so retries are safe. Any other state (a replay, a hand-made test event)
 * pauses nothing.
 */
export async function pauseMarketingOnAlarm(
  deps: SendingPauseDeps,
  change: AlarmStateChange,
): Promise<PauseResult> {
  const { alarmName, state } = change;
  const { configurationSet } = deps;
  if (state?.value !== 'ALARM') return { paused: false, configurationSet, alarmName };
  await deps.sending.pause(configurationSet);
  return {
    paused: true,
    configurationSet,
    alarmName,
    ...(state.reason !== undefined && { reason: state.reason }),
    resume: `aws sesv2 put-configuration-set-sending-options --configuration-set-name ${configurationSet} --sending-enabled`,
    runbook: RUNBOOK,
  };
}
