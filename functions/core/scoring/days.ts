/** UTC calendar days, as the engagement aggregate keys them ('YYYY-MM-DD'). */

export const DAY_MS = 86_400_000;

export function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Days since 1970-01-01 of a 'YYYY-MM-DD' key, or NaN when it is not one. Scoring reads hundreds
 * of keys per lead, so: plain arithmetic, remembered per key (a pure function's memo).
 */
export function dayNumber(key: string): number {
  let day = known.get(key);
  if (day === undefined) {
    // Aggregates share a few hundred recent days; bounded, so a stream of odd keys cannot grow it.
    if (known.size >= 4096) known.clear();
    day = civilDay(key);
    known.set(key, day);
  }
  return day;
}

const known = new Map<string, number>();

/** H. Hinnant's days_from_civil, on the digits as they are. */
function civilDay(key: string): number {
  if (key.length !== 10 || key.charCodeAt(4) !== 45 || key.charCodeAt(7) !== 45) return Number.NaN;
  const y = digit(key, 0) * 1000 + digit(key, 1) * 100 + digit(key, 2) * 10 + digit(key, 3);
  const m = digit(key, 5) * 10 + digit(key, 6);
  const d = digit(key, 8) * 10 + digit(key, 9);
  // A non-digit makes its part -Infinity, so one range check covers them all.
  if (!(y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31)) return Number.NaN;
  const year = m <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function digit(text: string, at: number): number {
  const value = text.charCodeAt(at) - 48;
  return value >= 0 && value <= 9 ? value : Number.NEGATIVE_INFINITY;
}

/**
 * How much of a day's points are left at `now`: 0.5^(age / half-life), where age runs from the
 * END of the day (never negative). Points count in full on the day they are earned (a demo
 * request worth 40 scores 40 that day, so thresholds add up as the marketer expects) and
 * halve every half-life after that day's midnight UTC. Activities dated ahead count in full.
 */
export class Decay {
  // 0.5^(k / half-life) for whole days k: one multiplication per day bucket instead of a power.
  private readonly table: number[] = [];

  constructor(readonly halfLifeDays: number) {}

  at(now: number): DecayClock {
    const today = Math.floor(now / DAY_MS);
    return new DecayClock(this, today, 0.5 ** ((now - today * DAY_MS) / DAY_MS / this.halfLifeDays));
  }

  wholeDays(days: number): number {
    if (days >= 4096) return 0.5 ** (days / this.halfLifeDays);
    let factor = this.table[days];
    if (factor === undefined) {
      factor = 0.5 ** (days / this.halfLifeDays);
      this.table[days] = factor;
    }
    return factor;
  }
}

/** A decay read at one moment: the factor for a day number. */
export class DecayClock {
  constructor(
    private readonly decay: Decay,
    private readonly today: number,
    private readonly partOfToday: number,
  ) {}

  factor(day: number): number {
    const whole = this.today - day - 1;
    return whole < 0 ? 1 : this.decay.wholeDays(whole) * this.partOfToday;
  }
}
