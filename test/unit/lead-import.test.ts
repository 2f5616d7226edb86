import { describe, expect, it } from 'vitest';
import { consentProblems, rowConsent } from '../../functions/core/imports/import-consent';
import { blankRow, readHeader, readRows, UnreadableCsvError } from '../../functions/core/imports/import-csv';
import {
  detectDelimiter,
  importForm,
  parseTarget,
  planColumns,
  rowBody,
} from '../../functions/core/imports/import-mapping';
import { ValidationError } from '../../functions/core/kernel/errors';

const bytes = (text: string) => [Buffer.from(text, 'utf8')];
async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
async function rowsOf(text: string, fromByte?: number, fromRow = 2, max = 500) {
  const head = await readHeader(bytes(text));
  const start = fromByte ?? head.dataStart;
  return all(
    readRows(bytes(text.length ? Buffer.from(text).subarray(start).toString() : ''), {
      delimiter: head.delimiter,
      fromByte: start,
      fromRow,
      max,
    }),
  );
}

describe('column mapping', () => {
  it('reads standard fields, custom:<name> and ignore; anything else names no field', () => {
    expect(parseTarget('firstName')).toEqual({ kind: 'standard', field: 'firstName' });
    expect(parseTarget('custom:plan_tier')).toEqual({ kind: 'custom', field: 'plan_tier' });
    expect(parseTarget('ignore')).toEqual({ kind: 'ignore' });
    expect(parseTarget('firstname')).toBeUndefined();
    expect(parseTarget('custom:email')).toBeUndefined();
    expect(parseTarget('custom:1bad')).toBeUndefined();
  });

  it('plans one target per header column; unmapped columns are ignored', () => {
    const targets = planColumns(['Mail', 'Plan', 'Notes'], { Mail: 'email', Plan: 'custom:plan' });
    expect(targets).toEqual([
      { kind: 'standard', field: 'email' },
      { kind: 'custom', field: 'plan' },
      { kind: 'ignore' },
    ]);
  });

  it('refuses, all at once, unknown targets, missing headers, two columns into one field and no email column', () => {
    let error: ValidationError | undefined;
    try {
      planColumns(['A', 'B', 'C'], { A: 'company', B: 'company', C: 'firstname', D: 'phone' });
    } catch (caught) {
      error = caught as ValidationError;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(error?.details.map((d) => d.path)).toEqual(['mapping.B', 'mapping.C', 'mapping.D', 'mapping']);
  });

  it('refuses a consent column the file lacks or that is also mapped to a field', () => {
    expect(() => planColumns(['Mail', 'OK'], { Mail: 'email' }, 'Consent')).toThrow(ValidationError);
    expect(() => planColumns(['Mail', 'OK'], { Mail: 'email', OK: 'company' }, 'OK')).toThrow(
      ValidationError,
    );
    expect(planColumns(['Mail', 'OK'], { Mail: 'email' }, 'OK')).toHaveLength(2);
  });

  it('reads rows by the same field types as forms, UTM columns as attribution only', () => {
    const targets = planColumns(['m', 'p', 'u', 'x'], {
      m: 'email',
      p: 'phone',
      u: 'utm_source',
      x: 'custom:tier',
    });
    const form = importForm(targets);
    expect(form.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'email:email',
      'phone:phone',
      'tier:text',
    ]);
    expect(rowBody(targets, ['m', 'p', 'u', 'x'], ['a@b.de', '', 'fair'])).toEqual({
      body: { email: 'a@b.de', phone: '', utm_source: 'fair', tier: '' },
      columnOf: { email: 'm', phone: 'p', utm_source: 'u', tier: 'x' },
    });
  });
});

