import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyConfirmationToken } from '../../functions/core/consent/confirmation-token';
import { verifyUnsubscribeToken } from '../../functions/core/consent/unsubscribe-token';
import { macOf, openText, sameMac, signText } from '../../functions/core/kernel/signed-token';

const KEY = 'signing-key-for-the-signed-token-tests';
const LEAD = 'ld_0123456789abcdef01234567';
const b64 = (text: string) => Buffer.from(text).toString('base64url');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();

describe('signed tokens (one codec for unsubscribe and confirmation links)', () => {
  it('still opens the links already sent: tokens built the way they were before the shared codec', () => {
    const unsubscribe = b64(`1.${LEAD}.1760000000`);
    const oldUnsubscribe = `${unsubscribe}.${hmac(KEY, unsubscribe).toString('base64url')}`;
    expect(verifyUnsubscribeToken(oldUnsubscribe, KEY)).toEqual({
      leadId: LEAD,
      issuedAt: new Date(1_760_000_000_000),
    });

    const confirm = b64(`confirm1.${LEAD}.newsletter-eu.1760000000.1760604800`);
    const purposeKey = hmac(KEY, 'leadflow/confirm-subscription');
    const oldConfirm = `${confirm}.${hmac(purposeKey, confirm).toString('base64url')}`;
    const check = verifyConfirmationToken(oldConfirm, KEY, new Date(1_760_000_100_000));
    expect(check).toMatchObject({ ok: true, claim: { leadId: LEAD, formId: 'newsletter-eu' } });
  });

  it('opens only what it signed, for the same label, within the length limit', () => {
    const token = signText('hello.world', KEY, 'purpose-a');
    expect(openText(token, KEY, 100, 'purpose-a')).toBe('hello.world');
    expect(openText(token, KEY, 100, 'purpose-b')).toBeUndefined();
    expect(openText(token, KEY, 100)).toBeUndefined();
    expect(openText(token, 'another-key', 100, 'purpose-a')).toBeUndefined();
    expect(openText(token, KEY, token.length - 1, 'purpose-a')).toBeUndefined();
    expect(openText(`${token}.x`, KEY, 100, 'purpose-a')).toBeUndefined();
    expect(openText(`${token.slice(0, -1)}A`, KEY, 100, 'purpose-a')).toBeUndefined();
  });

  it('compares MACs as text of equal length only, and truncates to the bytes asked for', () => {
    const mac = macOf('text', KEY, 'label', 12);
    expect(mac).toHaveLength(16);
    expect(sameMac(mac, macOf('text', KEY, 'label', 12))).toBe(true);
    expect(sameMac(mac, mac.slice(0, 15))).toBe(false);
    expect(sameMac(mac, macOf('text', KEY, 'other', 12))).toBe(false);
  });
});
