/**
 * UTC calendar days: the engagement aggregate stores them as day numbers (days since
 * 1970-01-01), and reasons show them as 'YYYY-MM-DD'.
 */

export const DAY_MS = 86_400_000;

/** The latest time a Date holds, either side of 1970. */
const MAX_TIME = 8.64e15;

export function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The UTC day number of a time, exactly as `dayNumber(dayKey(ms))` for the years a key can
 * show: a Date's whole milliseconds, and a RangeError for a time no Date holds.
 */
export function dayOf(ms: number): number {
  const time = Math.trunc(ms);
  if (!(time >= -MAX_TIME && time <= MAX_TIME)) throw new RangeError('Invalid time value');
  return Math.floor(time / DAY_MS);
}

/**
 * 'YYYY-MM-DD' of a day number. Reasons name the first and last day of every rule, so each
 * lead needs dozens: remembered per day, bounded like `dayNumber`'s memo.
 */
export function dayText(day: number): string {
  let text = texts.get(day);
  if (text === undefined) {
    if (texts.size >= 4096) texts.clear();
    // A day no Date holds comes only from a hand-made aggregate: named, not thrown over.
    text = Math.abs(day * DAY_MS) <= MAX_TIME ? dayKey(day * DAY_MS) : `day ${day}`;
    texts.set(day, text);
  }
  return text;
}

const texts = new Map<number, string>();

/**
 * Days since 1970-01-01 of a 'YYYY-MM-DD' key, or NaN when it is not one: the inverse of
 * `dayText`, for keys written by hand (tests, tools). Plain arithmetic, remembered per key.
 */
export function dayNumber(key: string): number {
  let day = known.get(key);
  if (day === undefined) {
    // Bounded, so a stream of odd keys cannot grow it.
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
  // Filled once per model (a few thousand powers), so the lookup in the hot loop never misses.
  private readonly table: number[];

  constructor(readonly halfLifeDays: number) {
    this.table = Array.from({ length: TABLE_DAYS }, (_, days) => 0.5 ** (days / halfLifeDays));
  }

  at(now: number): DecayClock {
    const today = Math.floor(now / DAY_MS);
    return new DecayClock(this, today, 0.5 ** ((now - today * DAY_MS) / DAY_MS / this.halfLifeDays));
  }

  wholeDays(days: number): number {
    // Beyond the table (or not a whole day): the power itself.
    return this.table[days] ?? 0.5 ** (days / this.halfLifeDays);
  }
}

const TABLE_DAYS = 4096;

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
