import { monotonicFactory } from 'ulid';

const ulid = monotonicFactory();

/** Time-ordered ids (ULID) with a type prefix, e.g. act_01J...: sort keys sort by time. */
export function newId(prefix: string, at: Date = new Date()): string {
  return `${prefix}_${ulid(at.getTime())}`;
}
