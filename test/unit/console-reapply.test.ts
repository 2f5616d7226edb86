import { describe, expect, it } from 'vitest';
import { formFieldInWords } from '../../console/src/forms/reapply-words';
import type { FormDocument } from '../../console/src/forms/types';
import { listInWords, reappliedInWords, reapply } from '../../console/src/reapply';
import { segmentFieldInWords } from '../../console/src/segments/reapply-words';
import type { SavedSegment } from '../../console/src/segments/types';
import { templateFieldInWords } from '../../console/src/templates/reapply-words';

const base = {
  name: 'Welcome',
  steps: [
    { id: 'a', wait: { days: 2 } },
    { id: 'b', wait: { days: 5 } },
  ],
};

describe('re-applying my change on the latest version', () => {
  it('keeps their change where mine does not touch it, and mine where theirs does not', () => {
    const theirs = { ...base, steps: [{ id: 'a', wait: { days: 4 } }, base.steps[1]] };
    const mine = { ...base, steps: [base.steps[0], { id: 'b', wait: { days: 9 } }] };
    expect(reapply(base, mine, theirs)).toEqual({
      value: {
        name: 'Welcome',
        steps: [
          { id: 'a', wait: { days: 4 } },
          { id: 'b', wait: { days: 9 } },
        ],
      },
      clashes: [],
    });
  });

  it('names a field both changed differently, keeping mine', () => {
    const theirs = { ...base, name: 'Theirs' };
    const mine = { ...base, name: 'Mine' };
    expect(reapply(base, mine, theirs)).toEqual({ value: mine, clashes: ['name'] });
  });

  it('takes a rule both turned into different kinds whole: mine, named, not a mix of the two', () => {
    const rule = { id: 'title', points: 10, test: { field: 'jobTitle', containsAny: ['manager'] } };
    const mine = { ...rule, test: { field: 'jobTitle', oneOf: ['CTO'] } };
    const theirs = { ...rule, points: 15, test: { field: 'jobTitle', range: { min: 1 } } };
    expect(reapply({ rules: [rule] }, { rules: [mine] }, { rules: [theirs] })).toEqual({
      value: { rules: [{ ...mine, points: 15 }] },
      clashes: ['rules.0.test'],
    });
    // One side adding a field beside the other's new field is no change of kind: both kept.
    const placeholder = { ...rule, placeholder: 'Your title' };
    const help = { ...rule, help: 'As on your card' };
    expect(reapply(rule, placeholder, help)).toEqual({
      value: { ...rule, placeholder: 'Your title', help: 'As on your card' },
      clashes: [],
    });
  });

  it('takes a list of another length whole, a field removed stays removed', () => {
    const theirs = { ...base, steps: [base.steps[0]] };
    const mine = { name: 'Welcome', steps: [...base.steps, { id: 'c', wait: { days: 1 } }] };
    expect(reapply(base, mine, theirs)).toEqual({ value: mine, clashes: ['steps'] });
    expect(reapply({ a: 1, b: 2 }, { a: 1 }, { a: 3, b: 2 })).toEqual({ value: { a: 3 }, clashes: [] });
  });
});

describe('the note after re-applying, in words', () => {
  it('says on which version, and that their change is kept', () => {
    expect(reappliedInWords({ version: 7, clashes: [] })).toBe(
      'Your change is re-applied on version 7: check it, then save. Their change is kept.',
    );
  });

  it('names each field both changed once, as the page names it', () => {
    const words = (path: string) => (path.startsWith('a') ? 'Subject' : path === 'b' ? 'Body' : 'Text body');
    expect(reappliedInWords({ version: 3, clashes: ['a1', 'a2', 'b', 'c'] }, words)).toBe(
      'Your change is re-applied on version 3: check it, then save. You both changed Subject, Body and Text body: yours is kept there.',
    );
    expect(listInWords(['A'])).toBe('A');
    expect(listInWords(['A', 'B'])).toBe('A and B');
    expect(listInWords([])).toBe('');
  });
});

describe('a field both people changed, named as its page labels it', () => {
  const segment: SavedSegment = {
    id: 'hot-eu',
    name: 'Hot leads in the EU',
    definition: {
      match: 'all',
      conditions: [
        { type: 'grade', in: ['A', 'B'] },
        { type: 'email', engaged: true, withinDays: 30 },
        { type: 'score', min: 40 },
      ],
    },
  };

  it('segments: the name, how conditions match, and a condition by its number, type and control', () => {
    const words = (path: string) => segmentFieldInWords(path, segment);
    expect(words('name')).toBe('Name');
    expect(words('definition.match')).toBe('Leads must match');
    expect(words('definition.conditions')).toBe('the conditions');
    expect(words('definition.conditions.0.in')).toBe('Condition 1 (Grade): Grades');
    expect(words('definition.conditions.1.withinDays')).toBe(
      'Condition 2 (Email engagement): In the last (days)',
    );
    expect(words('definition.conditions.2.min')).toBe('Condition 3 (Score): Score at least');
    expect(words('definition.conditions.2')).toBe('Condition 3 (Score)');
    expect(words('(the whole document)')).toBe('the whole segment');
  });

  it('forms: a setting by its label, a field by its number and name, the origins as one setting', () => {
    const form: FormDocument = {
      id: 'demo-request',
      name: 'Demo request',
      stage: 'lead',
      thankYouUrl: 'https://example.com/thanks',
      allowedOrigins: ['https://example.com'],
      consent: { field: 'consent', text: 'Send me news', required: false, doubleOptIn: false },
      fields: [
        { name: 'email', type: 'email', required: true },
        { name: 'company', type: 'text', label: 'Company' },
      ],
    };
    const words = (path: string) => formFieldInWords(path, form);
    expect(words('thankYouUrl')).toBe('Thank-you page URL');
    expect(words('allowedOrigins.0')).toBe('Allowed origins');
    expect(words('consent.text')).toBe('Consent text');
    expect(words('fields.1.label')).toBe('Field 2: company, Label');
    expect(words('fields.0')).toBe('Field 1: email');
    expect(words('fields')).toBe('the fields');
    expect(words('(the whole document)')).toBe('the whole form');
  });

  it('templates: subject, body and text body', () => {
    expect(['subject', 'body', 'text', '(the whole document)'].map(templateFieldInWords)).toEqual([
      'Subject',
      'Body',
      'Text body',
      'the whole template',
    ]);
  });

  it('a form edit and theirs on the same version: both kept, a label both changed named', () => {
    const base = {
      name: 'Demo',
      fields: [
        { name: 'email', label: 'Email' },
        { name: 'company', label: 'Company' },
      ],
    };
    const theirs = { name: 'Demo request', fields: [base.fields[0], { name: 'company', label: 'Firm' }] };
    const mine = { name: 'Demo', fields: [base.fields[0], { name: 'company', label: 'Company name' }] };
    const { value, clashes } = reapply(base, mine, theirs);
    expect(value).toEqual({
      name: 'Demo request',
      fields: [base.fields[0], { name: 'company', label: 'Company name' }],
    });
    expect(clashes).toEqual(['fields.1.label']);
  });
});
