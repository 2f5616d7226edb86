import { describe, expect, it } from 'vitest';
import type { Activity } from '../../functions/core/leads/lead';
import { attributionOf, emailReport } from '../../functions/core/reports/email';
import type { Increment, ReportQuery, RollupRow } from '../../functions/core/reports/report';

/**
 * The email report on hand-computed examples. Rollups are folded here as the aggregator applies
 * them: rows summed per (day, dims), an increment with a once-key counted for its first entry only.
 */
let n = 0;
function entry(type: string, at: string, properties: Record<string, unknown>, leadId = 'ld_a'): Activity {
  n += 1;
  return { activityId: `act_${n}`, leadId, type, at, source: 'test', properties };
}
const welcome1 = { sequenceId: 'welcome', step: 'welcome', templateId: 'welcome-1' };
const welcome2 = { sequenceId: 'welcome', step: 'day-3', templateId: 'welcome-2' };
const news = { step: 'broadcast', templateId: 'news', broadcastId: 'bc_01JDZ3V6Q1A2B3C4D5E6F7G8H9' };
const day = (d: number, time = '10:00:00') => `2026-11-${String(d).padStart(2, '0')}T${time}.000Z`;

function fold(entries: Activity[], timeZone = 'UTC'): RollupRow[] {
  const rows = new Map<string, RollupRow>();
  const claimed = new Set<string>();
  for (const e of entries) {
    for (const inc of emailReport.increments(e, undefined, timeZone) as Increment[]) {
      if (inc.once) {
        if (claimed.has(inc.once)) continue;
        claimed.add(inc.once);
      }
      const key = `${inc.day}|${inc.dims}`;
      const row = rows.get(key) ?? { day: inc.day, dims: inc.dims, counts: {} };
      for (const [k, v] of Object.entries(inc.counts)) row.counts[k] = (row.counts[k] ?? 0) + v;
      rows.set(key, row);
    }
  }
  return [...rows.values()];
}

const query = (over: Partial<ReportQuery> = {}): ReportQuery => ({
  from: '2026-11-01',
  to: '2026-11-30',
  interval: 'day',
  compare: false,
  ...over,
  filters: { ...over.filters },
});
const table = (rows: RollupRow[], id: string, q = query()) =>
  emailReport.build(rows, q).tables.find((t) => t.id === id);

// Lead a: welcome step 1 (m1) delivered, opened twice, clicked twice; step 2 (m3) delivered, complained.
// Lead b: welcome step 1 (m2) bounced; then unsubscribed out of welcome (its step 2 skipped).
// Lead c: welcome step 1 skipped (suppressed). Lead d: broadcast (m4) delivered and opened;
// a broadcast entry written before entries named broadcastId (m5, sent only).
const workload = [
  entry('email_sent', day(2), { ...welcome1, enrollment: 1, messageId: 'm1' }),
  entry('email_delivered', day(2, '10:00:05'), { ...welcome1, messageId: 'm1' }),
  entry('email_opened', day(2, '11:00:00'), { ...welcome1, messageId: 'm1' }),
  entry('email_opened', day(3), { ...welcome1, messageId: 'm1' }),
  entry('email_clicked', day(3, '10:01:00'), { ...welcome1, messageId: 'm1', link: 'https://a' }),
  entry('email_clicked', day(3, '10:02:00'), { ...welcome1, messageId: 'm1', link: 'https://b' }),
  entry('email_sent', day(2), { ...welcome1, messageId: 'm2' }, 'ld_b'),
  entry('email_bounced', day(2, '10:00:09'), { ...welcome1, messageId: 'm2' }, 'ld_b'),
  entry('sequence_exited', day(4), { sequenceId: 'welcome', reason: 'unsubscribed', skipped: 1 }, 'ld_b'),
  entry('email_skipped', day(4), { ...welcome2, reason: 'unsubscribed' }, 'ld_b'),
  entry('unsubscribed', day(4), { method: 'one_click', suppressed: true }, 'ld_b'),
  entry('email_skipped', day(2), { ...welcome1, reason: 'suppressed' }, 'ld_c'),
  entry('email_sent', day(5), { ...welcome2, messageId: 'm3' }),
  entry('email_delivered', day(5), { ...welcome2, messageId: 'm3' }),
  entry('email_complained', day(6), { ...welcome2, messageId: 'm3' }),
  entry(
    'email_sent',
    day(7),
    { sequenceId: `broadcast:${news.broadcastId}`, ...news, messageId: 'm4' },
    'ld_d',
  ),
  entry('email_delivered', day(7), { ...news, messageId: 'm4' }, 'ld_d'),
  entry('email_opened', day(8), { ...news, messageId: 'm4' }, 'ld_d'),
  entry(
    'email_sent',
    day(7),
    { sequenceId: `broadcast:${news.broadcastId}`, step: 'broadcast', template: 'news' },
    'ld_e',
  ),
  entry('page_viewed', day(7), { url: 'https://acme.example' }, 'ld_e'),
];

