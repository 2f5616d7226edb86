import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../../functions/core/leads/lead-csv';
import { EXPORT_MAX_ROWS, exportLeads } from '../../functions/core/leads/lead-export';
import type { LeadList, LeadListQuery, LeadRow } from '../../functions/core/leads/lead-list';

const row = (i: number): LeadRow => ({
  leadId: `ld_${i.toString(16).padStart(24, '0')}`,
  email: `a${i}@example.com`,
  name: 'Ada Lovelace',
  company: null,
  stage: 'lead',
  score: -5,
  grade: 'B',
  source: 'meta',
  utmCampaign: null,
  formId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  lastActivityAt: null,
  owner: null,
  suppressed: false,
  test: false,
});

/** A list of `count` rows served 100 a page, as the adapter would. */
function fakeList(count: number): LeadList & { pages: number } {
  return {
    pages: 0,
    async page(query: LeadListQuery) {
      this.pages += 1;
      const offset = query.cursor ? Number(query.cursor) : 0;
      const end = Math.min(count, offset + query.limit);
      const leads = Array.from({ length: end - offset }, (_, i) => row(offset + i));
      return { leads, total: count, totalExact: true, cursor: end < count ? String(end) : null };
    },
  };
}
const query = { filter: { test: false }, sort: 'newest' as const };

describe('lead export', () => {
  it('writes every row up to the bound, one CSV line each after the header', async () => {
    const result = await exportLeads({ list: fakeList(EXPORT_MAX_ROWS) }, query);
    expect(result.kind).toBe('csv');
    if (result.kind !== 'csv') return;
    const lines = result.csv.split('\r\n');
    expect(lines[0]).toBe(
      'leadId,email,name,company,stage,score,grade,source,utmCampaign,formId,createdAt,lastActivityAt,ownerRep,suppressed,test',
    );
    expect(lines.length).toBe(EXPORT_MAX_ROWS + 2);
    expect(lines[1]).toBe(
      `${row(0).leadId},a0@example.com,Ada Lovelace,,lead,-5,B,meta,,,2026-01-01T00:00:00.000Z,,,false,false`,
    );
  });

  it('one row more than the bound is too large, and it stops reading there', async () => {
    const list = fakeList(EXPORT_MAX_ROWS * 3);
    const result = await exportLeads({ list }, query);
    expect(result).toEqual({ kind: 'too_large', rows: EXPORT_MAX_ROWS * 3 });
    expect(list.pages).toBe(EXPORT_MAX_ROWS / 100 + 1);
  });

  it('escapes cells a spreadsheet would run as formulas, and quotes commas, quotes and line breaks', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+49 30')).toBe("'+49 30");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('Acme, Inc.')).toBe('"Acme, Inc."');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
    expect(csvLine({ ...row(1), owner: { rep: 'rep-1', repName: 'Rita' } })).toContain(
      ',rep-1,false,false\r\n',
    );
  });
});
