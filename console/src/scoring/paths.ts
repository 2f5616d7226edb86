import type { Problem, ScoringModel } from './types';

/**
 * Where an error of the API (a dotted model path such as `fit.2.when.containsAny.0`) is shown: the
 * page's field ids. A rule's `when` is split into its field and its value; caps into per day and total.
 */
export function cellOf(path: string): string {
  const rule = /^(fit|engagement)\.(\d+)(?:\.(.*))?$/.exec(path);
  if (!rule) return path;
  const [, kind, index, rest = ''] = rule;
  const at = (cell: string) => `${kind}.${index}.${cell}`;
  if (rest === '' || rest === 'id' || rest === 'points' || rest === 'description') return at(rest || 'row');
  if (kind === 'fit') return at(rest === 'when.field' ? 'field' : 'value');
  if (rest === 'when.activity' || rest === 'when') return at('activity');
  if (rest.startsWith('when.')) return at('only');
  if (rest.startsWith('cap.perDay')) return at('perDay');
  if (rest.startsWith('cap.total')) return at('total');
  return at('row');
}

export type Errors = Record<string, string>;

/** The API's problems by the cell that shows them (the first message of a cell wins). */
export function errorsByCell(problems: Problem[]): Errors {
  const out: Errors = {};
  for (const p of problems) {
    const cell = cellOf(p.path);
    out[cell] ??= p.message;
  }
  return out;
}

const CELL_WORDS: Record<string, string> = {
  id: 'id',
  points: 'points',
  field: 'field',
  value: 'value',
  activity: 'activity',
  only: 'form or path',
  perDay: 'at most a day',
  total: 'at most in all',
  description: 'description',
  row: 'rule',
};

/** Where a problem is, in words: "Fit rule 3 (senior-title), value" rather than `fit.2.when.containsAny`. */
export function whereInWords(path: string, model: ScoringModel): string {
  const cell = cellOf(path);
  const rule = /^(fit|engagement)\.(\d+)\.(\w+)$/.exec(cell);
  if (rule) {
    const [, kind, index, what = 'row'] = rule;
    const id = (kind === 'fit' ? model.fit : model.engagement)[Number(index)]?.id;
    const name = `${kind === 'fit' ? 'Fit' : 'Engagement'} rule ${Number(index) + 1}${id ? ` (${id})` : ''}`;
    return what === 'row' ? name : `${name}, ${CELL_WORDS[what] ?? what}`;
  }
  if (path.startsWith('grades.')) return `Grade ${path.slice('grades.'.length)}`;
  if (path === 'thresholds.mql') return 'MQL threshold';
  if (path === 'thresholds.hot') return 'Hot threshold';
  if (path === 'thresholds.hotMinGrade') return 'Grade needed to be hot';
  if (path.startsWith('decay')) return 'Decay';
  return path === '' ? 'The model' : path;
}
