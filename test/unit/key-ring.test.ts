import { describe, expect, it } from 'vitest';
import {
  signConfirmationToken,
  verifyConfirmationToken,
} from '../../functions/core/consent/confirmation-token';
import { signUnsubscribeToken, verifyUnsubscribeToken } from '../../functions/core/consent/unsubscribe-token';
import { signClaimToken, verifyClaimToken } from '../../functions/core/handoff/claim-token';
import type { KeyRing } from '../../functions/core/kernel/signed-token';

const OLD = 'old-signing-key-before-the-roll-0001';
const NEW = 'new-signing-key-after-the-roll-00002';
const STRANGER = 'a-key-that-was-never-in-the-ring-03';
const LEAD = 'ld_0123456789abcdef01234567';
const NOW = new Date('2026-03-01T10:00:00Z');
/** After the roll: the new key is current, the old one is kept to verify what it signed. */
const ROLLED: KeyRing = [NEW, OLD];
const claim = { leadId: LEAD, handoff: 1, claimId: 'AbCdEf12' };

describe('signing key ring (planned key roll)', () => {
  it('still verifies unsubscribe, confirmation and claim tokens signed with the old key after the roll', () => {
    const unsubscribe = signUnsubscribeToken(LEAD, OLD, NOW);
    const confirmation = signConfirmationToken({ leadId: LEAD, formId: 'newsletter' }, OLD, NOW, 7);
    const claimToken = signClaimToken(claim, OLD);

    expect(verifyUnsubscribeToken(unsubscribe, ROLLED)).toEqual({ leadId: LEAD, issuedAt: NOW });
    expect(verifyConfirmationToken(confirmation, ROLLED, NOW)).toMatchObject({
      ok: true,
      claim: { leadId: LEAD, formId: 'newsletter' },
    });
    expect(verifyClaimToken(claimToken, ROLLED)).toEqual(claim);
  });

  it('signs with the current key only: a new token does not verify with the old key alone', () => {
    const unsubscribe = signUnsubscribeToken(LEAD, ROLLED, NOW);
    expect(unsubscribe).toBe(signUnsubscribeToken(LEAD, NEW, NOW));
    expect(verifyUnsubscribeToken(unsubscribe, OLD)).toBeUndefined();
    expect(verifyUnsubscribeToken(unsubscribe, ROLLED)?.leadId).toBe(LEAD);

    const confirmation = signConfirmationToken({ leadId: LEAD, formId: 'newsletter' }, ROLLED, NOW, 7);
    expect(verifyConfirmationToken(confirmation, OLD, NOW)).toEqual({ ok: false, reason: 'invalid' });
    expect(signClaimToken(claim, ROLLED)).toBe(signClaimToken(claim, NEW));
    expect(verifyClaimToken(signClaimToken(claim, ROLLED), OLD)).toBeUndefined();
  });

  it('refuses tokens signed with a key that is not in the ring', () => {
    expect(verifyUnsubscribeToken(signUnsubscribeToken(LEAD, STRANGER, NOW), ROLLED)).toBeUndefined();
    expect(
      verifyConfirmationToken(
        signConfirmationToken({ leadId: LEAD, formId: 'newsletter' }, STRANGER, NOW, 7),
        ROLLED,
        NOW,
      ),
    ).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyClaimToken(signClaimToken(claim, STRANGER), ROLLED)).toBeUndefined();
  });

  it('stops verifying the old key once it leaves the ring', () => {
    const unsubscribe = signUnsubscribeToken(LEAD, OLD, NOW);
    expect(verifyUnsubscribeToken(unsubscribe, [NEW])).toBeUndefined();
    expect(verifyClaimToken(signClaimToken(claim, OLD), [NEW])).toBeUndefined();
  });

  it('keeps purposes apart across keys: an unsubscribe token signed with the old key is no confirmation', () => {
    const unsubscribe = signUnsubscribeToken(LEAD, OLD, NOW);
    expect(verifyConfirmationToken(unsubscribe, ROLLED, NOW)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyClaimToken(unsubscribe, ROLLED)).toBeUndefined();
  });
});
