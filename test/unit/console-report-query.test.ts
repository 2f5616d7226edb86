import { describe, expect, it } from 'vitest';
import {
  addDays,
  csvPath,
  customRangeProblem,
  readView,
  reportOfPath,
  reportPath,
  resolveRange,
  todayIn,
  viewPath,
  writeView,
} from '../../console/src/reports/query';

const q = (s: string) => new URLSearchParams(s);

describe('report paths', () => {
  it('names a report, the reports index, or nothing', () => {
    expect(reportOfPath('/console/reports')).toBe('index');
    expect(reportOfPath('/console/reports/scoring')).toBe('scoring');
    expect(reportOfPath('/console/reports/revenue')).toBeUndefined();
    expect(reportOfPath('/console/reports/funnel/x')).toBeUndefined();
    expect(reportOfPath('/console/leads')).toBeUndefined();
  });
});

describe('a report page keeps its view in the URL', () => {
  it('reads the defaults from an empty query: the last 30 days by day, no comparison, no filters', () => {
    expect(readView('funnel', q(''))).toEqual({
      report: 'funnel',
      range: 'last30',
      interval: 'day',
      compare: false,
      filters: {},
    });
  });

  it('round-trips range, interval, comparison and filters through the query', () => {
    const search = 'range=last90&interval=week&compare=previous&source=google&campaign=spring&form=demo';
    const view = readView('funnel', q(search));
    expect(view).toMatchObject({
      range: 'last90',
      interval: 'week',
      compare: true,
      filters: { source: 'google', campaign: 'spring', form: 'demo' },
    });
    expect(readView('funnel', q(writeView(view)))).toEqual(view);
    expect(viewPath(view)).toBe(`/console/reports/funnel?${search}`);
  });

  it('leaves defaults out of the URL', () => {
    expect(viewPath(readView('sales', q('range=last30&interval=day')))).toBe('/console/reports/sales');
  });

  it('keeps a custom range with its dates, and falls back to the last 30 days when they are missing or reversed', () => {
    const custom = readView('funnel', q('range=custom&from=2026-10-01&to=2026-10-31'));
    expect(custom).toMatchObject({ range: 'custom', from: '2026-10-01', to: '2026-10-31' });
    expect(writeView(custom)).toBe('range=custom&from=2026-10-01&to=2026-10-31');
    expect(readView('funnel', q('range=custom&from=2026-10-31&to=2026-10-01')).range).toBe('last30');
    expect(readView('funnel', q('range=custom&from=2026-02-30&to=2026-03-01')).range).toBe('last30');
    expect(readView('funnel', q('range=custom')).range).toBe('last30');
  });

  it('drops unknown values, filters on a report without lead dimensions, and a sequence outside email', () => {
    const view = readView(
      'email',
      q('range=forever&interval=hour&compare=yes&source=google&sequence=welcome'),
    );
    expect(view).toEqual({
      report: 'email',
      range: 'last30',
      interval: 'day',
      compare: false,
      filters: {},
      sequence: 'welcome',
    });
    expect(readView('funnel', q('sequence=welcome')).sequence).toBeUndefined();
  });
});

describe('ranges resolve to dates in the account time zone', () => {
  const today = '2026-03-15';
  const range = (search: string) => resolveRange(readView('funnel', q(search)), today);

  it('counts presets back from today, both ends included', () => {
    expect(range('range=last7')).toEqual({ from: '2026-03-09', to: today });
    expect(range('')).toEqual({ from: '2026-02-14', to: today });
    expect(range('range=last90')).toEqual({ from: '2025-12-16', to: today });
    expect(range('range=this-month')).toEqual({ from: '2026-03-01', to: today });
    expect(range('range=last-month')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(resolveRange(readView('funnel', q('range=last-month')), '2026-01-10')).toEqual({
      from: '2025-12-01',
      to: '2025-12-31',
    });
    expect(range('range=custom&from=2025-12-24&to=2026-01-02')).toEqual({
      from: '2025-12-24',
      to: '2026-01-02',
    });
  });

  it("takes today in the account's zone, not the browser's", () => {
    const lateUtc = new Date('2026-03-15T23:30:00Z');
    expect(todayIn('UTC', lateUtc)).toBe('2026-03-15');
    expect(todayIn('Europe/Berlin', lateUtc)).toBe('2026-03-16');
    expect(todayIn('America/Los_Angeles', new Date('2026-03-15T05:00:00Z'))).toBe('2026-03-14');
    expect(todayIn('Not/AZone', lateUtc)).toBe('2026-03-15');
  });

  it('moves across month and leap-year ends', () => {
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('refuses a custom range that is reversed, incomplete or longer than 366 days', () => {
    expect(customRangeProblem('2026-01-01', '2026-12-31')).toBeNull();
    expect(customRangeProblem('2026-01-01', '')).toBe('Enter both dates.');
    expect(customRangeProblem('2026-02-01', '2026-01-01')).toMatch(/must not be after/);
    expect(customRangeProblem('2025-01-01', '2026-01-02')).toMatch(/at most 366 days/);
    expect(customRangeProblem('2027-01-01', '2028-01-01')).toBeNull();
  });
});

describe('the API paths a view asks for', () => {
  it('asks for the resolved dates, interval, comparison, filters and sequence', () => {
    const view = readView('funnel', q('range=last7&interval=week&compare=previous&platform=linkedin'));
    expect(reportPath(view, '2026-03-15')).toBe(
      '/v1/admin/reports/funnel?from=2026-03-09&to=2026-03-15&interval=week&compare=previous&platform=linkedin',
    );
    const email = readView('email', q('sequence=welcome onboarding'));
    expect(reportPath(email, '2026-03-15')).toBe(
      '/v1/admin/reports/email?from=2026-02-14&to=2026-03-15&interval=day&sequence=welcome+onboarding',
    );
  });

  it('asks for one table as CSV with the same query', () => {
    const view = readView('sources', q('range=this-month&source=google'));
    expect(csvPath(view, '2026-03-15', 'first_touch')).toBe(
      '/v1/admin/reports/sources?from=2026-03-01&to=2026-03-15&interval=day&source=google&format=csv&table=first_touch',
    );
  });
});
