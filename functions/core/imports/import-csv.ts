import { Readable } from 'node:stream';
import { type Options, parse } from 'csv-parse';
import { detectDelimiter } from './import-mapping';

/** A file's rows as csv-parse reads them (quoted newlines, "" escapes, a UTF-8 BOM, CRLF or LF). */
// csv-parse: maintained, streaming (a 50 MB file never sits in memory), and it tells the byte
// offset after each record, which is what a page resumes from.

/** No single row may be larger than this (a missing closing quote would otherwise swallow the file). */
export const MAX_ROW_BYTES = 64 * 1024;

export class UnreadableCsvError extends Error {
  constructor(
    message: string,
    readonly row?: number,
  ) {
    super(message);
    this.name = 'UnreadableCsvError';
  }
}

function options(delimiter: string, bom: boolean): Options {
  return {
    delimiter,
    bom,
    info: true,
    relax_column_count: true,
    skip_empty_lines: false,
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: MAX_ROW_BYTES,
  };
}

interface Parsed {
  record: string[];
  info: { bytes: number; lines: number };
}

async function* records(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  delimiter: string,
  bom: boolean,
): AsyncGenerator<Parsed> {
  const source = Readable.from(chunks);
  const parser = parse(options(delimiter, bom));
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  try {
    for await (const parsed of parser) yield parsed as Parsed;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('CSV_')) {
      const lines = (error as { lines?: number }).lines;
      throw new UnreadableCsvError(
        `The file is not valid CSV near line ${lines ?? '?'} (${code.slice(4).toLowerCase().replace(/_/g, ' ')}).`,
      );
    }
    throw error;
  } finally {
    source.destroy();
    parser.destroy();
  }
}

/**
 * The header row: its column names (trimmed), the separator detected from it, and the byte
 * offset where the data rows start. Throws UnreadableCsvError for an empty file or header.
 */
export async function readHeader(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<{ header: string[]; delimiter: string; dataStart: number }> {
  const buffered: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    buffered.push(chunk);
    size += chunk.byteLength;
    if (size >= MAX_ROW_BYTES || Buffer.from(chunk).includes(10)) break;
  }
  const head = Buffer.concat(buffered);
  const firstLine =
    head
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n|\r/)[0] ?? '';
  const delimiter = detectDelimiter(firstLine);
  for await (const { record, info } of records([head], delimiter, true)) {
    const header = record.map((name) => name.trim());
    if (header.every((name) => name === '')) break;
    return { header, delimiter, dataStart: info.bytes };
  }
  throw new UnreadableCsvError('The file has no header row (the first row names the columns).');
}

export interface CsvRow {
  /** The row's number as a spreadsheet shows it (the header is row 1). */
  row: number;
  cells: string[];
  /** Byte offset just after this row: where the next page starts. */
  endByte: number;
}

/** Data rows from `fromByte` (the start of row `fromRow`), at most `max` of them. */
export async function* readRows(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  at: { delimiter: string; fromByte: number; fromRow: number; max: number },
): AsyncGenerator<CsvRow> {
  let row = at.fromRow;
  let count = 0;
  if (at.max <= 0) return;
  for await (const { record, info } of records(chunks, at.delimiter, at.fromByte === 0)) {
    yield { row, cells: record, endByte: at.fromByte + info.bytes };
    row += 1;
    count += 1;
    if (count >= at.max) return;
  }
}

/** A row with no value in any cell (a blank line, or only separators). */
export const blankRow = (cells: string[]) => cells.every((cell) => cell.trim() === '');
