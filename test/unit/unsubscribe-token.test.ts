import { describe, expect, it } from 'vitest';
import { signUnsubscribeToken, verifyUnsubscribeToken } from '../../functions/core/consent/unsubscribe-token';
import { leadIdFor } from '../../functions/core/kernel/email';

const KEY = 'unsubscribe-key-for-unit-tests-0123456789';
const leadId = leadIdFor('ada@example.com');
const issued = new Date('2026-01-15T09:30:00.000Z');

describe('unsubscribe tokens', () => {
  it('carry the lead id and issue time, and verify with the key they were signed with', () => {
    const token = signUnsubscribeToken(leadId, KEY, issued);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token).not.toContain(leadId); // opaque in the URL
    expect(verifyUnsubscribeToken(token, KEY)).toEqual({ leadId, issuedAt: issued });
  });

  it('never expire: a link from years ago still unsubscribes (CAN-SPAM: 30+ days)', () => {
    const old = signUnsubscribeToken(leadId, KEY, new Date('2019-01-01T00:00:00Z'));
    expect(verifyUnsubscribeToken(old, KEY)?.leadId).toBe(leadId);
  });

  it('refuse a token signed with another key', () => {
    expect(
      verifyUnsubscribeToken(signUnsubscribeToken(leadId, 'another-key-0123456789abcdef', issued), KEY),
    ).toBe(undefined);
  });

  it('refuse a tampered payload or signature, even a flip in the last character', () => {
    const token = signUnsubscribeToken(leadId, KEY, issued);
    const [payload, signature] = token.split('.') as [string, string];
    const otherLead = Buffer.from(`1.${leadIdFor('eve@example.com')}.1768469400`).toString('base64url');
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    for (const bad of [
      `${otherLead}.${signature}`,
      `${flip(payload, 3)}.${signature}`,
      `${payload}.${flip(signature, signature.length - 1)}`,
      `${payload}.${signature}.extra`,
      `${payload}.${signature}=`,
    ]) {
      expect(verifyUnsubscribeToken(bad, KEY)).toBe(undefined);
    }
  });

  it('refuse truncated and empty tokens', () => {
    const token = signUnsubscribeToken(leadId, KEY, issued);
    for (const bad of [
      token.slice(0, -1),
      token.slice(0, token.indexOf('.')),
      token.slice(0, 10),
      '',
      '.',
      'x'.repeat(500),
    ]) {
      expect(verifyUnsubscribeToken(bad, KEY)).toBe(undefined);
    }
  });

  it('refuse a well-signed payload that is not a lead id (no signing of arbitrary text)', () => {
    expect(() => signUnsubscribeToken('not-a-lead', KEY, issued)).toThrow();
  });
});
