import type { LocalStack } from '../functions/local/stack';
import { postJson } from './http';
import { fmt } from './stats';

/** One kind of request a piece of work makes: how many per unit of work, and its bare rate in this run. */
export interface RequestPart {
  count: number;
  perSecond: number;
}

/**
 * The most a request-bound piece of work could reach on this stack: each of its requests at the
 * bare rate measured in the same run, one after another, and nothing else. Inline (one process,
 * one event loop) those costs add up, and a handler's requests carry bigger items than the floor's,
 * so no handler beats it: a target above it is out of reach however lean the code. With the
 * emulators apart the costs partly overlap on two cores, so it is a guide, not a bound.
 */
export function ceilingPerSecond(parts: RequestPart[]): number {
  return 1 / parts.reduce((seconds, part) => seconds + part.count / part.perSecond, 0);
}

/**
 * One pass through the local API that invokes no handler: a POST it answers 404. Every HTTP
 * route pays it (parse, route, answer); the handler's own work comes on top.
 */
export async function apiHop(stack: LocalStack, i: number): Promise<void> {
  const status = await postJson(
    `${stack.apiUrl}/v1/bench-no-such-route`,
    { email: 'hop@example.com', firstName: 'Bench', lastName: 'Mark', company: 'Acme' },
    { origin: 'http://localhost:3000' },
    i,
  );
  if (status !== 404) throw new Error(`the API hop answered ${status}`);
}

/** The most these requests allow (bench/ceiling.ts), as the target's ratio, and how near the handler gets. */
export function printCeiling(
  hopPerSecond: number,
  ceiling: number,
  ceilingRatio: number,
  reached: number,
  requests: number,
) {
  console.log(
    `API hop floor          ${fmt(hopPerSecond)} /s       (a POST the local API answers 404, no handler)`,
  );
  console.log(
    `Ceiling                ${fmt(ceiling)} /s = ${fmt(ceilingRatio, 2)} x the target's baseline: ${fmt(requests, 2)} requests at the floor's rate + one API hop, nothing else; reached ${fmt(reached, 2)} of it`,
  );
}
