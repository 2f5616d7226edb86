import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * Secrets are read through Powertools Parameters with a TTL (LEADFLOW_SECRETS_MAX_AGE_SECONDS), not
 * once per cold start: a value an operator puts reaches warm containers after the TTL. Secrets
 * Manager is mocked (no network).
 */
const SIGNING_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:leadflow-prod/signing-AbCdEf';
const WEBHOOK_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:leadflow-prod/webhooks-AbCdEf';
const OLD = 'old-signing-key-in-the-secret-0001';
const NEW = 'new-signing-key-in-the-secret-0002';
const SAVED = { ...process.env };
const secrets = mockClient(SecretsManagerClient);

let signingSecrets: typeof import('../../functions/shared/signing-secrets').signingSecrets;
let webhookSecrets: typeof import('../../functions/shared/webhook-secrets').webhookSecrets;

function secretHolds(arn: string, value: Record<string, string>) {
  secrets.on(GetSecretValueCommand, { SecretId: arn }).resolves({ SecretString: JSON.stringify(value) });
}
const reads = (arn: string) =>
  secrets.commandCalls(GetSecretValueCommand).filter((call) => call.args[0].input.SecretId === arn).length;

beforeAll(async () => {
  Object.assign(process.env, {
    LEADFLOW_SIGNING_SECRETS_ARN: SIGNING_ARN,
    LEADFLOW_WEBHOOK_SECRETS_ARN: WEBHOOK_ARN,
    LEADFLOW_SECRETS_MAX_AGE_SECONDS: '60',
    AWS_REGION: 'eu-west-1',
  });
  vi.resetModules();
  ({ signingSecrets } = await import('../../functions/shared/signing-secrets'));
  ({ webhookSecrets } = await import('../../functions/shared/webhook-secrets'));
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(() => {
  secrets.restore();
  process.env = SAVED;
});

describe('secrets read with a TTL', () => {
  it('keeps the signing key ring for the TTL, then reads the rolled secret (current + previous)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-01T10:00:00Z') });
    secretHolds(SIGNING_ARN, { UNSUBSCRIBE_KEY: OLD });
    expect((await signingSecrets()).unsubscribeKeys).toEqual([OLD]);

    secretHolds(SIGNING_ARN, { UNSUBSCRIBE_KEY: NEW, UNSUBSCRIBE_KEY_PREVIOUS: OLD });
    vi.setSystemTime(new Date('2026-03-01T10:00:59Z'));
    expect((await signingSecrets()).unsubscribeKeys).toEqual([OLD]);
    expect(reads(SIGNING_ARN)).toBe(1);

    vi.setSystemTime(new Date('2026-03-01T10:01:01Z'));
    expect((await signingSecrets()).unsubscribeKeys).toEqual([NEW, OLD]);
    expect(reads(SIGNING_ARN)).toBe(2);
  });

  it('puts a staged next key after the current one and before the previous one', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-02T10:00:00Z') });
    const next = 'next-signing-key-staged-for-roll-03';
    secretHolds(SIGNING_ARN, {
      UNSUBSCRIBE_KEY: NEW,
      UNSUBSCRIBE_KEY_NEXT: next,
      UNSUBSCRIBE_KEY_PREVIOUS: OLD,
    });
    expect((await signingSecrets()).unsubscribeKeys).toEqual([NEW, next, OLD]);
  });

  it('does not keep a failed read: the next call reads again', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-03T10:00:00Z') });
    secrets.on(GetSecretValueCommand, { SecretId: SIGNING_ARN }).rejectsOnce(new Error('throttled'));
    await expect(signingSecrets()).rejects.toThrow();
    secretHolds(SIGNING_ARN, { UNSUBSCRIBE_KEY: NEW });
    expect((await signingSecrets()).unsubscribeKeys).toEqual([NEW]);
  });

  it('refuses a short previous key by name, without showing it', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-04T10:00:00Z') });
    secretHolds(SIGNING_ARN, { UNSUBSCRIBE_KEY: NEW, UNSUBSCRIBE_KEY_PREVIOUS: 'short-key' });
    const failure = await signingSecrets().catch((error: Error) => error);
    expect(String(failure)).toMatch(/UNSUBSCRIBE_KEY_PREVIOUS is shorter than 16 characters/);
    expect(String(failure)).not.toContain('short-key');
  });

  it('reads webhook secrets again after the TTL: a secret filled by an operator needs no deploy', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-05T10:00:00Z') });
    secretHolds(WEBHOOK_ARN, {});
    expect((await webhookSecrets()).googleKey).toBeUndefined();
    secretHolds(WEBHOOK_ARN, { GOOGLE_ADS_WEBHOOK_KEY: 'google-key-filled-later' });
    expect((await webhookSecrets()).googleKey).toBeUndefined();
    vi.setSystemTime(new Date('2026-03-05T10:01:01Z'));
    expect((await webhookSecrets()).googleKey).toBe('google-key-filled-later');
  });
});