describe('email report', () => {
  it('counts sends, deliveries, unique opens and clicks, bounces, complaints, unsubscribes and skips per sequence', () => {
    const rows = fold(workload);
    expect(table(rows, 'sequences')?.rows).toEqual([
      expect.objectContaining({
        sequence: 'welcome',
        sent: 3,
        delivered: 2,
        opened: 1,
        clicked: 1,
        bounced: 1,
        complained: 1,
        unsubscribed: 1,
        skipped: 2,
        failed: 0,
        skippedSuppressed: 1,
        skippedUnsubscribed: 1,
        deliveryRate: 0.6667,
        openRate: 1 / 2,
        clickRate: 1 / 2,
        clickToOpenRate: 1,
        bounceRate: 0.3333,
        complaintRate: 1 / 2,
        unsubscribeRate: 1 / 2,
      }),
    ]);
    // Every open and click is kept too (for the engagement columns of a later chart).
    const opens = rows.reduce((sum, r) => sum + (r.counts.opens ?? 0), 0);
    const clicks = rows.reduce((sum, r) => sum + (r.counts.clicks ?? 0), 0);
    expect([opens, clicks]).toEqual([3, 2]);
  });

  it('counts a broadcast under its id (also an entry from before broadcastId), never as a sequence', () => {
    const rows = fold(workload);
    expect(table(rows, 'broadcasts')?.rows).toEqual([
      expect.objectContaining({ broadcast: news.broadcastId, sent: 2, delivered: 1, opened: 1, openRate: 1 }),
    ]);
    expect(table(rows, 'sequences')?.rows.map((r) => r.sequence)).toEqual(['welcome']);
  });

  it('counts per template across sequences and broadcasts, most sent first (then by name)', () => {
    const rows = fold(workload);
    expect(
      table(rows, 'templates')?.rows.map((r) => [r.template, r.sent, r.delivered, r.opened, r.skipped]),
    ).toEqual([
      ['news', 2, 1, 1, 0],
      ['welcome-1', 2, 1, 1, 1],
      ['welcome-2', 1, 1, 0, 1],
    ]);
  });

  it('adds the steps of one sequence with sequence=, as a funnel, and keeps only that sequence', () => {
    const rows = fold(workload);
    const body = emailReport.build(rows, query({ filters: { sequence: 'welcome' } }));
    expect(body.tables.map((t) => t.id)).toEqual([
      'sequences',
      'steps',
      'variants',
      'templates',
      'broadcasts',
    ]);
    const steps = body.tables.find((t) => t.id === 'steps');
    expect(steps?.rows.map((r) => [r.step, r.sent, r.delivered, r.opened, r.clicked, r.skipped])).toEqual([
      ['welcome', 2, 1, 1, 1, 1],
      ['day-3', 1, 1, 0, 0, 1],
    ]);
    expect(body.tables.find((t) => t.id === 'broadcasts')?.rows).toEqual([]);
    expect(body.tables.find((t) => t.id === 'templates')?.rows.map((r) => r.template)).toEqual([
      'welcome-1',
      'welcome-2',
    ]);
    expect(emailReport.build(rows, query()).tables.map((t) => t.id)).not.toContain('steps');
  });

  it('counts a second open of a message on a later day as an open, not as another unique open', () => {
    const rows = fold(workload);
    const m1Day3 = rows.find((r) => r.day === '2026-11-03' && r.dims.startsWith('seq=welcome|step=welcome'));
    expect(m1Day3?.counts).toEqual({ opens: 1, clicks: 2, clicked: 1 });
  });

  it('days are the account time zone’s: 23:30 UTC on 2 Nov is 3 Nov in Berlin', () => {
    const rows = fold([entry('email_sent', '2026-11-02T23:30:00.000Z', welcome1)], 'Europe/Berlin');
    expect(rows.map((r) => r.day)).toEqual(['2026-11-03']);
  });

  it('builds from the rows of the period it is given (the reader builds the previous period alike)', () => {
    const rows = fold(workload).filter((r) => r.day >= '2026-11-05' && r.day <= '2026-11-08');
    const sequences = emailReport.build(rows, query({ from: '2026-11-05', to: '2026-11-08' })).tables[0];
    // 5–8 Nov: m3 sent, delivered, complained (m1, m2, the skips and the unsubscribe were 2–4 Nov).
    expect(sequences?.rows).toEqual([
      expect.objectContaining({ sent: 1, delivered: 1, complained: 1, skipped: 0, unsubscribed: 0 }),
    ]);
    expect(sequences).not.toHaveProperty('previous');
  });

  it('gives null rates where there is nothing to divide by, and no rows for entries it does not count', () => {
    const rows = fold([entry('email_skipped', day(2), { ...welcome1, reason: 'capped' })]);
    expect(table(rows, 'sequences')?.rows).toEqual([
      expect.objectContaining({ sent: 0, skipped: 1, skippedCapped: 1, deliveryRate: null, openRate: null }),
    ]);
    expect(fold([entry('form_submitted', day(2), {}), entry('unsubscribed', day(2), {})])).toEqual([]);
  });

  it('reads attribution from nurture and SES entries alike, keeping values within tag characters', () => {
    expect(
      attributionOf({ sequenceId: 'confirm:newsletter', step: 'confirm', template: 'confirm-subscription' }),
    ).toEqual({
      sequenceId: 'confirm_newsletter',
      step: 'confirm',
      templateId: 'confirm-subscription',
    });
    expect(attributionOf({ sequenceId: 'broadcast:bc_1', step: 'broadcast' })).toMatchObject({
      broadcastId: 'bc_1',
    });
  });
});
