import { describe, expect, it } from 'vitest';
import { inWords, problemsOfSequence, whereInWords } from '../../console/src/sequences/errors';
import { lineDiff } from '../../console/src/sequences/line-diff';
import { exitedBy } from '../../console/src/sequences/numbers';
import { sequenceOfPath } from '../../console/src/sequences/paths';
import { withSequence } from '../../console/src/sequences/save';
import type { NurtureState, Sequence } from '../../console/src/sequences/types';
import { conditionWords, exitWords, triggerWords, waitWords } from '../../console/src/sequences/words';

const welcome: Sequence = {
  id: 'welcome',
  name: 'Welcome',
  enabled: true,
  trigger: { on: 'form_submitted', formId: 'newsletter' },
  entry: { requireConsent: true, reentry: 'never' },
  steps: [
    { id: 'hello', template: 'welcome', wait: { days: 0, hours: 0, minutes: 0 }, ignoreSendWindow: true },
    {
      id: 'day-2',
      template: 'getting-started',
      wait: { days: 2, hours: 3, minutes: 0 },
      ignoreSendWindow: false,
    },
  ],
  exit: { onHandoff: true, stages: ['sql', 'customer'], activities: [], goal: 'trial_started' },
};

describe('a sequence in words', () => {
  it('says waits, conditions, triggers and exits as sentences', () => {
    expect(waitWords({ days: 0, hours: 0, minutes: 0 })).toBe('At once');
    expect(waitWords({ days: 2, hours: 3, minutes: 0 })).toBe('Wait 2 days, 3 hours');
    expect(waitWords({ until: { weekday: 'tue', time: '10:00' } })).toBe(
      'Wait until the next Tuesday at 10:00',
    );
    expect(conditionWords({ score: { min: 40 } })).toBe('Only when the score is at least 40');
    expect(conditionWords({ activity: 'webinar_attended', happened: false })).toBe(
      'Only if the lead has not had “webinar attended”',
    );
    expect(conditionWords({ segment: 'hot-eu' }, () => 'Hot leads in the EU')).toBe(
      'Only for leads in the segment “Hot leads in the EU”',
    );
    expect(conditionWords({ field: 'country', in: ['DE', 'AT'] })).toBe(
      'Only when country is one of “DE”, “AT”',
    );
    expect(triggerWords({ on: 'stage_reached', stage: 'recycled' })).toBe(
      'When a lead reaches the stage recycled',
    );
    expect(exitWords(welcome)).toEqual([
      'When the lead turns hot or sales owns it',
      'When the lead reaches sql, customer',
      'Goal met: when the lead has “trial started”',
    ]);
  });
});

describe('problems brought to the field they belong to', () => {
  it('keys validate and save problems by the path inside the sequence, in words', () => {
    const errors = problemsOfSequence(
      [
        { path: 'sequences.2.steps.1.wait.days', message: 'Too big: expected number to be <=365' },
        { path: 'config.sequences.2.steps.0.when.score', message: 'Unrecognized key: "below"' },
        { path: 'sequences.0.name', message: 'Too small: expected string to have >=1 characters' },
      ],
      2,
    );
    expect(errors).toEqual({
      'steps.1.wait.days': 'must be at most 365',
      'steps.0.when.score': '"below" is not a setting here',
      'config:sequences.0.name': 'must be filled in',
    });
    expect(whereInWords('steps.1.wait.days', welcome)).toBe('Step 2 “day-2”: wait, days');
    expect(whereInWords('config:sequences.0.name', welcome)).toBe(
      'Elsewhere in the config (sequences.0.name)',
    );
    // The API's own sentences stay as they are.
    expect(inWords('no template "nope"')).toBe('no template "nope"');
  });
});

describe('saving keeps the rest of the config, and A/B variants, as they are', () => {
  it('replaces the sequence in place (or adds it) in the active document', () => {
    const withVariants = {
      ...welcome,
      steps: [{ ...welcome.steps[1], variants: [{ name: 'a', share: 50, subject: 'A' }] }],
    } as Sequence;
    const state: NurtureState = {
      active: {
        version: 4,
        document: { sequences: [withVariants, { ...welcome, id: 'other' }], templates: [], layout: 1 },
      },
      versions: [],
    };
    const edited = { ...withVariants, name: 'Welcome!' };
    const { config, index } = withSequence(state, edited, 'welcome');
    expect(index).toBe(0);
    expect((config as Record<string, unknown>).layout).toBe(1);
    expect(config.sequences.map((s) => s.id)).toEqual(['welcome', 'other']);
    const [first] = config.sequences;
    expect((first?.steps[0] as { variants?: unknown } | undefined)?.variants).toEqual([
      { name: 'a', share: 50, subject: 'A' },
    ]);
    expect(withSequence(state, { ...welcome, id: 'new' }, 'new').index).toBe(2);
  });
});

describe('helpers', () => {
  it('reads its paths, says exit reasons in words and diffs lines', () => {
    expect(sequenceOfPath('/console/sequences')).toEqual({});
    expect(sequenceOfPath('/console/sequences/welcome/edit')).toEqual({ sequenceId: 'welcome', edit: true });
    expect(sequenceOfPath('/console/sequencesx')).toBeUndefined();
    expect(exitedBy({ sequence: 'welcome', exited_handoff: 2, exited_goal_met: 1, exited_erased: 0 })).toBe(
      '2 handed to sales, 1 met the goal',
    );
    expect(lineDiff('a\nb\nc', 'a\nB\nc')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'added', text: 'B' },
      { kind: 'removed', text: 'b' },
      { kind: 'same', text: 'c' },
    ]);
  });
});
