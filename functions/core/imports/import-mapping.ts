import type { Form, FormField } from '../capture/form';
import { UTM_FIELDS } from '../capture/form';
import { ValidationError } from '../kernel/errors';
import type { ColumnTarget } from './import-ports';

/** The standard lead fields a column may fill (DESIGN: the same names in forms, API and templates). */
export const STANDARD_FIELDS = [
  'email',
  'firstName',
  'lastName',
  'company',
  'jobTitle',
  'phone',
  'country',
  'companySize',
  ...UTM_FIELDS,
] as const;
const STANDARD: ReadonlySet<string> = new Set(STANDARD_FIELDS);
const CUSTOM = /^custom:([a-zA-Z][a-zA-Z0-9_]{0,63})$/;
export const IGNORE = 'ignore';
const UTM: ReadonlySet<string> = new Set(UTM_FIELDS);

/** How a standard field is read: the same field types forms use, so an import validates as a form would. */
const STANDARD_TYPES: Record<string, FormField> = {
  email: { name: 'email', type: 'email', required: true },
  phone: { name: 'phone', type: 'phone', required: false },
  country: { name: 'country', type: 'country', required: false },
};

/** One mapping target as written (`firstName`, `custom:plan`, `ignore`), or undefined when it names nothing. */
export function parseTarget(target: string): ColumnTarget | undefined {
  if (target === IGNORE) return { kind: 'ignore' };
  if (STANDARD.has(target)) return { kind: 'standard', field: target };
  const custom = CUSTOM.exec(target);
  if (custom?.[1] && !STANDARD.has(custom[1])) return { kind: 'custom', field: custom[1] };
  return undefined;
}

/**
 * Checks a mapping against the file's header row and returns one target per column.
 * 400 (every problem at once) for: a target that names no field, a header the file does not have,
 * two columns into one field, no column for `email`, a consent column that is not in the file or
 * is also mapped. Columns the mapping leaves out are ignored.
 */
export function planColumns(
  header: string[],
  mapping: Record<string, string>,
  consentColumn?: string,
): ColumnTarget[] {
  const problems: { path: string; message: string }[] = [];
  const targets: ColumnTarget[] = header.map(() => ({ kind: 'ignore' }));
  const seen = new Map<string, string>();
  for (const [column, written] of Object.entries(mapping)) {
    const path = `mapping.${column}`;
    const target = parseTarget(written);
    const index = header.indexOf(column);
    if (!target) {
      problems.push({
        path,
        message: `"${written}" is not a field: use a standard field (${STANDARD_FIELDS.join(', ')}), custom:<name> or ignore`,
      });
      continue;
    }
    if (index < 0) {
      problems.push({ path, message: 'the file has no column with this header' });
      continue;
    }
    if (target.kind === 'ignore') continue;
    const other = seen.get(target.field);
    if (other !== undefined) {
      problems.push({ path, message: `"${target.field}" is already filled from column "${other}"` });
      continue;
    }
    seen.set(target.field, column);
    targets[index] = target;
  }
  if (!seen.has('email')) problems.push({ path: 'mapping', message: 'one column must map to email' });
  if (consentColumn !== undefined) {
    if (!header.includes(consentColumn))
      problems.push({ path: 'consentColumn', message: 'the file has no column with this header' });
    else if (targets[header.indexOf(consentColumn)]?.kind !== 'ignore')
      problems.push({ path: 'consentColumn', message: 'this column is also mapped to a field' });
  }
  if (problems.length > 0) throw new ValidationError(problems, 'The column mapping does not fit the file.');
  return targets;
}

/**
 * The implicit form an imported row is read by: the mapped fields, typed as forms type them
 * (email required, phone, country; name-like fields refuse links and markup; custom fields text).
 */
export function importForm(targets: ColumnTarget[]): Form {
  const fields: FormField[] = [];
  for (const target of targets) {
    // UTM columns are read as attribution (as a form reads them from its body), not as profile fields.
    if (target.kind === 'ignore' || UTM.has(target.field)) continue;
    const typed = STANDARD_TYPES[target.field];
    fields.push(typed ?? { name: target.field, type: 'text', required: false, maxLength: 1000 });
  }
  return {
    id: 'import',
    name: 'import',
    stage: 'lead',
    thankYouUrl: 'https://leadflow.invalid/',
    allowedOrigins: ['https://leadflow.invalid'],
    honeypotField: '_gotcha',
    fields,
  } as Form;
}

/** A row's cells as a submission body, by field name; the column each field came from, for errors. */
export function rowBody(
  targets: ColumnTarget[],
  header: string[],
  cells: string[],
): { body: Record<string, string>; columnOf: Record<string, string> } {
  const body: Record<string, string> = {};
  const columnOf: Record<string, string> = {};
  targets.forEach((target, index) => {
    if (target.kind === 'ignore') return;
    body[target.field] = cells[index] ?? '';
    columnOf[target.field] = header[index] ?? target.field;
  });
  return { body, columnOf };
}

/** The header row's separator: the one of `,` `;` tab found most often outside quotes (ties: comma). */
export function detectDelimiter(firstLine: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const char of firstLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  for (const [char, count] of counts) if (count > (counts.get(best) ?? 0)) best = char;
  return best;
}
