import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { api, startTestStack } from '../fixtures/local-api';

/**
 * Finding 9 of the security review: a known address answered measurably later than a new one
 * (read, merge and write against one conditional write), telling whether someone is a lead.
 * With the floor on, every answer of the form route takes at least the floor. Only the lower
 * bound is asserted: it holds by construction, whatever the machine's load.
 */
const FLOOR_MS = 400;
let stack: LocalStack;
let http: ReturnType<typeof api>;

beforeAll(async () => {
  process.env.LEADFLOW_CAPTURE_MIN_RESPONSE_MS = String(FLOOR_MS);
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack({ rateLimits: { perIpPerMinute: 1000, perEmailPerMinute: 100 } });
  http = api(stack);
}, 30_000);
afterAll(async () => stack?.stop());

async function timed(body: Record<string, unknown>) {
  const started = performance.now();
  const res = await http.submit('newsletter', body);
  return { status: res.status, ms: performance.now() - started };
}

describe('the form route answers known and new addresses alike', () => {
  it('holds a new address, a known one and a refusal to the same floor', async () => {
    const fresh = await timed({ email: 'first.time@initech.de', consent: true });
    const known = await timed({ email: 'first.time@initech.de', consent: true });
    const refused = await timed({ email: 'not-an-address' });
    expect([fresh.status, known.status, refused.status]).toEqual([202, 202, 400]);
    for (const answer of [fresh, known, refused]) expect(answer.ms).toBeGreaterThanOrEqual(FLOOR_MS - 5);
  });
});
