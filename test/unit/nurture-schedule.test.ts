import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { type Settings, WEEKDAYS } from '../../functions/core/nurture/config-schema';
import {
  frequencyCapCheck,
  leadTimeZone,
  recentSends,
  sendWindowCheck,
  stepDueAt,
} from '../../functions/core/nurture/schedule';

const at = (iso: string) => new Date(iso);
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const AUCKLAND = 'Pacific/Auckland';

const officeHours = (timezone: string, overrides: Partial<Settings['sendWindow']> = {}) => ({
  days: ['mon', 'tue', 'wed', 'thu', 'fri'] as Settings['sendWindow']['days'],
  start: '09:00',
  end: '17:00',
  timezone,
  ...overrides,
});

describe('leadTimeZone', () => {
  it("uses the profile's zone when it names a real IANA zone", () => {
    expect(leadTimeZone('Asia/Tokyo', BERLIN)).toBe('Asia/Tokyo');
  });

  it('falls back when the profile zone is unknown, empty, absent or not a string', () => {
    for (const value of ['Mars/Olympus_Mons', '', undefined, null, 540, { zone: 'Asia/Tokyo' }]) {
      expect(leadTimeZone(value, BERLIN)).toBe(BERLIN);
    }
  });
});

describe('stepDueAt', () => {
  const none = { days: 0, hours: 0, minutes: 0 };

  it('is the same instant for a zero wait', () => {
    const from = at('2026-03-04T08:17:23.456Z');
    expect(stepDueAt(none, from, BERLIN)).toEqual(from);
  });

  it('adds days, hours and minutes', () => {
    expect(stepDueAt({ days: 1, hours: 2, minutes: 30 }, at('2026-03-04T08:00:00Z'), BERLIN)).toEqual(
      at('2026-03-05T10:30:00Z'),
    );
  });

  it('keeps 09:00 local for a 2-day wait across the Berlin spring-forward (2026-03-29)', () => {
    // 09:00 CET (+01:00) on Saturday; Monday 09:00 is CEST (+02:00): 47 elapsed hours, not 48.
    expect(stepDueAt({ ...none, days: 2 }, at('2026-03-28T08:00:00Z'), BERLIN)).toEqual(
      at('2026-03-30T07:00:00Z'),
    );
  });

  it('counts hours as elapsed time across the same change', () => {
    expect(stepDueAt({ ...none, hours: 48 }, at('2026-03-28T08:00:00Z'), BERLIN)).toEqual(
      at('2026-03-30T08:00:00Z'),
    );
  });

  // 2026-03-04 is a Wednesday; 08:00Z is 09:00 in Berlin (CET).
  const wednesday0900 = at('2026-03-04T08:00:00Z');

  it('waits until later today when today is the weekday and the time is ahead', () => {
    expect(stepDueAt({ until: { weekday: 'wed', time: '10:00' } }, wednesday0900, BERLIN)).toEqual(
      at('2026-03-04T09:00:00Z'),
    );
  });

  it('waits a week when the time today has passed, or is right now', () => {
    expect(stepDueAt({ until: { weekday: 'wed', time: '08:30' } }, wednesday0900, BERLIN)).toEqual(
      at('2026-03-11T07:30:00Z'),
    );
    expect(stepDueAt({ until: { weekday: 'wed', time: '09:00' } }, wednesday0900, BERLIN)).toEqual(
      at('2026-03-11T08:00:00Z'),
    );
  });

  it('waits until another weekday later this week or next', () => {
    expect(stepDueAt({ until: { weekday: 'fri', time: '09:00' } }, wednesday0900, BERLIN)).toEqual(
      at('2026-03-06T08:00:00Z'),
    );
    expect(stepDueAt({ until: { weekday: 'mon', time: '07:15' } }, wednesday0900, BERLIN)).toEqual(
      at('2026-03-09T06:15:00Z'),
    );
  });

  it('reads the weekday in the lead zone, across a DST change', () => {
    // Friday 2026-03-27 in Berlin; the Monday after is in summer time.
    expect(
      stepDueAt({ until: { weekday: 'mon', time: '09:00' } }, at('2026-03-27T12:00:00Z'), BERLIN),
    ).toEqual(at('2026-03-30T07:00:00Z'));
    // 23:00Z on Sunday 2026-03-08 is already Monday 12:00 in Auckland (NZDT, +13).
    expect(
      stepDueAt({ until: { weekday: 'mon', time: '15:00' } }, at('2026-03-08T23:00:00Z'), AUCKLAND),
    ).toEqual(at('2026-03-09T02:00:00Z'));
  });

  it('takes the first 02:30 of a fall-back night, and the second once the first has passed', () => {
    // Berlin 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:30 happens at 00:30Z and at 01:30Z.
    const until = { until: { weekday: 'sun' as const, time: '02:30' } };
    expect(stepDueAt(until, at('2026-10-25T00:00:00Z'), BERLIN)).toEqual(at('2026-10-25T00:30:00Z'));
    expect(stepDueAt(until, at('2026-10-25T00:45:00Z'), BERLIN)).toEqual(at('2026-10-25T01:30:00Z'));
  });
});

