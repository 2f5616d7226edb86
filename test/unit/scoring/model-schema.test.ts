import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scoringModelSchema, validateScoringModel } from '../../../functions/core/scoring';

const base = { grades: { A: 50, B: 35, C: 20, D: 10 }, thresholds: { mql: 40, hot: 80 } };
const click = { id: 'email-click', points: 5, when: { activity: 'email_clicked' } };

function errorsOf(doc: unknown) {
  const result = validateScoringModel(doc);
  return result.ok ? [] : result.errors;
}

function warningsOf(doc: unknown) {
  const result = validateScoringModel(doc);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.warnings;
}

describe('scoring model schema', () => {
  it('accepts the shape marketers write in YAML, with decay off', () => {
    // Prepare
    const yaml = `
fit:
  - { id: senior-title, points: 40, when: { field: jobTitle, containsAny: [vp, head of] } }
engagement:
  - { id: demo-request, points: 40, when: { activity: form_submitted, formId: demo-request }, cap: { perDay: 40, total: 80 } }
decay: off
grades: { A: 50, B: 35, C: 20, D: 10 }
thresholds: { mql: 40, hot: 80, hotMinGrade: B }
`;
    // Act
    const result = validateScoringModel(parse(yaml));

    // Assess
    expect(result).toMatchObject({ ok: true, warnings: [] });
    expect(result.ok && result.model.decay).toBe('off');
  });

  it('parses a parsed model to itself, so stored versions stay valid', () => {
    const result = validateScoringModel({
      ...base,
      fit: [{ id: 'a', points: 1, when: { field: 'x', containsAny: [' vp '] } }],
    });
    if (!result.ok) throw new Error('invalid');
    expect(scoringModelSchema.parse(result.model)).toEqual(result.model);
  });

  it('names the path of the wrong value inside the operator the marketer wrote', () => {
    expect(
      errorsOf({ ...base, fit: [{ id: 'a', points: 1, when: { field: 'jobTitle', containsAny: 'vp' } }] }),
    ).toEqual([
      { path: 'fit.0.when.containsAny', message: 'Invalid input: expected array, received string' },
    ]);
    expect(
      errorsOf({ ...base, fit: [{ id: 'a', points: 1, when: { field: 'job title', in: ['x'] } }] }),
    ).toEqual([
      { path: 'fit.0.when.field', message: 'field names are letters, digits and _, starting with a letter' },
    ]);
    expect(
      errorsOf({
        ...base,
        fit: [{ id: 'a', points: 1, when: { field: 'size', range: { min: 10, max: 5 } } }],
      }),
    ).toEqual([{ path: 'fit.0.when.range.max', message: 'min must not be above max' }]);
  });

  it('asks for exactly one operator, and knows no regular expressions', () => {
    const [none] = errorsOf({
      ...base,
      fit: [{ id: 'a', points: 1, when: { field: 'jobTitle', matches: '^(a+)+$' } }],
    });
    expect(none).toEqual({
      path: 'fit.0.when',
      message: 'needs exactly one operator of: containsAny, in, range, present, equals, emailDomain',
    });
    const [two] = errorsOf({
      ...base,
      fit: [{ id: 'a', points: 1, when: { field: 'x', in: ['a'], equals: 'a' } }],
    });
    expect(two?.message).toContain('(found in, equals)');
  });

  it('rejects an empty or non-object document at the root', () => {
    expect(errorsOf(null)).toEqual([{ path: '', message: 'Invalid input: expected object, received null' }]);
    expect(errorsOf({})).toEqual([
      { path: 'grades', message: 'Invalid input: expected object, received undefined' },
      { path: 'thresholds', message: 'Invalid input: expected object, received undefined' },
    ]);
  });

  it('rejects unknown keys, so a typo is not silently ignored', () => {
    expect(errorsOf({ ...base, thresold: 1 })).toEqual([
      { path: '', message: 'Unrecognized key: "thresold"' },
    ]);
    expect(errorsOf({ ...base, engagement: [{ ...click, caps: { perDay: 5 } }] })).toEqual([
      { path: 'engagement.0', message: 'Unrecognized key: "caps"' },
    ]);
  });

  it('rejects a rule id used twice, across fit and engagement', () => {
    expect(
      errorsOf({
        ...base,
        fit: [{ id: 'email-click', points: 1, when: { emailDomain: 'business' } }],
        engagement: [click],
      }),
    ).toEqual([{ path: 'engagement.0.id', message: 'rule id "email-click" is already used by fit.0' }]);
  });

  it('rejects grades that do not descend from A to D', () => {
    expect(errorsOf({ ...base, grades: { A: 50, B: 50, C: 20, D: 30 } })).toEqual([
      { path: 'grades.B', message: 'grade B needs fewer fit points than A (50)' },
      { path: 'grades.D', message: 'grade D needs fewer fit points than C (20)' },
    ]);
  });

  it('rejects an MQL threshold above the hot threshold', () => {
    expect(errorsOf({ ...base, thresholds: { mql: 90, hot: 80 } })).toEqual([
      { path: 'thresholds.mql', message: 'the MQL threshold must not be above the hot threshold (80)' },
    ]);
  });

  it('rejects formId and pathPrefix on activities they do not apply to', () => {
    expect(
      errorsOf({
        ...base,
        engagement: [
          { id: 'a', points: 1, when: { activity: 'email_clicked', formId: 'newsletter' } },
          { id: 'b', points: 1, when: { activity: 'form_submitted', pathPrefix: '/pricing' } },
          { id: 'c', points: 1, when: { activity: 'page_viewed', pathPrefix: 'pricing' } },
          { id: 'd', points: 1, when: { activity: 'Page Viewed' } },
        ],
      }).map((e) => e.path),
    ).toEqual([
      'engagement.0.when.formId',
      'engagement.1.when.pathPrefix',
      'engagement.2.when.pathPrefix',
      'engagement.3.when.activity',
    ]);
  });

  it('limits the size of a model: rules, words per list, word length', () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ ...click, id: `r${i}` }));
    expect(
      errorsOf({ ...base, fit: [], engagement: [...many, ...many.map((r) => ({ ...r, id: `s${r.id}` }))] }),
    ).toEqual([{ path: 'engagement', message: 'Too big: expected array to have <=200 items' }]);
    const half = many.slice(0, 100);
    const fit = half.map((_, i) => ({ id: `f${i}`, points: 1, when: { field: 'x', present: true } }));
    expect(
      errorsOf({
        ...base,
        fit: [...fit, { id: 'one-more', points: 1, when: { field: 'x', present: true } }],
        engagement: half,
      }),
    ).toEqual([{ path: '', message: 'at most 200 rules in all (fit and engagement), found 201' }]);
    const words = Array.from({ length: 101 }, (_, i) => `w${i}`);
    expect(
      errorsOf({ ...base, fit: [{ id: 'a', points: 1, when: { field: 'x', containsAny: words } }] })[0]?.path,
    ).toBe('fit.0.when.containsAny');
    expect(
      errorsOf({
        ...base,
        fit: [{ id: 'a', points: 1, when: { field: 'x', containsAny: ['ok', 'x'.repeat(101)] } }],
      })[0]?.path,
    ).toBe('fit.0.when.containsAny.1');
  });

  it('rejects a word without letters or digits, which could never match', () => {
    expect(
      errorsOf({ ...base, fit: [{ id: 'a', points: 1, when: { field: 'x', containsAny: ['--'] } }] }),
    ).toEqual([{ path: 'fit.0.when.containsAny.0', message: 'a word needs at least one letter or digit' }]);
  });

  it('rejects points beyond ±1000 and a zero or negative cap', () => {
    expect(
      errorsOf({ ...base, engagement: [{ ...click, points: 5000, cap: { perDay: 0 } }] }).map((e) => e.path),
    ).toEqual(['engagement.0.points', 'engagement.0.cap.perDay']);
  });
});

