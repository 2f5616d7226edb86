import type { Sequence, Step, StepCondition, Trigger, Wait } from './types';

/** A sequence in the marketer's words: waits, conditions, triggers and exits as sentences, not YAML. */

const WEEKDAY_NAMES: Record<string, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};
const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
const human = (id: string) => id.replace(/[_-]+/g, ' ');

export function waitWords(wait: Wait | undefined): string {
  if (!wait) return 'At once';
  if ('until' in wait)
    return `Wait until the next ${WEEKDAY_NAMES[wait.until.weekday]} at ${wait.until.time}`;
  const parts = [
    wait.days ? plural(wait.days, 'day') : '',
    wait.hours ? plural(wait.hours, 'hour') : '',
    wait.minutes ? plural(wait.minutes, 'minute') : '',
  ].filter(Boolean);
  return parts.length === 0 ? 'At once' : `Wait ${parts.join(', ')}`;
}

export function conditionWords(
  when: StepCondition | undefined,
  segmentName?: (id: string) => string,
): string {
  if (!when) return 'Always';
  if ('segment' in when)
    return `Only for leads in the segment “${segmentName?.(when.segment) ?? when.segment}”`;
  if ('score' in when) {
    const { min, max } = when.score;
    if (min !== undefined && max !== undefined) return `Only when the score is ${min} to ${max}`;
    if (min !== undefined) return `Only when the score is at least ${min}`;
    if (max !== undefined) return `Only when the score is at most ${max}`;
    return 'Only for scored leads';
  }
  if ('stage' in when) return `Only when the stage is ${when.stage.in.map(human).join(' or ')}`;
  if ('activity' in when)
    return when.happened === false
      ? `Only if the lead has not had “${human(when.activity)}”`
      : `Only if the lead has had “${human(when.activity)}”`;
  const parts: string[] = [];
  if (when.present !== undefined) parts.push(when.present ? 'is filled in' : 'is empty');
  if (when.equals !== undefined) parts.push(`is “${String(when.equals)}”`);
  if (when.in !== undefined) parts.push(`is one of ${when.in.map((v) => `“${v}”`).join(', ')}`);
  return `Only when ${when.field} ${parts.join(' and ') || 'is anything'}`;
}

export function triggerWords(trigger: Trigger): string {
  switch (trigger.on) {
    case 'form_submitted':
      return trigger.formId ? `When the form “${trigger.formId}” is submitted` : 'When any form is submitted';
    case 'stage_reached':
      return `When a lead reaches the stage ${human(trigger.stage)}`;
    case 'activity':
      return `When a lead has “${human(trigger.type)}”`;
    default:
      return 'Only when someone enrolls a lead by hand';
  }
}

export function exitWords(sequence: Sequence): string[] {
  const exit = sequence.exit;
  const lines: string[] = [];
  if (exit?.onHandoff !== false) lines.push('When the lead turns hot or sales owns it');
  if (exit?.stages?.length) lines.push(`When the lead reaches ${exit.stages.map(human).join(', ')}`);
  if (exit?.activities?.length)
    lines.push(`When the lead has ${exit.activities.map((a) => `“${human(a)}”`).join(', ')}`);
  if (exit?.goal) lines.push(`Goal met: when the lead has “${human(exit.goal)}”`);
  return lines;
}

export function entryWords(sequence: Sequence): string {
  const consent =
    sequence.entry?.requireConsent === false ? 'without asking for consent' : 'with marketing consent only';
  const again = sequence.entry?.reentry === 'after_exit' ? 'again after leaving it' : 'once per lead';
  return `Enrolls ${consent}, ${again}`;
}

export function stepSummary(step: Step): string {
  return `${waitWords(step.wait)}, then send “${step.template}”${step.ignoreSendWindow ? ' at once, whatever the send window' : ''}`;
}

/** Why a previewed step's time is later than its wait, or why it would be skipped. */
export const MOVED_WORDS: Record<string, string> = {
  frequency_cap: 'moved later by the frequency cap (the lead had enough email that day or week)',
  send_window: 'held until the send window opens',
};