describe('sendWindowCheck', () => {
  // 2026-03-04 is a Wednesday; New York is on EST (-05:00) until 2026-03-08.
  const window = officeHours(NEW_YORK);

  it('is open inside the window, from the start minute on', () => {
    expect(sendWindowCheck(window, NEW_YORK, at('2026-03-04T17:00:00Z'))).toEqual({ open: true });
    expect(sendWindowCheck(window, NEW_YORK, at('2026-03-04T14:00:00Z'))).toEqual({ open: true });
    expect(sendWindowCheck(window, NEW_YORK, at('2026-03-04T21:59:59Z'))).toEqual({ open: true });
  });

  it('opens at today’s start when it is too early', () => {
    expect(sendWindowCheck(window, NEW_YORK, at('2026-03-04T13:59:00Z'))).toEqual({
      open: false,
      opensAt: at('2026-03-04T14:00:00Z'),
    });
  });

  it('is closed from the end minute on, until the next day’s start', () => {
    expect(sendWindowCheck(window, NEW_YORK, at('2026-03-04T22:00:00Z'))).toEqual({
      open: false,
      opensAt: at('2026-03-05T14:00:00Z'),
    });
  });

  it('skips the weekend: Friday 18:00 New York opens Monday 09:00 New York (now EDT)', () => {
    expect(sendWindowCheck(window, NEW_YORK, at('2026-03-06T23:00:00Z'))).toEqual({
      open: false,
      opensAt: at('2026-03-09T13:00:00Z'),
    });
    expect(sendWindowCheck(window, NEW_YORK, at('2026-03-07T17:00:00Z'))).toEqual({
      open: false,
      opensAt: at('2026-03-09T13:00:00Z'),
    });
  });

  it('reads the day in the lead zone, not in UTC', () => {
    const auckland = officeHours(AUCKLAND);
    // Sunday 21:00Z is Monday 10:00 in Auckland (NZDT, +13).
    expect(sendWindowCheck(auckland, AUCKLAND, at('2026-03-08T21:00:00Z'))).toEqual({ open: true });
    // Friday 21:00Z is Saturday 10:00 there; Monday 09:00 Auckland is still Sunday in UTC.
    expect(sendWindowCheck(auckland, AUCKLAND, at('2026-03-06T21:00:00Z'))).toEqual({
      open: false,
      opensAt: at('2026-03-08T20:00:00Z'),
    });
  });

  it('opens at the forward-shifted start when the start falls into a spring-forward gap', () => {
    // Berlin 2026-03-29: 02:00 CET jumps to 03:00 CEST, so 02:30 becomes 03:30 CEST (01:30Z).
    const sunday = officeHours(BERLIN, { days: ['sun'], start: '02:30', end: '04:00' });
    expect(sendWindowCheck(sunday, BERLIN, at('2026-03-28T12:00:00Z'))).toEqual({
      open: false,
      opensAt: at('2026-03-29T01:30:00Z'),
    });
  });

  it('skips a day whose whole window falls into the gap', () => {
    const gap = officeHours(BERLIN, { days: ['sun'], start: '02:00', end: '03:00' });
    expect(sendWindowCheck(gap, BERLIN, at('2026-03-28T12:00:00Z'))).toEqual({
      open: false,
      opensAt: at('2026-04-05T00:00:00Z'),
    });
  });
});

