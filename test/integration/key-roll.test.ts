import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUnsubscribeToken, verifyUnsubscribeToken } from '../../functions/core/consent/unsubscribe-token';
import type { LocalStack } from '../../functions/local/stack';
import { api, type Json, startTestStack, waitFor } from '../fixtures/local-api';
import { headerOf, mailTo } from '../fixtures/nurture';

/**
 * A planned signing-key roll on the local stack (docs/operations-key-roll.md): the unsubscribe
 * link in a welcome email sent before the roll still unsubscribes through the real route after
 * it; a link signed with a key outside the ring does not; once the old key leaves the ring, its
 * links stop working. Locally the ring is LEADFLOW_UNSUBSCRIBE_KEY (+ _PREVIOUS), read per call.
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

beforeAll(async () => {
  for (const name of VARS) delete process.env[name];
  process.env.LEADFLOW_UNSUBSCRIBE_KEY = OLD;
  stack = await startTestStack({ tickSeconds: 1 });
});

afterAll(async () => {
  await stack?.stop();
  for (const name of VARS) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

/** Signs `email` up for the newsletter and returns the token of the welcome email's unsubscribe link. */
async function signUpAndReadLink(email: string): Promise<{ leadId: string; token: string }> {
  const answer = await api(stack).submit('newsletter', { email, firstName: 'Ada', consent: true });
  expect(answer.status).toBe(202);
  const mail = await waitFor(
    `the welcome email to ${email}`,
    async () => (await mailTo(stack.endpoints.ses, email))[0],
    20_000,
  );
  const header = headerOf(mail, 'List-Unsubscribe') ?? '';
  const token = /\/v1\/unsubscribe\?t=([^>\s,]+)/.exec(header)?.[1];
  if (!token) throw new Error('no unsubscribe link in the List-Unsubscribe header');
  return { leadId: answer.json.leadId, token: decodeURIComponent(token) };
}

async function unsubscribe(token: string): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${stack.apiUrl}/v1/unsubscribe?t=${encodeURIComponent(token)}`, {
    method: 'POST',
    headers: { accept: 'application/json' },
  });
  return { status: res.status, json: await res.json() };
}

describe('signing key roll on the local stack', () => {
  let before: { leadId: string; token: string };
  let after: { leadId: string; token: string };

  it('signs with the current key before the roll', async () => {
    before = await signUpAndReadLink('roll.before@example.com');
    expect(verifyUnsubscribeToken(before.token, OLD)?.leadId).toBe(before.leadId);
  });

  it('after the roll, signs new links with the new key only', async () => {
    process.env.LEADFLOW_UNSUBSCRIBE_KEY = NEW;
    process.env.LEADFLOW_UNSUBSCRIBE_KEY_PREVIOUS = OLD;
    after = await signUpAndReadLink('roll.after@example.com');
    expect(verifyUnsubscribeToken(after.token, NEW)?.leadId).toBe(after.leadId);
    expect(verifyUnsubscribeToken(after.token, OLD)).toBeUndefined();
  });

  it('still unsubscribes through the link sent before the roll', async () => {
    expect(await unsubscribe(before.token)).toEqual({ status: 200, json: { status: 'unsubscribed' } });
  });

  it('refuses a link signed with a key that is not in the ring', async () => {
    const forged = signUnsubscribeToken(after.leadId, STRANGER, new Date());
    const answer = await unsubscribe(forged);
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('invalid_unsubscribe_token');
  });

  it('stops taking the old links once the previous key leaves the ring, and keeps the new ones', async () => {
    delete process.env.LEADFLOW_UNSUBSCRIBE_KEY_PREVIOUS;
    const old = await unsubscribe(before.token);
    expect(old.status).toBe(400);
    expect(old.json.error.code).toBe('invalid_unsubscribe_token');
    expect(await unsubscribe(after.token)).toEqual({ status: 200, json: { status: 'unsubscribed' } });
  });
});
