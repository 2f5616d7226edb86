import type { LeadRow } from './lead-list';

/** The lead list as CSV (RFC 4180): the row's columns, the owner as its rep. */
export const CSV_COLUMNS = [
  'leadId',
  'email',
  'name',
  'company',
  'stage',
  'score',
  'grade',
  'source',
  'utmCampaign',
  'formId',
  'createdAt',
  'lastActivityAt',
  'ownerRep',
  'suppressed',
  'test',
] as const;

/**
 * One cell. Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a
 * carriage return: OWASP "CSV injection") gets a leading apostrophe; a cell with a comma, a quote
 * or a line break is quoted, its quotes doubled. Numbers and booleans are written as they are.
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const csvHeader = () => `${CSV_COLUMNS.join(',')}\r\n`;

export function csvLine(row: LeadRow): string {
  const cells: Record<(typeof CSV_COLUMNS)[number], string | number | boolean | null> = {
    ...row,
    ownerRep: row.owner?.rep ?? null,
  };
  return `${CSV_COLUMNS.map((column) => csvCell(cells[column])).join(',')}\r\n`;
}
