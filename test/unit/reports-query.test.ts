import { describe, expect, it } from 'vitest';
import { reportDefinitions } from '../../functions/core/reports/definitions';
import {
  InvalidReportQueryError,
  parseReportRequest,
  ReportNotFoundError,
} from '../../functions/core/reports/query';
import { previousPeriod, readReport, tableCsv } from '../../functions/core/reports/read';
import type { ReportId, RollupRow } from '../../functions/core/reports/report';
import { fixedClock } from '../fixtures/fakes';

const TODAY = '2026-11-30';
const detailsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidReportQueryError) return error.details.map((d) => d.path).sort();
    throw error;
  }
  return [];
};

describe('report requests', () => {
  it('defaults to the last 30 days up to today by day, without compare or filters', () => {
    expect(parseReportRequest('funnel', {}, TODAY)).toEqual({
      report: 'funnel',
      query: { from: '2026-11-01', to: TODAY, interval: 'day', compare: false, filters: {} },
    });
  });

  it('takes the range, interval, compare, filters and a CSV table', () => {
    const parsed = parseReportRequest(
      'email',
      {
        from: '2026-10-01',
        to: '2026-10-31',
        interval: 'week',
        compare: 'previous',
        sequence: 'welcome',
        format: 'csv',
        table: 'steps',
      },
      TODAY,
    );
    expect(parsed).toEqual({
      report: 'email',
      query: {
        from: '2026-10-01',
        to: '2026-10-31',
        interval: 'week',
        compare: true,
        filters: { sequence: 'welcome' },
      },
      csvTable: 'steps',
    });
  });

  it('lists every bad parameter at once', () => {
    expect(
      detailsOf(() =>
        parseReportRequest(
          'funnel',
          { from: '2026-02-30', interval: 'year', compare: 'yes', utm: 'x' },
          TODAY,
        ),
      ),
    ).toEqual(['compare', 'from', 'interval', 'utm']);
    expect(
      detailsOf(() => parseReportRequest('funnel', { from: '2026-11-10', to: '2026-11-01' }, TODAY)),
    ).toEqual(['from']);
    expect(
      detailsOf(() => parseReportRequest('funnel', { from: '2025-01-01', to: '2026-11-01' }, TODAY)),
    ).toEqual(['to']);
    expect(detailsOf(() => parseReportRequest('funnel', { format: 'csv' }, TODAY))).toEqual(['table']);
    expect(detailsOf(() => parseReportRequest('sales', { sequence: 'welcome' }, TODAY))).toEqual([
      'sequence',
    ]);
  });

  it('answers 404 for a report that does not exist', () => {
    expect(() => parseReportRequest('revenue', {}, TODAY)).toThrow(ReportNotFoundError);
  });
});

describe('reading a report', () => {
  const rows: RollupRow[] = [
    { day: '2026-11-03', dims: 'stage|src=google|cmp=-|form=-|plat=-', counts: { in_lead: 4, in_mql: 1 } },
    { day: '2026-10-20', dims: 'stage|src=google|cmp=-|form=-|plat=-', counts: { in_lead: 2 } },
  ];
  const deps = {
    rollups: {
      read: async (_report: ReportId, from: string, to: string) =>
        rows.filter((r) => r.day >= from && r.day <= to),
      freshAsOf: async () => '2026-11-30T11:59:00.000Z',
    },
    definitions: reportDefinitions({ slaMinutes: 15 }),
    clock: fixedClock('2026-11-30T12:00:00.000Z'),
    timeZone: 'Europe/Berlin',
  };

  it('builds the range and, with compare=previous, the period of the same length before it into each table', async () => {
    expect(previousPeriod({ from: '2026-11-01', to: '2026-11-30' })).toEqual({
      from: '2026-10-02',
      to: '2026-10-31',
    });
    const body = await readReport(deps, parseReportRequest('funnel', { compare: 'previous' }, TODAY));
    const stages = body.tables.find((t) => t.id === 'stages');
    expect(stages?.rows.find((r) => r.stage === 'lead')?.entered).toBe(4);
    expect(stages?.previous?.find((r) => r.stage === 'lead')?.entered).toBe(2);
    expect(body).toMatchObject({
      timeZone: 'Europe/Berlin',
      freshAsOf: '2026-11-30T11:59:00.000Z',
      generatedAt: '2026-11-30T12:00:00.000Z',
    });
  });

  it('writes one table as CSV with its column labels, and refuses a table the report lacks', async () => {
    const body = await readReport(deps, parseReportRequest('funnel', {}, TODAY));
    const { filename, csv } = tableCsv(body, 'stages');
    expect(filename).toBe('leadflow-funnel-stages-2026-11-01-2026-11-30.csv');
    // No hours recorded in these rows: empty cells, not zeros.
    expect(csv.split('\r\n')[2]).toBe('lead,4,0.25,,,');
    expect(() => tableCsv(body, 'nope')).toThrow(InvalidReportQueryError);
  });
});