describe('frequencyCapCheck', () => {
  const cap = { perDay: 2, perWeek: 3 };
  const now = at('2026-03-10T12:00:00Z');

  it('allows a send under both limits', () => {
    expect(frequencyCapCheck([], cap, now)).toEqual({ ok: true });
    expect(frequencyCapCheck(['2026-03-10T08:00:00Z'], cap, now)).toEqual({ ok: true });
  });

  it('holds at perDay until the oldest send of the last 24 h is 24 h old', () => {
    expect(frequencyCapCheck(['2026-03-09T15:00:00Z', '2026-03-10T08:00:00Z'], cap, now)).toEqual({
      ok: false,
      limit: 'per_day',
      retryAt: at('2026-03-10T15:00:00Z'),
    });
  });

  it('no longer counts a send exactly 24 h old against perDay', () => {
    expect(frequencyCapCheck(['2026-03-09T12:00:00Z', '2026-03-10T08:00:00Z'], cap, now)).toEqual({
      ok: true,
    });
  });

  it('holds at perWeek until the oldest send of the last 7 days is 7 days old', () => {
    const sent = [
      '2026-03-02T12:00:00Z',
      '2026-03-04T13:00:00Z',
      '2026-03-06T10:00:00Z',
      '2026-03-08T09:00:00Z',
    ];
    expect(frequencyCapCheck(sent, cap, now)).toEqual({
      ok: false,
      limit: 'per_week',
      retryAt: at('2026-03-11T13:00:00Z'),
    });
  });

  it('reports the later limit when both are reached', () => {
    expect(
      frequencyCapCheck(['2026-03-05T09:00:00Z', '2026-03-10T06:00:00Z', '2026-03-10T09:00:00Z'], cap, now),
    ).toEqual({ ok: false, limit: 'per_week', retryAt: at('2026-03-12T09:00:00Z') });
    expect(
      frequencyCapCheck(['2026-03-03T13:00:00Z', '2026-03-10T06:00:00Z', '2026-03-10T09:00:00Z'], cap, now),
    ).toEqual({ ok: false, limit: 'per_day', retryAt: at('2026-03-11T06:00:00Z') });
  });

  it('waits for enough sends to leave when there are more than the limit (the cap was lowered)', () => {
    const sent = ['2026-03-10T09:00:00Z', '2026-03-10T01:00:00Z', 'not a date', '2026-03-10T05:00:00Z'];
    expect(frequencyCapCheck(sent, { perDay: 1, perWeek: 10 }, now)).toEqual({
      ok: false,
      limit: 'per_day',
      retryAt: at('2026-03-11T09:00:00Z'),
    });
  });
});

describe('recentSends', () => {
  it('keeps the parseable sends of the last 7 days, oldest first', () => {
    const sent = [
      '2026-03-09T10:00:00Z',
      'garbage',
      '2026-03-01T00:00:00Z',
      '2026-03-03T12:00:00Z',
      '2026-03-05T00:00:00Z',
    ];
    expect(recentSends(sent, at('2026-03-10T12:00:00Z'))).toEqual([
      '2026-03-05T00:00:00Z',
      '2026-03-09T10:00:00Z',
    ]);
  });
});

