import { DateTime, IANAZone } from 'luxon';
import type { Interval } from './report';

/** Days in the account time zone (YYYY-MM-DD), through luxon, so they hold across daylight-saving changes. */
export function dayOf(at: string, timeZone: string): string {
  return DateTime.fromISO(at, { zone: 'utc' }).setZone(timeZone).toISODate() ?? at.slice(0, 10);
}

/** A report time zone must be an IANA name luxon knows (Europe/Berlin, UTC...). */
export function isTimeZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

const date = (day: string) => DateTime.fromISO(day, { zone: 'utc' });

/** The first day of the period (day, ISO week starting Monday, month) a day falls in. */
export function periodOf(day: string, interval: Interval): string {
  if (interval === 'day') return day;
  if (interval === 'month') return `${day.slice(0, 7)}-01`;
  return date(day).startOf('week').toISODate() ?? day;
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round(date(to).diff(date(from), 'days').days) + 1;
}

export function addDays(day: string, days: number): string {
  return date(day).plus({ days }).toISODate() ?? day;
}

/** Whole hours between two instants. */
export function hoursBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 3_600_000;
}

/** Every period start in [from, to], in order (a series has a point for each, zero or not). */
export function periodsIn(from: string, to: string, interval: Interval): string[] {
  const periods: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const period = periodOf(day, interval);
    if (periods.at(-1) !== period) periods.push(period);
  }
  return periods;
}
