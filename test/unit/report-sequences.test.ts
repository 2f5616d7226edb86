import { describe, expect, it } from 'vitest';
import type { Activity } from '../../functions/core/leads/lead';
import { sumRows } from '../../functions/core/reports/aggregate';
import type { ReportQuery } from '../../functions/core/reports/report';
import { sequencesReport } from '../../functions/core/reports/sequences';

const TZ = 'Europe/Berlin';
const query: ReportQuery = {
  from: '2026-11-01',
  to: '2026-11-30',
  interval: 'day',
  compare: false,
  filters: {},
};
let n = 0;
const entry = (type: string, at: string, rest: Partial<Activity> = {}): Activity => ({
  activityId: `a${++n}`,
  leadId: `ld_${n}`,
  type,
  at,
  source: 'nurture',
  ...rest,
});
const seq = (sequenceId: string, more: Record<string, unknown> = {}) => ({
  properties: { sequenceId, enrollment: 1, ...more },
});

const TIMELINE: Activity[] = [
  // Three leads enter welcome by its trigger, one by hand; one of them also a double opt-in confirmation.
  entry('form_submitted', '2026-11-02T09:00:00.000Z', { effect: { enrolled: ['welcome', 'confirm:demo'] } }),
  entry('form_submitted', '2026-11-02T10:00:00.000Z', { effect: { enrolled: ['welcome'] } }),
  entry('trial_started', '2026-11-03T23:30:00.000Z', { effect: { enrolled: ['welcome', 'trial'] } }),
  entry('sequence_enrolled', '2026-11-04T08:00:00.000Z', seq('welcome', { manual: true })),
  entry('sequence_completed', '2026-11-10T08:00:00.000Z', seq('welcome')),
  entry('sequence_exited', '2026-11-05T08:00:00.000Z', seq('welcome', { reason: 'handoff' })),
  entry('sequence_exited', '2026-11-06T08:00:00.000Z', seq('welcome', { reason: 'no_consent' })),
  entry('sequence_exited', '2026-11-06T09:00:00.000Z', seq('trial', { reason: 'something_new' })),
  // A broadcast's enrollment and end are not a sequence's.
  entry(
    'sequence_exited',
    '2026-11-06T10:00:00.000Z',
    seq('broadcast:bc_1', { reason: 'broadcast_cancelled' }),
  ),
  entry('email_sent', '2026-11-06T11:00:00.000Z', seq('welcome', { step: 'day-1' })),
];

const rows = () =>
  sumRows(TIMELINE.flatMap((e) => sequencesReport.increments(e, undefined, TZ))).map(
    ({ day, dims, counts }) => ({ day, dims, counts }),
  );

describe('sequences report', () => {
  it('counts enrolled, active, completed and exited by reason per sequence', () => {
    const table = sequencesReport.build(rows(), query).tables[0];
    expect(table?.id).toBe('sequences');
    expect(table?.rows.map((r) => r.sequence)).toEqual(['welcome', 'trial']);
    expect(table?.rows[0]).toMatchObject({
      sequence: 'welcome',
      enrolled: 4,
      active: 1,
      completed: 1,
      exited: 2,
      exited_handoff: 1,
      exited_no_consent: 1,
      exited_goal_met: 0,
    });
    // A reason this report does not know yet counts as other; an enrollment that ended leaves active.
    expect(table?.rows[1]).toMatchObject({
      sequence: 'trial',
      enrolled: 1,
      active: 0,
      exited: 1,
      exited_other: 1,
    });
  });

  it('puts each count on its day in the account time zone, keyed by sequence only', () => {
    const trial = rows().filter((r) => r.dims === 'seq=trial');
    // 23:30 UTC on the 3rd is the 4th in Berlin.
    expect(trial).toContainEqual({ day: '2026-11-04', dims: 'seq=trial', counts: { enrolled: 1 } });
    expect(rows().some((r) => r.dims.includes('broadcast') || r.dims.includes('confirm'))).toBe(false);
  });

  it('never shows a negative active count when enrollments began before the range', () => {
    const ended = [{ day: '2026-11-05', dims: 'seq=old', counts: { exited: 2, exited_handoff: 2 } }];
    expect(sequencesReport.build(ended, query).tables[0]?.rows[0]).toMatchObject({ enrolled: 0, active: 0 });
  });
});