describe('properties', () => {
  const zones = [
    'UTC',
    BERLIN,
    NEW_YORK,
    AUCKLAND,
    'Asia/Kolkata',
    'Pacific/Chatham',
    'Australia/Lord_Howe', // 30-minute DST shift
    'America/Santiago', // DST changes at local midnight
    'America/Havana',
  ];
  // DST changes of 2026 in those zones, so that random instants often land near one.
  const transitions = [
    '2026-03-08T07:00:00Z',
    '2026-03-29T01:00:00Z',
    '2026-04-04T14:00:00Z',
    '2026-04-04T15:00:00Z',
    '2026-04-05T03:00:00Z',
    '2026-09-06T04:00:00Z',
    '2026-09-26T14:00:00Z',
    '2026-10-03T15:30:00Z',
    '2026-10-25T01:00:00Z',
    '2026-11-01T05:00:00Z',
    '2026-11-01T06:00:00Z',
  ].map((iso) => Date.parse(iso));
  const HOUR = 3_600_000;
  const instant = fc.oneof(
    fc.integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2030-12-31T00:00:00Z') }),
    fc
      .tuple(fc.constantFrom(...transitions), fc.integer({ min: -8 * 24 * HOUR, max: 8 * 24 * HOUR }))
      .map(([t, offset]) => t + offset),
  );
  // Minutes of the day, with many near the small hours where DST changes happen.
  const minute = fc.oneof(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 240 }));
  const hhmm = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const sendWindow = fc
    .record({
      days: fc.subarray([...WEEKDAYS], { minLength: 1 }),
      bounds: fc.uniqueArray(minute, { minLength: 2, maxLength: 2 }),
    })
    .map(({ days, bounds }) => {
      const [start = 0, end = 1] = [...bounds].sort((a, b) => a - b);
      return { days, start: hhmm(start), end: hhmm(end), timezone: 'UTC' };
    });

  it('a closed window opens after now, is open then, and is closed just before (unless DST-shifted)', () => {
    fc.assert(
      fc.property(
        instant,
        sendWindow,
        fc.constantFrom(...zones),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (ms, window, zone, fraction) => {
          const now = new Date(ms);
          const check = sendWindowCheck(window, zone, now);
          if (check.open) return;
          const opensAt = check.opensAt.getTime();
          expect(opensAt).toBeGreaterThan(ms);
          expect(sendWindowCheck(window, zone, check.opensAt)).toEqual({ open: true });
          // The earliest opening, except on a gap day where luxon's forward shift lands
          // inside a window that already opened when the clocks jumped.
          const shifted = DateTime.fromMillis(opensAt, { zone }).toFormat('HH:mm') !== window.start;
          if (!shifted) {
            expect(sendWindowCheck(window, zone, new Date(opensAt - 1)).open).toBe(false);
            const between = new Date(Math.floor(ms + (opensAt - ms) * fraction));
            if (between.getTime() < opensAt) expect(sendWindowCheck(window, zone, between).open).toBe(false);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a capped lead may be sent to exactly at retryAt, not a millisecond earlier', () => {
    const cap = fc
      .integer({ min: 1, max: 5 })
      .chain((perDay) =>
        fc.record({ perDay: fc.constant(perDay), perWeek: fc.integer({ min: perDay, max: 10 }) }),
      );
    fc.assert(
      fc.property(
        instant,
        fc.array(fc.integer({ min: -10 * 24 * HOUR, max: HOUR }), { maxLength: 15 }),
        cap,
        (ms, offsets, frequencyCap) => {
          const now = new Date(ms);
          const sent = offsets.map((offset) => new Date(ms + offset).toISOString());
          const check = frequencyCapCheck(sent, frequencyCap, now);
          if (check.ok) return;
          expect(check.retryAt.getTime()).toBeGreaterThan(ms);
          expect(frequencyCapCheck(sent, frequencyCap, check.retryAt)).toEqual({ ok: true });
          // Just before, the binding limit still holds and names the same moment.
          expect(frequencyCapCheck(sent, frequencyCap, new Date(check.retryAt.getTime() - 1))).toEqual(check);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
