import { describe, expect, it } from 'vitest';
import {
  signConfirmationToken,
  verifyConfirmationToken,
} from '../../functions/core/consent/confirmation-token';
import { signUnsubscribeToken, verifyUnsubscribeToken } from '../../functions/core/consent/unsubscribe-token';
import { leadIdFor } from '../../functions/core/kernel/email';

const KEY = 'signing-key-for-confirmation-unit-tests';
const leadId = leadIdFor('ada@example.com');
const issued = new Date('2026-01-15T09:30:00.000Z');
const subject = { leadId, formId: 'newsletter-eu' };
const days = (n: number) => new Date(issued.getTime() + n * 86_400_000);

describe('double opt-in confirmation tokens', () => {
  it('carry the lead, the form, the issue and expiry times, opaque in the URL', () => {
    const token = signConfirmationToken(subject, KEY, issued, 7);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token).not.toContain(leadId);
    expect(verifyConfirmationToken(token, KEY, days(1))).toEqual({
      ok: true,
      claim: { leadId, formId: 'newsletter-eu', issuedAt: issued, expiresAt: days(7) },
    });
  });

  it('expire after the given days: valid until the last second, refused from then on', () => {
    const token = signConfirmationToken(subject, KEY, issued, 7);
    expect(verifyConfirmationToken(token, KEY, new Date(days(7).getTime() - 1000)).ok).toBe(true);
    expect(verifyConfirmationToken(token, KEY, days(7))).toEqual({ ok: false, reason: 'expired' });
    expect(verifyConfirmationToken(token, KEY, days(400))).toEqual({ ok: false, reason: 'expired' });
    expect(verifyConfirmationToken(signConfirmationToken(subject, KEY, issued, 1), KEY, days(2))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuse another key, a tampered payload or signature, and truncated tokens as invalid (never expired)', () => {
    const token = signConfirmationToken(subject, KEY, issued, 7);
    const [payload, signature] = token.split('.') as [string, string];
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    // A longer life, signed by someone without the key.
    const forever = Buffer.from(`confirm1.${leadId}.newsletter-eu.1768469400.9999999999`).toString(
      'base64url',
    );
    for (const bad of [
      signConfirmationToken(subject, 'another-key-0123456789abcdef', issued, 7),
      `${forever}.${signature}`,
      `${flip(payload, 5)}.${signature}`,
      `${payload}.${flip(signature, signature.length - 1)}`,
      `${payload}.${signature}.extra`,
      token.slice(0, -1),
      payload,
      '',
      '.',
      'x'.repeat(400),
    ]) {
      expect(verifyConfirmationToken(bad, KEY, days(1)), bad).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('never pass for an unsubscribe token, nor an unsubscribe token for one of these (same key, other purpose)', () => {
    const unsubscribe = signUnsubscribeToken(leadId, KEY, issued);
    expect(verifyConfirmationToken(unsubscribe, KEY, days(1))).toEqual({ ok: false, reason: 'invalid' });
    const confirm = signConfirmationToken(subject, KEY, issued, 7);
    expect(verifyUnsubscribeToken(confirm, KEY)).toBe(undefined);
  });

  it('sign lead and form ids only, with a life of at least a day', () => {
    expect(() => signConfirmationToken({ leadId: 'nope', formId: 'newsletter' }, KEY, issued, 7)).toThrow();
    expect(() => signConfirmationToken({ leadId, formId: 'a.b' }, KEY, issued, 7)).toThrow();
    expect(() => signConfirmationToken(subject, KEY, issued, 0)).toThrow();
  });
});
