import type { Sequence } from './types';

/** The sequence's own settings by the label of their control (`entry.reentry` → Enter again). */
const SETTINGS: Record<string, string> = {
  id: 'Id',
  name: 'Name',
  description: 'Description',
  enabled: 'Turned on',
  trigger: 'Enroll when',
  'trigger.on': 'Enroll when',
  'trigger.formId': 'Form id',
  'trigger.stage': 'Stage',
  'trigger.type': 'Activity type',
  entry: 'Who enters',
  'entry.requireConsent': 'Only leads with marketing consent',
  'entry.reentry': 'Enter again',
  steps: 'the steps',
  exit: 'Who leaves',
  'exit.onHandoff': 'When the lead turns hot or sales owns it',
  'exit.stages': 'When the lead reaches',
  'exit.activities': 'When the lead has one of these activities',
  'exit.goal': 'Goal (ends it as goal met)',
};

/** A step's setting by the label of its control (`wait.days` → Wait days, `when.score.min` → Score at least). */
const STEP_SETTINGS: Record<string, string> = {
  id: 'Step id',
  template: 'Template',
  wait: 'Wait before it',
  'wait.days': 'Wait days',
  'wait.hours': 'Wait hours',
  'wait.minutes': 'Wait minutes',
  'wait.until': 'Until a weekday and time',
  'wait.until.weekday': 'Weekday',
  'wait.until.time': 'Time (HH:MM)',
  ignoreSendWindow: 'Send at once, whatever the send window',
  when: 'Send only when',
  'when.score': 'Send only when',
  'when.score.min': 'Score at least',
  'when.score.max': 'Score at most',
  'when.stage': 'Stage is one of',
  'when.stage.in': 'Stage is one of',
  'when.field': 'Profile field',
  'when.present': 'Operator',
  'when.equals': 'Value',
  'when.in': 'Values',
  'when.activity': 'Activity type',
  'when.happened': 'Send when it',
  'when.segment': 'Saved segment',
  variants: 'A/B test',
};

/**
 * A field of the sequence both people changed (`steps.2.wait.days`), named as the editor labels it:
 * "Step 3 “case-study”: Wait days"; a list is one setting (`exit.stages.1` → When the lead reaches).
 */
export function sequenceFieldInWords(path: string, sequence: Sequence): string {
  const parts = path.split('.');
  if (parts[0] === 'steps' && parts[1] !== undefined && /^\d+$/.test(parts[1])) {
    const n = Number(parts[1]);
    const id = sequence.steps[n]?.id;
    const step = `Step ${n + 1}${id ? ` “${id}”` : ''}`;
    const rest = parts.slice(2);
    if (rest.length === 0) return step;
    // A variant, or a word of a list (`when.stage.in.1`), is named by the setting it belongs to.
    const key = rest[0] === 'variants' ? 'variants' : rest.filter((p) => !/^\d+$/.test(p)).join('.');
    return `${step}: ${STEP_SETTINGS[key] ?? key}`;
  }
  const key = parts.filter((p) => !/^\d+$/.test(p)).join('.');
  return SETTINGS[key] ?? (path === '(the whole document)' ? 'the whole sequence' : path);
}