describe('consent basis', () => {
  const meta = { importId: 'imp_1', at: '2026-12-03T09:00:00.000Z' };
  const given = { basis: 'consent_given' as const, text: 'Send me news', givenAt: '2026-10-01' };

  it('needs the text agreed to when consent was given (or a row may say so), and a readable date', () => {
    expect(consentProblems({ basis: 'consent_given' }).map((p) => p.path)).toEqual(['consent.text']);
    expect(consentProblems({ basis: 'none' }, 'Opted in').map((p) => p.path)).toEqual(['consent.text']);
    expect(consentProblems({ basis: 'legitimate_interest' })).toEqual([]);
    expect(consentProblems({ ...given, givenAt: 'last spring' }).map((p) => p.path)).toEqual([
      'consent.givenAt',
    ]);
  });

  it('turns consent given into a granted record with the proof; other bases record none', () => {
    expect(rowConsent(given, undefined, meta)).toEqual({
      ok: true,
      basis: 'consent_given',
      record: { granted: true, text: 'Send me news', at: '2026-10-01T00:00:00.000Z', source: 'import:imp_1' },
    });
    expect(rowConsent({ basis: 'legitimate_interest' }, undefined, meta)).toEqual({
      ok: true,
      basis: 'legitimate_interest',
    });
  });

  it("lets a row's own yes/no override the basis; an empty cell keeps it; anything else fails the row", () => {
    expect(rowConsent({ basis: 'none', text: 'T' }, 'Yes', meta)).toMatchObject({
      basis: 'consent_given',
      record: { at: meta.at },
    });
    expect(rowConsent(given, 'no', meta)).toEqual({ ok: true, basis: 'none' });
    expect(rowConsent({ basis: 'legitimate_interest', text: 'T' }, '0', meta)).toEqual({
      ok: true,
      basis: 'legitimate_interest',
    });
    expect(rowConsent(given, '  ', meta)).toMatchObject({ basis: 'consent_given' });
    expect(rowConsent(given, 'maybe', meta)).toEqual({
      ok: false,
      reason: 'must be yes or no (true/false, 1/0)',
    });
  });
});

describe('CSV reading', () => {
  it('detects the separator from the header row, outside quotes', () => {
    expect(detectDelimiter('email,name')).toBe(',');
    expect(detectDelimiter('email;name;company')).toBe(';');
    expect(detectDelimiter('"a,b,c";x;y')).toBe(';');
    expect(detectDelimiter('email\tname')).toBe('\t');
    expect(detectDelimiter('email')).toBe(',');
  });

  it('reads the header past a UTF-8 BOM, trimmed, and says where the data starts', async () => {
    const head = await readHeader(bytes('\uFEFF Email ;Name\r\nx;y\r\n'));
    expect(head).toEqual({
      header: ['Email', 'Name'],
      delimiter: ';',
      dataStart: 3 + 'Email ;Name\r\n'.length + 1,
    });
  });

  it('refuses an empty file or an empty header row', async () => {
    await expect(readHeader(bytes(''))).rejects.toThrow(UnreadableCsvError);
    await expect(readHeader(bytes(',,\nx,y,z\n'))).rejects.toThrow(UnreadableCsvError);
  });

  it('reads quoted separators, doubled quotes and line breaks inside quotes as one row, LF or CRLF', async () => {
    const rows = await rowsOf('email,note\r\na@x.de,"one, ""two""\nthree"\nb@x.de,plain\r\n');
    expect(rows.map((r) => [r.row, r.cells])).toEqual([
      [2, ['a@x.de', 'one, "two"\nthree']],
      [3, ['b@x.de', 'plain']],
    ]);
  });

  it('keeps blank rows (to count as skipped) and rows with more values than columns (to fail)', async () => {
    const rows = await rowsOf('email,name\n\n,\na@x.de,A,extra\n');
    expect(rows.map((r) => r.cells)).toEqual([[''], ['', ''], ['a@x.de', 'A', 'extra']]);
    expect(rows.map((r) => blankRow(r.cells))).toEqual([true, true, false]);
  });

  it('resumes from the byte offset after any row with the same rows, multi-byte text included', async () => {
    const text = 'email,name\nä@x.de,Jürgen\n"b@x.de","multi\nline"\nc@x.de,Ç\n';
    const first = await rowsOf(text, undefined, 2, 1);
    expect(first.map((r) => r.cells[0])).toEqual(['ä@x.de']);
    const resumed = await all(
      readRows(bytes(Buffer.from(text).subarray(first[0]?.endByte).toString()), {
        delimiter: ',',
        fromByte: first[0]?.endByte ?? 0,
        fromRow: 3,
        max: 500,
      }),
    );
    expect(resumed.map((r) => [r.row, r.cells[1]])).toEqual([
      [3, 'multi\nline'],
      [4, 'Ç'],
    ]);
    expect(resumed.at(-1)?.endByte).toBe(Buffer.byteLength(text));
  });

  it('fails the file, naming the line, when a quote is never closed properly', async () => {
    await expect(rowsOf('email,name\n"a@x.de"x,A\n')).rejects.toThrow(/not valid CSV near line 2/);
  });
});
