import { describe, expect, it } from 'vitest';
import { estimateRows, NotCsvError, readCsvHead, records } from '../../console/src/imports/csv-head';
import { customName, guessMapping, looksLikeConsent } from '../../console/src/imports/guess';

const csv = (text: string | Uint8Array<ArrayBuffer>, name = 'contacts.csv', type = 'text/csv') =>
  new File([text], name, { type });

describe('reading a chosen CSV file in the browser', () => {
  it('reads the header, the separator and sample rows (quoted separators, newlines and "" escapes, a BOM)', async () => {
    const head = await readCsvHead(
      csv(
        '\uFEFFE-mail;Company;Notes\r\nada@example.com;"Acme; Inc";"said ""hi""\ntwice"\r\nbob@example.com;;x\r\n',
      ),
    );
    expect(head.delimiter).toBe(';');
    expect(head.header).toEqual(['E-mail', 'Company', 'Notes']);
    expect(head.samples).toEqual([
      ['ada@example.com', 'Acme; Inc', 'said "hi"\ntwice'],
      ['bob@example.com', '', 'x'],
    ]);
  });

  it('refuses with words a file that is not CSV, is binary, is empty or has no header row', async () => {
    await expect(readCsvHead(csv('x', 'photo.png', 'image/png'))).rejects.toThrow(
      /"photo.png" is not a CSV file/,
    );
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x14, 0]);
    await expect(readCsvHead(csv(zip, 'leads.csv'))).rejects.toThrow(/looks like a spreadsheet/);
    await expect(readCsvHead(csv('', 'empty.csv'))).rejects.toThrow(/is empty/);
    await expect(readCsvHead(csv('\n\nada@example.com\n'))).rejects.toThrow(NotCsvError);
    await expect(readCsvHead(csv(',,\n1,2,3\n'))).rejects.toThrow(/has no header row/);
    await expect(readCsvHead(csv('Name\nAda\n'))).rejects.toThrow(/none for email/);
  });

  it('accepts a single email column', async () => {
    expect((await readCsvHead(csv('Email\nada@example.com\n'))).header).toEqual(['Email']);
  });

  it('counts about how many data rows the file holds, with or without a last line break', async () => {
    expect(await estimateRows(csv('a,b\n1,2\n3,4\n'))).toBe(2);
    expect(await estimateRows(csv('a,b\n1,2\n3,4'))).toBe(2);
    expect(await estimateRows(csv('a,b\n'))).toBe(0);
  });

  it('stops after the asked number of records', () => {
    expect(records('a\nb\nc\n', ',', 2)).toEqual([['a'], ['b']]);
  });
});

describe('guessing the column mapping', () => {
  it('maps the usual headers of other tools to the standard fields, UTM as written, known custom fields by name', () => {
    const header = [
      'E-mail Address',
      'First Name',
      'Surname',
      'Organization',
      'Job Title',
      'Mobile',
      'Country',
      'utm_source',
      'Plan',
      'Favourite colour',
    ];
    expect(guessMapping(header, ['plan'])).toEqual({
      'E-mail Address': 'email',
      'First Name': 'firstName',
      Surname: 'lastName',
      Organization: 'company',
      'Job Title': 'jobTitle',
      Mobile: 'phone',
      Country: 'country',
      utm_source: 'utm_source',
      Plan: 'custom:plan',
      'Favourite colour': 'ignore',
    });
  });

  it('fills each field from one column only (the first that looks like it)', () => {
    expect(guessMapping(['Email', 'Work email'], [])).toEqual({ Email: 'email', 'Work email': 'ignore' });
  });

  it('makes a custom field name from a header, never a standard field name', () => {
    expect(customName('Plan tier')).toBe('planTier');
    expect(customName('2024 Revenue (€)')).toBe('revenue');
    expect(customName('email')).toBeUndefined();
    expect(customName('!!!')).toBeUndefined();
  });

  it('spots a per-row consent column', () => {
    expect(looksLikeConsent('Opted in')).toBe(true);
    expect(looksLikeConsent('Marketing consent')).toBe(true);
    expect(looksLikeConsent('Company')).toBe(false);
  });
});
