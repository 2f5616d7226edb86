import { SesSendingSwitch } from '../../adapters/ses/sending-switch';
import type { SendingPauseDeps } from '../../core/consent/sending-pause';
import type { SesEventDeps } from '../../core/consent/ses-events';
import type { UnsubscribeDeps } from '../../core/consent/unsubscribe';
import { ses } from '../aws/ses';
import { sendingConfig } from '../config';
import { recordingWithImmediateHandoff } from './handoff';
import { clock, leadStore, suppressionStore } from './kernel';
import { type LeadRecording, recordingWithHandoffByTick } from './leads';

/** One-click unsubscribe: the lead, the suppression list, the clock. */
export function unsubscribeDeps(): UnsubscribeDeps {
  return { leads: leadStore(), suppressions: suppressionStore(), clock };
}

/** Double opt-in confirmation: a lead the confirmation makes hot is sent to sales by tick, from the outbox. */
export function confirmDeps(): LeadRecording {
  return recordingWithHandoffByTick();
}

/** SES events: bounces and complaints suppress; engagement is recorded (a hot lead is handed off at once). */
export function sesEventDeps(): SesEventDeps {
  return { ...recordingWithImmediateHandoff(), suppressions: suppressionStore() };
}

/** SES reputation alarms: the marketing configuration set's sending switch (read at cold start, naming a missing variable). */
export function sendingPauseDeps(): SendingPauseDeps {
  return { sending: new SesSendingSwitch(ses), configurationSet: sendingConfig().configurationSet };
}
