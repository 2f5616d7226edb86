import { DateTime } from 'luxon';
import { isTimeZone, type Settings, type Wait, WEEKDAYS } from './config-schema';

/**
 * When a nurture step may go out: its wait, the send window and the frequency cap.
 * Pure: the caller passes the clock. Wall-clock rules (a weekday, 09:00) are read in the
 * lead's time zone through luxon, so they hold across daylight-saving changes.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const WEEK_MS = 7 * DAY_MS;

type SendWindow = Settings['sendWindow'];
type FrequencyCap = Settings['frequencyCap'];
type Weekday = (typeof WEEKDAYS)[number];
interface WallTime {
  hour: number;
  minute: number;
}

export type SendWindowCheck = { open: true } | { open: false; opensAt: Date };
export type FrequencyCapCheck = { ok: true } | { ok: false; retryAt: Date; limit: 'per_day' | 'per_week' };

/** The lead's own zone (profile field `timezone`) when it names a real one, else the settings' zone. */
export function leadTimeZone(profileTimezone: unknown, fallback: string): string {
  return typeof profileTimezone === 'string' && isTimeZone(profileTimezone) ? profileTimezone : fallback;
}

/**
 * When a step with this wait is due, counted from `from` (enrolment or the previous step).
 * Days are calendar days in `zone` (a 2-day wait keeps the local wall time across a DST
 * change); hours and minutes are elapsed time. `until` is the next such weekday and time
 * strictly after `from`: today when today is that weekday and the time is still ahead.
 */
export function stepDueAt(wait: Wait, from: Date, zone: string): Date {
  const start = inZone(from, zone);
  if (!('until' in wait)) {
    return start.plus({ days: wait.days, hours: wait.hours, minutes: wait.minutes }).toJSDate();
  }
  const time = parseTime(wait.until.time);
  const daysAhead = (WEEKDAYS.indexOf(wait.until.weekday) + 1 - start.weekday + 7) % 7;
  const thisWeek = wallTimes(start.plus({ days: daysAhead }), time).find((at) => at > start);
  return (thisWeek ?? wallTimes(start.plus({ days: daysAhead + 7 }), time)[0]).toJSDate();
}

/**
 * Whether `now` is inside the send window (an allowed local weekday, local time in
 * [start, end)); when it is not, the next moment it opens. On a spring-forward day where
 * `start` does not exist locally, the window opens at luxon's forward-shifted time (02:30
 * becomes 03:30); a day whose whole window falls into the gap is skipped.
 */
export function sendWindowCheck(window: SendWindow, zone: string, now: Date): SendWindowCheck {
  const local = inZone(now, zone);
  if (isOpen(window, local)) return { open: true };
  const start = parseTime(window.start);
  // Today plus two weeks: one allowed day can be lost to a DST gap, the next one week later cannot.
  for (let days = 0; days <= 14; days++) {
    const day = local.plus({ days });
    if (!window.days.includes(weekdayOf(day))) continue;
    const opensAt = wallTimes(day, start).find((at) => at > local && isOpen(window, at));
    if (opensAt) return { open: false, opensAt: opensAt.toJSDate() };
  }
  throw new RangeError(`the send window ${JSON.stringify(window)} never opens in ${zone}`);
}

/**
 * Rolling caps: sends in the last 24 h count against `perDay`, in the last 7 days against
 * `perWeek`. A send stamped after `now` (clock skew between writers) still counts. When a
 * limit is reached, `retryAt` is the moment enough of the oldest counted sends have left
 * its window that one more is allowed; when both are reached, the later of the two.
 * Unparseable timestamps are ignored.
 */
export function frequencyCapCheck(sent: string[], cap: FrequencyCap, now: Date): FrequencyCapCheck {
  const times = sendTimes(sent);
  const perDay = reachedAt(times, now, DAY_MS, cap.perDay);
  const perWeek = reachedAt(times, now, WEEK_MS, cap.perWeek);
  if (perWeek !== undefined && (perDay === undefined || perWeek > perDay)) {
    return { ok: false, retryAt: new Date(perWeek), limit: 'per_week' };
  }
  if (perDay !== undefined) return { ok: false, retryAt: new Date(perDay), limit: 'per_day' };
  return { ok: true };
}

/** The sends that can still count against a cap (the last 7 days), oldest first: what is worth storing. */
export function recentSends(sent: string[], now: Date): string[] {
  const since = now.getTime() - WEEK_MS;
  return sent
    .map((at) => ({ at, ms: Date.parse(at) }))
    .filter(({ ms }) => ms > since)
    .sort((a, b) => a.ms - b.ms)
    .map(({ at }) => at);
}

function inZone(instant: Date, zone: string): DateTime {
  const local = DateTime.fromJSDate(instant, { zone });
  if (!local.isValid) {
    throw new RangeError(`cannot read ${String(instant)} in time zone ${zone}: ${local.invalidExplanation}`);
  }
  return local;
}

function parseTime(hhmm: string): WallTime {
  const [hour, minute] = hhmm.split(':').map(Number);
  return { hour: hour ?? Number.NaN, minute: minute ?? Number.NaN };
}

function weekdayOf(local: DateTime): Weekday {
  // luxon numbers Monday 1 ... Sunday 7, the order of WEEKDAYS.
  return WEEKDAYS[local.weekday - 1] as Weekday;
}

function minuteOfDay({ hour, minute }: WallTime): number {
  return hour * 60 + minute;
}

function isOpen(window: SendWindow, local: DateTime): boolean {
  const minute = minuteOfDay(local);
  return (
    window.days.includes(weekdayOf(local)) &&
    minute >= minuteOfDay(parseTime(window.start)) &&
    minute < minuteOfDay(parseTime(window.end))
  );
}

/**
 * The instants at which the wall clock reads `time` on `day`'s local date, earliest first:
 * two in a fall-back overlap, and in a spring-forward gap the one luxon shifts forward.
 */
function wallTimes(day: DateTime, time: WallTime): [DateTime, ...DateTime[]] {
  const exact = DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour: time.hour, minute: time.minute },
    { zone: day.zone },
  );
  const [first = exact, ...rest] = exact.getPossibleOffsets().sort((a, b) => a.toMillis() - b.toMillis());
  return [first, ...rest];
}

function sendTimes(sent: string[]): number[] {
  return sent.map((at) => Date.parse(at)).filter((ms) => !Number.isNaN(ms));
}

/**
 * When a cap of `limit` sends per rolling `span` lets one more through, or undefined when
 * it already does. Sorted oldest first, the send that must leave the window for the count
 * to drop below the limit is the (count - limit + 1)-th: with more sends than the limit
 * (the cap was lowered), the oldest one leaving is not enough.
 */
function reachedAt(times: number[], now: Date, span: number, limit: number): number | undefined {
  const counted = times.filter((ms) => ms > now.getTime() - span).sort((a, b) => a - b);
  if (counted.length < limit) return undefined;
  const leaving = counted[counted.length - limit];
  return leaving === undefined ? undefined : leaving + span;
}
