// The API's own header rules (separator detection), so the browser reads the header as the import will.
import { detectDelimiter } from '../../../functions/core/imports/import-mapping';

/** What the browser reads of a chosen file before anything is uploaded. */
export interface CsvHead {
  header: string[];
  delimiter: string;
  /** The first data rows (at most 3), cells by column, to show beside the mapping. */
  samples: string[][];
}

/** Only this much of the file is read to find the header and a few sample rows. */
const HEAD_BYTES = 64 * 1024;
const CSV_NAME = /\.(csv|txt|tsv)$/i;
const CSV_TYPES = new Set([
  '',
  'text/csv',
  'text/plain',
  'application/vnd.ms-excel',
  'text/tab-separated-values',
]);

export class NotCsvError extends Error {}

/** Records of `text` (quoted cells may hold separators, newlines and "" escapes); the last may be cut off. */
export function records(text: string, delimiter: string, max: number): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length && rows.length < max; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell === '') quoted = true;
    else if (char === delimiter) {
      row.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
  }
  if (rows.length < max && (cell !== '' || row.length > 0)) rows.push([...row, cell]);
  return rows;
}

/**
 * The header row and a few sample rows of a chosen file, read in the browser. Throws NotCsvError,
 * in words for people, for a file that is not CSV (a spreadsheet, an image, binary) or has no header.
 */
export async function readCsvHead(file: File): Promise<CsvHead> {
  if (!CSV_NAME.test(file.name) && !CSV_TYPES.has(file.type))
    throw new NotCsvError(
      `"${file.name}" is not a CSV file. Save the sheet as CSV (comma, semicolon or tab separated) and choose that file.`,
    );
  if (file.size === 0) throw new NotCsvError(`"${file.name}" is empty.`);
  const bytes = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  // A spreadsheet (.xlsx is a zip) or other binary file has NUL bytes; text never does.
  if (bytes.includes(0))
    throw new NotCsvError(
      `"${file.name}" is not a text CSV file (it looks like a spreadsheet or other binary file). Save it as CSV first.`,
    );
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n|\r/)[0] ?? '';
  const delimiter = detectDelimiter(firstLine);
  const [head, ...samples] = records(text, delimiter, 4);
  const header = (head ?? []).map((name) => name.trim());
  if (header.every((name) => name === ''))
    throw new NotCsvError(
      `"${file.name}" has no header row. The first row must name the columns (for example Email, First name, Company).`,
    );
  if (header.length < 2 && !/mail/i.test(header[0] ?? ''))
    throw new NotCsvError(
      `"${file.name}" has a single column "${header[0]}" and none for email: the first row must name the columns, separated by commas, semicolons or tabs.`,
    );
  return { header, delimiter, samples };
}

/** About how many data rows the file holds (line breaks counted, the header left out): the progress bar's end. */
export async function estimateRows(file: File): Promise<number> {
  let lines = 0;
  let last = 10;
  const reader = file.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (const byte of value) if (byte === 10) lines++;
    last = value[value.length - 1] ?? last;
  }
  // A file that does not end in a line break has one more row than it has breaks.
  return Math.max(0, lines + (last === 10 ? 0 : 1) - 1);
}