describe('scoring model warnings', () => {
  it('warns when the hot threshold cannot be reached, with the most a lead can score', () => {
    expect(
      warningsOf({
        ...base,
        fit: [{ id: 'title', points: 20, when: { field: 'jobTitle', containsAny: ['vp'] } }],
        engagement: [{ ...click, cap: { total: 10 } }],
      }),
    ).toEqual([
      {
        path: 'thresholds.mql',
        message: 'no lead can become an MQL (40): at most 30 points (fit 20 + engagement 10)',
      },
      {
        path: 'thresholds.hot',
        message: 'no lead can become hot (80): at most 30 points (fit 20 + engagement 10)',
      },
    ]);
  });

  it('counts an engagement rule without a total cap as unbounded', () => {
    expect(warningsOf({ ...base, engagement: [{ ...click, cap: { perDay: 10 } }] })).toEqual([]);
  });

  it('counts only one email domain type, since an address has one', () => {
    const warnings = warningsOf({
      ...base,
      fit: [
        { id: 'business', points: 30, when: { emailDomain: 'business' } },
        { id: 'free', points: 30, when: { emailDomain: 'free' } },
      ],
      engagement: [{ ...click, cap: { total: 40 } }],
    });
    expect(warnings.map((w) => w.path)).toEqual(['thresholds.hot']);
  });

  it('ignores negative rules in what a lead can reach', () => {
    const warnings = warningsOf({
      ...base,
      fit: [{ id: 'student', points: -30, when: { field: 'jobTitle', containsAny: ['student'] } }],
      engagement: [{ ...click, points: 90, cap: { total: 90 } }],
    });
    expect(warnings).toEqual([]);
  });

  it('warns when no lead can reach the grade that hot requires', () => {
    expect(
      warningsOf({
        ...base,
        thresholds: { mql: 40, hot: 80, hotMinGrade: 'A' },
        fit: [{ id: 'title', points: 40, when: { field: 'jobTitle', containsAny: ['vp'] } }],
        engagement: [click],
      }),
    ).toEqual([
      {
        path: 'thresholds.hotMinGrade',
        message:
          'no lead can reach grade A (50 fit points): at most 40 fit points, so no lead can become hot',
      },
    ]);
  });
});
