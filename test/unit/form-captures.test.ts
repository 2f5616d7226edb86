import { describe, expect, it } from 'vitest';
import { formCapturesLastWeek } from '../../functions/core/reports/form-captures';
import type { RollupRow } from '../../functions/core/reports/report';
import { touchDims } from '../../functions/core/reports/touch';

/** The forms list's "submissions, last 7 days": the sources rollup's capture rows, by form. */
describe('submissions of each form this week', () => {
  it('sums the captures of the last 7 days by form from the last-touch rows, first-touch rows left out', async () => {
    const asked: string[][] = [];
    const row = (dims: string, captures: number): RollupRow => ({
      day: '2026-12-02',
      dims,
      counts: { captures, leads: captures },
    });
    const rows = [
      row(`last|${touchDims({ source: 'google', formId: 'webinar' })}`, 2),
      row(`last|${touchDims({ source: 'direct', formId: 'webinar' })}`, 1),
      row(`last|${touchDims({ source: 'direct', formId: 'newsletter' })}`, 4),
      row(`last|${touchDims({ source: 'meta', platform: 'meta' })}`, 5),
      row(`first|${touchDims({ source: 'direct', formId: 'webinar' })}`, 9),
    ];
    const captures = await formCapturesLastWeek({
      rollups: {
        async read(report, from, to) {
          asked.push([report, from, to]);
          return rows;
        },
      },
      clock: { now: () => new Date('2026-12-03T01:30:00Z') },
      timeZone: 'America/New_York',
    });
    // 01:30 UTC on the 3rd is still the 2nd in New York: the week is the 26th to the 2nd.
    expect(asked).toEqual([['sources', '2026-11-26', '2026-12-02']]);
    expect([...captures.entries()].sort()).toEqual([
      ['newsletter', 4],
      ['webinar', 3],
    ]);
  });
});
