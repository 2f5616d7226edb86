import { describe, expect, it } from 'vitest';
import {
  delta,
  fmtCell,
  fmtHours,
  isEmptyReport,
  periodLabel,
  previousByRow,
  rangeLabel,
} from '../../console/src/reports/format';
import { labelEvery, niceScale } from '../../console/src/reports/scale';
import type { ReportColumn } from '../../console/src/reports/types';

describe('report cells as people read them', () => {
  it('groups counts, writes rates as percentages and scores as numbers', () => {
    expect(fmtCell('count', 12345)).toBe('12,345');
    expect(fmtCell('rate', 0.42)).toBe('42%');
    expect(fmtCell('rate', 0.0123)).toBe('1.2%');
    expect(fmtCell('rate', 1)).toBe('100%');
    expect(fmtCell('score', 61.25)).toBe('61.3');
    expect(fmtCell('text', 'google')).toBe('google');
  });

  it('shows a missing value as a dash, never as 0 or NaN', () => {
    expect(fmtCell('count', null)).toBe('—');
    expect(fmtCell('rate', undefined)).toBe('—');
    expect(fmtCell('hours', '')).toBe('—');
  });

  it('humanizes hours: minutes under an hour, hours under two days, then days', () => {
    expect(fmtHours(0)).toBe('0 min');
    expect(fmtHours(0.75)).toBe('45 min');
    expect(fmtHours(1)).toBe('1 h');
    expect(fmtHours(5.5)).toBe('5 h 30 min');
    expect(fmtHours(30.5)).toBe('30 h 30 min');
    expect(fmtHours(48)).toBe('2 d');
    expect(fmtHours(54.2)).toBe('2 d 6 h');
    // A duration is a histogram bucket's upper edge: at most that long.
    expect(fmtCell('hours', 240)).toBe('≤ 10 d');
    expect(fmtCell('hours', 0)).toBe('0 min');
  });
});

describe('comparing with the previous period', () => {
  it('says how much a count, a rate (in points) and a duration moved', () => {
    expect(delta('count', 120, 100)).toEqual({
      text: '+20',
      direction: 'up',
      spoken: 'up 20 from 100 in the previous period',
    });
    expect(delta('rate', 0.38, 0.42)).toMatchObject({ text: '−4 pts', direction: 'down' });
    expect(delta('hours', 30, 24)).toMatchObject({ text: '+6 h', direction: 'up' });
    expect(delta('count', 5, 5)).toMatchObject({ text: '±0', direction: 'same' });
  });

  it('has no delta for text, or when either period has no number', () => {
    expect(delta('text', 'a', 'b')).toBeUndefined();
    expect(delta('count', 3, undefined)).toBeUndefined();
    expect(delta('hours', null, 4)).toBeUndefined();
  });

  it('matches previous rows by their names, not their position', () => {
    const columns: ReportColumn[] = [
      { key: 'dimension', label: 'Dimension', kind: 'text' },
      { key: 'value', label: 'Value', kind: 'text' },
      { key: 'newLeads', label: 'New leads', kind: 'count' },
    ];
    const rows = [
      { dimension: 'source', value: 'google', newLeads: 5 },
      { dimension: 'source', value: 'linkedin', newLeads: 2 },
      { dimension: 'campaign', value: 'google', newLeads: 1 },
    ];
    const previous = [
      { dimension: 'source', value: 'linkedin', newLeads: 7 },
      { dimension: 'source', value: 'google', newLeads: 4 },
    ];
    expect(previousByRow(columns, rows, previous).map((r) => r?.newLeads)).toEqual([4, 7, undefined]);
    expect(previousByRow(columns, rows, undefined)).toEqual([undefined, undefined, undefined]);
  });
});

describe('periods and ranges', () => {
  it('labels a period by its interval', () => {
    expect(periodLabel('2026-11-02', 'day')).toBe('Nov 2');
    expect(periodLabel('2026-11-02', 'week')).toBe('Week of Nov 2');
    expect(periodLabel('2026-11-01', 'month')).toBe('Nov 2026');
    expect(periodLabel('not a date', 'day')).toBe('not a date');
  });

  it('writes a range once per year', () => {
    expect(rangeLabel('2026-11-01', '2026-11-30')).toBe('Nov 1 – Nov 30, 2026');
    expect(rangeLabel('2025-12-15', '2026-01-14')).toBe('Dec 15, 2025 – Jan 14, 2026');
    expect(rangeLabel('2026-11-03', '2026-11-03')).toBe('Nov 3, 2026');
  });
});

describe('an empty report', () => {
  const columns: ReportColumn[] = [
    { key: 'stage', label: 'Stage', kind: 'text' },
    { key: 'entered', label: 'Entered', kind: 'count' },
  ];
  it('is one whose tables and series hold only zeros or nothing', () => {
    expect(
      isEmptyReport({
        tables: [{ columns, rows: [{ stage: 'lead', entered: 0 }] }],
        series: [{ points: [{ values: { lead: 0 } }] }],
      }),
    ).toBe(true);
    expect(isEmptyReport({ tables: [{ columns, rows: [] }], series: [] })).toBe(true);
  });
  it('is not empty as soon as one count is there', () => {
    expect(isEmptyReport({ tables: [{ columns, rows: [{ stage: 'lead', entered: 1 }] }], series: [] })).toBe(
      false,
    );
    expect(isEmptyReport({ tables: [], series: [{ points: [{ values: { lead: 2 } }] }] })).toBe(false);
  });
});

describe('chart axes', () => {
  it('rounds the top of a count axis up to a whole step of 1, 2 or 5 × 10^k', () => {
    expect(niceScale(0)).toEqual({ top: 1, ticks: [0, 1] });
    expect(niceScale(3)).toEqual({ top: 3, ticks: [0, 1, 2, 3] });
    expect(niceScale(7)).toEqual({ top: 8, ticks: [0, 2, 4, 6, 8] });
    expect(niceScale(120)).toEqual({ top: 150, ticks: [0, 50, 100, 150] });
    expect(niceScale(1000)).toEqual({ top: 1000, ticks: [0, 500, 1000] });
  });

  it('prints every x label when there is room, else an even subset with the first and last', () => {
    expect([0, 1, 2].filter(labelEvery(3, 8))).toEqual([0, 1, 2]);
    const shown = Array.from({ length: 30 }, (_, i) => i).filter(labelEvery(30, 7));
    expect(shown[0]).toBe(0);
    expect(shown.at(-1)).toBe(29);
    expect(shown.length).toBeLessThanOrEqual(7);
  });
});
