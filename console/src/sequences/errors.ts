import type { Problem, Sequence } from './types';

/**
 * Problems of the whole config (POST /validate answers `sequences.2.steps.1.wait.days`, a saved
 * version's 400 `config.sequences.2...`) brought to the sequence being edited: keyed by the path
 * inside it (`steps.1.wait.days`), each message in words. Problems elsewhere in the config keep
 * their path under `''`-less keys starting with `config:`.
 */
export function problemsOfSequence(problems: Problem[], index: number): Record<string, string> {
  const out: Record<string, string> = {};
  const head = `sequences.${index}`;
  for (const problem of problems) {
    const path = problem.path.replace(/^config\./, '');
    const key =
      path === head ? '' : path.startsWith(`${head}.`) ? path.slice(head.length + 1) : `config:${path}`;
    out[key] = out[key] ? `${out[key]}; ${inWords(problem.message)}` : inWords(problem.message);
  }
  return out;
}

const REWRITES: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^Too big: expected number to be <=?(-?\d+)/, (m) => `must be at most ${m[1]}`],
  [/^Too small: expected number to be >=?(-?\d+)/, (m) => `must be at least ${m[1]}`],
  [/^Too small: expected array to have >=?(\d+) items?/, (m) => `needs at least ${m[1]}`],
  [/^Too big: expected array to have <=?(\d+) items?/, (m) => `may have at most ${m[1]}`],
  [/^Too small: expected string to have >=?1 characters?/, () => 'must be filled in'],
  [/^Too big: expected string to have <=?(\d+) characters?/, (m) => `may be at most ${m[1]} characters`],
  [/^Unrecognized keys?: (.+)/, (m) => `${m[1]} is not a setting here`],
  [/^Invalid input: expected (\w+), received (\w+)/, (m) => `must be a ${m[1]}`],
  [/^Invalid option: expected one of (.+)/, (m) => `must be one of ${m[1]}`],
  [/^Invalid input$/, () => 'is not valid here'],
];

/** A schema message as a sentence a marketer reads (the API's own sentences stay as they are). */
export function inWords(message: string): string {
  for (const [pattern, rewrite] of REWRITES) {
    const match = message.match(pattern);
    if (match) return rewrite(match);
  }
  return message;
}

const FIELD_NAMES: Record<string, string> = {
  id: 'id',
  name: 'name',
  description: 'description',
  template: 'template',
  wait: 'wait',
  days: 'days',
  hours: 'hours',
  minutes: 'minutes',
  until: 'weekday and time',
  when: 'condition',
  trigger: 'trigger',
  entry: 'entry',
  exit: 'exit',
  ignoreSendWindow: 'send window',
};

/** A key inside the sequence in words: `steps.1.wait.days` → `Step “getting-started”: wait, days`. */
export function whereInWords(key: string, sequence: Sequence): string {
  if (key.startsWith('config:')) return `Elsewhere in the config (${key.slice(7)})`;
  if (key === '') return 'The sequence';
  const parts = key.split('.');
  if (parts[0] === 'steps' && parts[1] !== undefined && /^\d+$/.test(parts[1])) {
    const step = sequence.steps[Number(parts[1])];
    const rest = parts.slice(2).filter((p) => !/^\d+$/.test(p));
    const where = rest.map((p) => FIELD_NAMES[p] ?? p).join(', ');
    return `Step ${Number(parts[1]) + 1} “${step?.id ?? ''}”${where ? `: ${where}` : ''}`;
  }
  return parts
    .filter((p) => !/^\d+$/.test(p))
    .map((p) => FIELD_NAMES[p] ?? p)
    .join(', ');
}
