import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/**
 * ulid's random source, from node:crypto: left to itself ulid picks `globalThis.crypto`, whose
 * first read loads Node's Web Crypto modules at cold start. Bytes come 256 at a time.
 */
const pool = new Uint8Array(256);
let next = pool.length;
function randomFraction(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return (pool[next++] ?? 0) / 256;
}

const ulid = monotonicFactory(randomFraction);

/** Time-ordered ids (ULID) with a type prefix, e.g. act_01J...: sort keys sort by time. */
export function newId(prefix: string, at: Date = new Date()): string {
  return `${prefix}_${ulid(at.getTime())}`;
}
