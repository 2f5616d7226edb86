import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTokenStore } from '../../functions/adapters/dynamodb/token-store';
import { signClaimToken, verifyClaimToken } from '../../functions/core/handoff/claim-token';
import type { LocalStack } from '../../functions/local/stack';
import { dynamo } from '../../functions/shared/aws/dynamodb';
import { api, hotDemoRequest, type Json, startTestStack } from '../fixtures/local-api';

/**
 * A signing-key roll (docs/operations-key-roll.md) keeps the claims reps hold: a claim token
 * signed before the roll still extends and resolves its claim after it, new claims are signed
 * with the new key only, and once the old key leaves the ring its tokens are no claim tokens.
 * Locally the ring is LEADFLOW_UNSUBSCRIBE_KEY (+ _PREVIOUS), read per call.
 */
const OLD = 'old-local-signing-key-before-the-roll';
const NEW = 'new-local-signing-key-after-the-roll!';
const STRANGER = 'a-key-this-stack-never-had-in-its-ring';
const VARS = [
  'LEADFLOW_UNSUBSCRIBE_KEY',
  'LEADFLOW_UNSUBSCRIBE_KEY_PREVIOUS',
  'LEADFLOW_UNSUBSCRIBE_KEY_NEXT',
];
const saved = Object.fromEntries(VARS.map((name) => [name, process.env[name]]));

let stack: LocalStack;
let http: ReturnType<typeof api>;
let rep: string;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  for (const name of VARS) delete process.env[name];
  process.env.LEADFLOW_UNSUBSCRIBE_KEY = OLD;
  stack = await startTestStack({
    tickSeconds: 1,
    rateLimits: { perIpPerMinute: 10_000, perEmailPerMinute: 100 },
  });
  http = api(stack);
  rep = await new DynamoTokenStore(dynamo, stack.tableName).create('sales', 'rep roll');
}, 30_000);

afterAll(async () => {
  await stack?.stop();
  for (const name of VARS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

async function claimHot(email: string): Promise<Json> {
  expect((await http.submit('demo-request', hotDemoRequest(email))).status).toBe(202);
  const card = await http.post('/v1/sales/claims', {}, rep);
  expect(card.status).toBe(200);
  return card.json;
}
const extend = (claimToken: string) =>
  http.post(`/v1/sales/claims/${encodeURIComponent(claimToken)}/extend`, {}, rep);

describe('claim tokens across a signing-key roll', () => {
  let before: Json;
  let after: Json;

  it('signs claims with the current key before the roll', async () => {
    before = await claimHot('claim.roll.before@initech.de');
    expect(verifyClaimToken(before.claimToken, OLD)?.leadId).toBe(before.leadId);
  });

  it('after the roll, keeps the claim held under the old key and signs new claims with the new key', async () => {
    process.env.LEADFLOW_UNSUBSCRIBE_KEY = NEW;
    process.env.LEADFLOW_UNSUBSCRIBE_KEY_PREVIOUS = OLD;
    expect((await extend(before.claimToken)).status).toBe(200);
    after = await claimHot('claim.roll.after@initech.de');
    expect(verifyClaimToken(after.claimToken, NEW)?.leadId).toBe(after.leadId);
    expect(verifyClaimToken(after.claimToken, OLD)).toBeUndefined();
  });

  it('refuses a claim token signed with a key outside the ring', async () => {
    const ref = verifyClaimToken(after.claimToken, NEW);
    if (!ref) throw new Error('the new claim token does not verify');
    const forged = await extend(signClaimToken(ref, STRANGER));
    expect(forged.status).toBe(400);
    expect(forged.json.error.code).toBe('invalid_claim_token');
  });

  it('stops taking the old tokens once the previous key leaves the ring, and keeps the new ones', async () => {
    delete process.env.LEADFLOW_UNSUBSCRIBE_KEY_PREVIOUS;
    const old = await http.post(
      `/v1/sales/leads/${before.leadId}/outcome`,
      { claimToken: before.claimToken, outcome: 'qualified' },
      rep,
    );
    expect(old.status).toBe(400);
    expect(old.json.error.code).toBe('invalid_claim_token');
    const done = await http.post(
      `/v1/sales/leads/${after.leadId}/outcome`,
      { claimToken: after.claimToken, outcome: 'qualified' },
      rep,
    );
    expect(done.status).toBe(200);
  });
});
