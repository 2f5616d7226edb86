import { describe, expect, it } from 'vitest';
import { reappliedInWords, reapply } from '../../console/src/reapply';
import {
  explainDecay,
  explainEngagement,
  explainFit,
  explainGrades,
  explainThresholds,
  operatorOf,
} from '../../console/src/scoring/explain';
import { cellOf, errorsByCell, whereInWords } from '../../console/src/scoring/paths';
import { scoringFieldInWords } from '../../console/src/scoring/reapply-words';
import { addPage, EMPTY_TALLY } from '../../console/src/scoring/tally';
import type { Backtest, EngagementRule, FitRule, ScoringModel } from '../../console/src/scoring/types';

const senior: FitRule = {
  id: 'senior-title',
  points: 20,
  when: { field: 'jobTitle', containsAny: ['vp', 'head of'] },
};
const midMarket: FitRule = {
  id: 'mid-market',
  points: 15,
  when: { field: 'companySize', range: { min: 51, max: 5000 } },
};
const demo: EngagementRule = {
  id: 'demo-request',
  points: 40,
  when: { activity: 'form_submitted', formId: 'demo-request' },
  cap: { perDay: 40, total: 80 },
};
const model: ScoringModel = {
  fit: [senior, midMarket],
  engagement: [demo],
  decay: { halfLifeDays: 30 },
  grades: { A: 55, B: 40, C: 25, D: 10 },
  thresholds: { mql: 40, hot: 80, hotMinGrade: 'B' },
};

describe('the scoring model in words', () => {
  it('says what each fit rule gives and when', () => {
    expect(explainFit(senior)).toBe(
      '+20 points when jobTitle contains any of the words “vp”, “head of” (whole words, any case).',
    );
    expect(explainFit(midMarket)).toBe('+15 points when companySize is between 51 and 5000.');
    expect(explainFit({ id: 'big', points: 10, when: { field: 'companySize', range: { min: 5001 } } })).toBe(
      '+10 points when companySize is 5001 or more.',
    );
    expect(explainFit({ id: 'x', points: -20, when: { emailDomain: 'disposable' } })).toBe(
      '-20 points when the email is a throwaway (disposable) address.',
    );
    expect(explainFit({ id: 'p', points: 1, when: { field: 'phone', present: false } })).toBe(
      '+1 point when phone is left empty.',
    );
    expect(operatorOf(midMarket)).toBe('range');
  });

  it('says what an engagement rule gives each time, narrowed and capped', () => {
    expect(explainEngagement(demo)).toBe(
      '+40 points each time: form submitted on form demo-request (at most 40 a day, at most 80 in all).',
    );
    expect(explainEngagement({ id: 'open', points: 1, when: { activity: 'email_opened' } })).toBe(
      '+1 point each time: email opened (no limit in all).',
    );
  });

  it('explains decay, grades and the MQL and hot thresholds', () => {
    expect(explainDecay(model.decay)).toMatch(/halve every 30 days/);
    expect(explainDecay('off')).toMatch(/never fade/);
    expect(explainGrades(model.grades)).toBe(
      'Grade by fit points: A from 55, B from 40, C from 25, D from 10; below 10 is F.',
    );
    expect(explainThresholds(model.thresholds)).toBe(
      'A lead becomes marketing qualified (MQL) at 40 points in all, and hot — handed to sales — at 80 points and a fit grade of B or better.',
    );
  });
});

describe('the API’s error paths, at their fields and in words', () => {
  it('puts a path into the cell that shows it', () => {
    expect(cellOf('fit.2.when.containsAny.0')).toBe('fit.2.value');
    expect(cellOf('fit.2.when.field')).toBe('fit.2.field');
    expect(cellOf('fit.0.id')).toBe('fit.0.id');
    expect(cellOf('fit.1')).toBe('fit.1.row');
    expect(cellOf('engagement.3.when.formId')).toBe('engagement.3.only');
    expect(cellOf('engagement.3.cap.total')).toBe('engagement.3.total');
    expect(cellOf('thresholds.mql')).toBe('thresholds.mql');
    expect(
      errorsByCell([
        { path: 'fit.0.when.in.1', message: 'first' },
        { path: 'fit.0.when.in.2', message: 'second' },
      ]),
    ).toEqual({ 'fit.0.value': 'first' });
  });

  it('names the rule by number and id, not by index', () => {
    expect(whereInWords('fit.0.when.containsAny', model)).toBe('Fit rule 1 (senior-title), value');
    expect(whereInWords('engagement.0.cap.perDay', model)).toBe(
      'Engagement rule 1 (demo-request), at most a day',
    );
    expect(whereInWords('thresholds.mql', model)).toBe('MQL threshold');
    expect(whereInWords('grades.B', model)).toBe('Grade B');
  });
});

