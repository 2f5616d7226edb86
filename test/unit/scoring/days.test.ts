import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, Decay, dayKey, dayNumber, dayOf, dayText } from '../../../functions/core/scoring/days';

describe('day keys', () => {
  it('numbers every UTC day as Date does, from 1970 to 2200 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) }), (ms) => {
        expect(dayNumber(dayKey(ms))).toBe(Math.floor(ms / DAY_MS));
      }),
    );
  });

  it('numbers the day of any time as its key does, and names a day by its key (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => {
        const day = dayOf(ms);
        expect(day).toBe(dayNumber(dayKey(ms)));
        expect(dayText(day)).toBe(dayKey(ms));
      }),
    );
  });

  it('takes a time no Date holds for no day, as Date does', () => {
    expect(() => dayOf(Number.NaN)).toThrow(RangeError);
    expect(() => dayOf(8.64e15 + 1)).toThrow(RangeError);
    expect(dayOf(-1)).toBe(-1);
    expect(dayOf(DAY_MS - 0.5)).toBe(0);
  });

  it.each([
    '2026-13-01',
    '2026-00-10',
    '2026-11-32',
    '2026-1-20',
    '2026/11/20',
    '2026-11-2x',
    '',
    'constructor',
  ])('does not take "%s" for a day', (key) => {
    expect(dayNumber(key)).toBeNaN();
  });
});

describe('Decay', () => {
  it('equals 0.5^(age / half-life), age from the end of the day, for any time (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 365 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 2000 * DAY_MS }),
        (halfLife, day, sinceEpoch) => {
          const now = Date.UTC(2024, 0, 1) + sinceEpoch;
          const dayStart = Date.UTC(2024, 0, 1) + day * DAY_MS;
          const age = Math.max(0, (now - dayStart - DAY_MS) / DAY_MS);
          const factor = new Decay(halfLife).at(now).factor(dayNumber(dayKey(dayStart)));
          expect(factor).toBeCloseTo(0.5 ** (age / halfLife), 12);
        },
      ),
    );
  });

  it('halves exactly at one half-life and is exactly 1 on the day itself', () => {
    const decay = new Decay(30);
    const day = dayNumber('2026-10-01');
    expect(decay.at(Date.parse('2026-11-01T00:00:00Z')).factor(day)).toBe(0.5);
    expect(decay.at(Date.parse('2026-10-01T23:59:59Z')).factor(day)).toBe(1);
  });
});
