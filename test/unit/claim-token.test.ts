import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  signConfirmationToken,
  verifyConfirmationToken,
} from '../../functions/core/consent/confirmation-token';
import { signUnsubscribeToken, verifyUnsubscribeToken } from '../../functions/core/consent/unsubscribe-token';
import { newClaimId, signClaimToken, verifyClaimToken } from '../../functions/core/handoff/claim-token';
import { leadIdFor } from '../../functions/core/kernel/email';

const KEY = 'signing-key-for-claim-token-unit-tests';
const leadId = leadIdFor('vera@initech.de');
const ref = { leadId, handoff: 1, claimId: newClaimId() };
const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);

describe('sales claim tokens', () => {
  it('name the claim (lead, hand-off, claim id) in 48 characters or fewer, safe in a URL path', () => {
    const token = signClaimToken(ref, KEY);
    expect(token).toMatch(/^c_[A-Za-z0-9_-]{16}\.1\.[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]{16}$/);
    expect(token).toHaveLength(46);
    expect(signClaimToken({ ...ref, handoff: 999 }, KEY).length).toBeLessThanOrEqual(48);
    expect(verifyClaimToken(token, KEY)).toEqual(ref);
    expect(verifyClaimToken(signClaimToken({ ...ref, handoff: 42 }, KEY), KEY)).toEqual({
      ...ref,
      handoff: 42,
    });
  });

  it('refuse another key, any changed character, truncation and extra parts', () => {
    const token = signClaimToken(ref, KEY);
    expect(verifyClaimToken(token, 'another-key-of-sixteen-or-more')).toBeUndefined();
    for (let i = 0; i < token.length; i += 1) {
      if (token[i] === '.' || i < 2) continue;
      expect(verifyClaimToken(flip(token, i), KEY), `character ${i}`).toBeUndefined();
    }
    expect(verifyClaimToken(token.slice(0, -1), KEY)).toBeUndefined();
    expect(verifyClaimToken(`${token}.x`, KEY)).toBeUndefined();
    expect(verifyClaimToken(`${token}A`, KEY)).toBeUndefined();
    // Another hand-off number under the same MAC.
    expect(verifyClaimToken(token.replace('.1.', '.2.'), KEY)).toBeUndefined();
  });

  it('are never an unsubscribe or confirmation token, nor the other way round (purpose-bound, same key)', () => {
    const now = new Date('2026-11-27T10:00:00.000Z');
    const claim = signClaimToken(ref, KEY);
    const unsubscribe = signUnsubscribeToken(leadId, KEY, now);
    const confirm = signConfirmationToken({ leadId, formId: 'newsletter-eu' }, KEY, now, 7);
    expect(verifyClaimToken(unsubscribe, KEY)).toBeUndefined();
    expect(verifyClaimToken(confirm, KEY)).toBeUndefined();
    expect(verifyUnsubscribeToken(claim, KEY)).toBeUndefined();
    expect(verifyConfirmationToken(claim, KEY, now)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuse the old unsigned JSON tokens and anything else, without throwing', () => {
    const legacy = (token: object) => Buffer.from(JSON.stringify(token)).toString('base64url');
    for (const token of [
      legacy({ l: leadId, n: 1, c: ref.claimId, r: 'AQEB...' }),
      legacy({ l: leadId, n: 1e308, c: 'x', r: 'y' }),
      legacy({ l: 'x'.repeat(2048), n: 1, c: 'x', r: 'y' }),
      'not-a-token!!',
      '',
      'c_....',
      `c_${'A'.repeat(16)}.1e308.${'A'.repeat(8)}.${'A'.repeat(16)}`,
      `c_${'A'.repeat(16)}.0.${'A'.repeat(8)}.${'A'.repeat(16)}`,
      'c_'.padEnd(2048, 'A'),
    ]) {
      expect(verifyClaimToken(token, KEY), token.slice(0, 40)).toBeUndefined();
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (token) => {
        expect(verifyClaimToken(token, KEY)).toBeUndefined();
      }),
    );
  });
});