describe('a field both people changed, named as the scoring page labels it', () => {
  const words = (path: string) => scoringFieldInWords(path, model);

  it('names a rule by its table, number and id, and the setting by its column', () => {
    expect(words('fit.0.points')).toBe('Fit rule 1 (senior-title): Points');
    expect(words('fit.0.id')).toBe('Fit rule 1 (senior-title): Id');
    expect(words('fit.0.when.field')).toBe('Fit rule 1 (senior-title): Field');
    // A word of the list is the list's cell; a range's bounds are its two inputs.
    expect(words('fit.0.when.containsAny.1')).toBe('Fit rule 1 (senior-title): Value');
    expect(words('fit.0.when.containsAny')).toBe('Fit rule 1 (senior-title): Value');
    expect(words('fit.1.when.range.min')).toBe('Fit rule 2 (mid-market): Value: from');
    expect(words('fit.1.when.range.max')).toBe('Fit rule 2 (mid-market): Value: to');
    expect(words('fit.1')).toBe('Fit rule 2 (mid-market)');
    expect(words('engagement.0.when.activity')).toBe('Engagement rule 1 (demo-request): Activity');
    expect(words('engagement.0.when.formId')).toBe('Engagement rule 1 (demo-request): Form');
    expect(words('engagement.0.cap.perDay')).toBe('Engagement rule 1 (demo-request): At most a day');
    expect(words('engagement.0.cap.total')).toBe('Engagement rule 1 (demo-request): At most in all');
    // A rule the model does not have (any more) is still named by its number.
    expect(words('engagement.4.points')).toBe('Engagement rule 5: Points');
  });

  it('names grades, thresholds and decay by their inputs, and lists of rules as a whole', () => {
    expect(words('grades.B')).toBe('Grade B from');
    expect(words('thresholds.mql')).toBe('MQL at (points)');
    expect(words('thresholds.hot')).toBe('Hot at (points)');
    expect(words('thresholds.hotMinGrade')).toBe('Hot needs grade');
    expect(words('decay')).toBe('Half-life in days');
    expect(words('decay.halfLifeDays')).toBe('Half-life in days');
    expect(words('fit')).toBe('the fit rules');
    expect(words('engagement')).toBe('the engagement rules');
    expect(words('(the whole document)')).toBe('the whole model');
  });

  it('re-applies a draft on the latest model: theirs kept, a field both changed named in words', () => {
    const theirs: ScoringModel = {
      ...model,
      fit: [{ ...senior, points: 25 }, midMarket],
      thresholds: { ...model.thresholds, mql: 35, hot: 85 },
    };
    const mine: ScoringModel = {
      ...model,
      fit: [{ ...senior, points: 30 }, midMarket],
      thresholds: { ...model.thresholds, hot: 75 },
    };
    const { value, clashes } = reapply(model, mine, theirs);
    expect(value.thresholds).toEqual({ mql: 35, hot: 75, hotMinGrade: 'B' });
    expect(value.fit[0]?.points).toBe(30);
    expect(clashes).toEqual(['fit.0.points', 'thresholds.hot']);
    expect(reappliedInWords({ version: 4, clashes }, (path) => scoringFieldInWords(path, value))).toBe(
      'Your change is re-applied on version 4: check it, then save. You both changed Fit rule 1 (senior-title): Points and Hot at (points): yours is kept there.',
    );
  });
});

describe('a backtest over several pages', () => {
  const change = (leadId: string, from: [string, boolean], to: [string, boolean]) => ({
    leadId,
    from: { total: 10, grade: from[0], stage: 'lead', hot: from[1] },
    to: { total: 20, grade: to[0], stage: 'lead', hot: to[1] },
    turnsHot: to[1] && !from[1],
  });
  it('counts grade changes, leads turning hot and leads no longer hot across pages', () => {
    const first: Backtest = {
      scanned: 3,
      changes: [change('a', ['C', false], ['B', true]), change('b', ['B', true], ['B', false])],
      cursor: 'next',
      warnings: [],
    };
    const second: Backtest = {
      scanned: 2,
      changes: [change('c', ['D', false], ['C', false])],
      cursor: null,
      warnings: [],
    };
    const tally = addPage(addPage(EMPTY_TALLY, first), second);
    expect(tally).toMatchObject({ scanned: 5, changed: 3, grade: 2, cursor: null });
    expect(tally.turnsHot.map((c) => c.leadId)).toEqual(['a']);
    expect(tally.stopsHot.map((c) => c.leadId)).toEqual(['b']);
    expect(tally.sample.map((c) => c.leadId)).toEqual(['a', 'b', 'c']);
  });
});
