import { describe, expect, it } from 'vitest';
import { inWords, problemsOfSequence, whereInWords } from '../../console/src/sequences/errors';
import { lineDiff } from '../../console/src/sequences/line-diff';
import {
  draftProblems,
  emptyDraft,
  idProblem,
  type NewSequenceDraft,
  newSequence,
} from '../../console/src/sequences/new-sequence';
import { exitedBy } from '../../console/src/sequences/numbers';
import { sequenceOfPath } from '../../console/src/sequences/paths';
import { sequenceFieldInWords } from '../../console/src/sequences/reapply-words';
import { withSequence } from '../../console/src/sequences/save';
import type { NurtureState, Sequence } from '../../console/src/sequences/types';
import { conditionWords, exitWords, triggerWords, waitWords } from '../../console/src/sequences/words';
import { sequenceSchema } from '../../functions/core/nurture/config-schema';

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

describe('a field both people changed, named as the editor labels it', () => {
  const words = (path: string) => sequenceFieldInWords(path, welcome);

  it('names a step by its number and id, and its setting by the control', () => {
    expect(words('steps.1.wait.days')).toBe('Step 2 “day-2”: Wait days');
    expect(words('steps.0.template')).toBe('Step 1 “hello”: Template');
    expect(words('steps.0.id')).toBe('Step 1 “hello”: Step id');
    expect(words('steps.1.wait.until.time')).toBe('Step 2 “day-2”: Time (HH:MM)');
    expect(words('steps.1.when.score.min')).toBe('Step 2 “day-2”: Score at least');
    expect(words('steps.1.when.stage.in.0')).toBe('Step 2 “day-2”: Stage is one of');
    expect(words('steps.1.variants.0.share')).toBe('Step 2 “day-2”: A/B test');
    expect(words('steps.1')).toBe('Step 2 “day-2”');
    expect(words('steps.5.template')).toBe('Step 6: Template');
  });

  it('names the sequence’s own settings, a list as one setting, and the steps as a whole', () => {
    expect(words('name')).toBe('Name');
    expect(words('enabled')).toBe('Turned on');
    expect(words('trigger.formId')).toBe('Form id');
    expect(words('entry.reentry')).toBe('Enter again');
    expect(words('exit.stages.1')).toBe('When the lead reaches');
    expect(words('exit.goal')).toBe('Goal (ends it as goal met)');
    expect(words('steps')).toBe('the steps');
    expect(words('(the whole document)')).toBe('the whole sequence');
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

describe('a new sequence', () => {
  const templates = [{ id: 'welcome' }, { id: 'check-in' }];
  const draft = (patch: Partial<NewSequenceDraft> = {}): NewSequenceDraft => ({
    ...emptyDraft(templates),
    id: 'trial-follow-up',
    name: 'Trial follow-up',
    ...patch,
  });

  it('checks the id as the schema does, and against the sequences there are', () => {
    const existing = ['welcome', 'back-to-nurture'];
    expect(idProblem('trial-follow-up', existing)).toBeUndefined();
    expect(idProblem('', existing)).toBe('must be filled in');
    expect(idProblem('Trial', existing)).toMatch(/^use lower-case letters, digits and -/);
    expect(idProblem('-trial', existing)).toMatch(/^use lower-case letters/);
    expect(idProblem('trial follow', existing)).toMatch(/^use lower-case letters/);
    expect(idProblem('a'.repeat(65), existing)).toBe('may be at most 64 characters');
    expect(idProblem('welcome', existing)).toBe('a sequence “welcome” exists already: choose another id');
    expect(idProblem('new', existing)).toBe('“new” is kept for this page: choose another id');
    // The same rule as the schema's: what the console lets through, the API takes.
    for (const id of ['a', 'trial-2', 'x'.repeat(64), 'A', '-a', 'a_b', 'x'.repeat(65)])
      expect(idProblem(id, []) === undefined).toBe(sequenceSchema.shape.id.safeParse(id).success);
  });

  it('says each missing or wrong field at its key, and builds a sequence the schema takes', () => {
    expect(draftProblems(draft(), [])).toEqual({});
    expect(
      draftProblems(
        draft({ id: '', name: ' ', waitDays: '1.5', template: '', trigger: { on: 'activity', type: '' } }),
        [],
      ),
    ).toEqual({
      id: 'must be filled in',
      name: 'must be filled in',
      'trigger.type': 'must be filled in',
      'steps.0.wait.days': 'must be a whole number of days from 0 to 365',
      'steps.0.template': 'choose a template',
    });
    expect(draftProblems(draft({ waitDays: '366' }), [])).toHaveProperty('steps.0.wait.days');
    const sequence = newSequence(
      draft({
        trigger: { on: 'form_submitted', formId: 'demo-request' },
        waitDays: '2',
        template: 'check-in',
      }),
    );
    expect(sequence).toEqual({
      id: 'trial-follow-up',
      name: 'Trial follow-up',
      enabled: true,
      trigger: { on: 'form_submitted', formId: 'demo-request' },
      entry: { requireConsent: true, reentry: 'never' },
      steps: [
        {
          id: 'check-in',
          wait: { days: 2, hours: 0, minutes: 0 },
          template: 'check-in',
          ignoreSendWindow: false,
        },
      ],
      exit: { onHandoff: true, stages: [], activities: [] },
    });
    expect(sequenceSchema.parse(sequence)).toEqual(sequence);
  });

  it('is added after the sequences there are when saved, and has its own page path', () => {
    const state: NurtureState = {
      active: { version: 3, document: { sequences: [welcome], templates: [] } },
      versions: [],
    };
    const created = newSequence(draft());
    const { config, index } = withSequence(state, created, created.id);
    expect(index).toBe(1);
    expect(config.sequences.map((s) => s.id)).toEqual(['welcome', 'trial-follow-up']);
    expect(sequenceOfPath('/console/sequences/new')).toEqual({ create: true });
  });
});
