import { describe, expect, it } from 'vitest';
import {
  queueUrl,
  readAuthConfig,
  readCaptureConfig,
  readClientIpConfig,
  readHandoffConfig,
  readPlatformConfig,
  readPublicUrl,
  readSecretsConfig,
  readSendingConfig,
  readStoreConfig,
} from '../../functions/shared/config';
import { CONFIG_DEFAULTS } from '../../functions/shared/env-names';

describe('config from the environment', () => {
  it('fails with the name of a missing required variable', () => {
    expect(() => readStoreConfig({})).toThrow(/LEADFLOW_TABLE_NAME is required/);
    expect(() => readSendingConfig({ LEADFLOW_SES_CONFIGURATION_SET: '  ' })).toThrow(
      /LEADFLOW_SES_CONFIGURATION_SET is required/,
    );
    expect(() => queueUrl('hot-leads', {})).toThrow(/LEADFLOW_QUEUE_HOT_LEADS is required/);
  });

  it('applies the shared defaults when a variable is unset or blank', () => {
    expect(readStoreConfig({ LEADFLOW_TABLE_NAME: 't', LEADFLOW_CONFIG_CACHE_SECONDS: '' })).toEqual({
      tableName: 't',
      configCacheMs: CONFIG_DEFAULTS.configCacheSeconds * 1000,
    });
    expect(readCaptureConfig({})).toEqual({
      limits: { perIpPerMinute: 30, perEmailPerMinute: 5, confirmationsPerIpPerHour: 10 },
      minimumResponseMs: 150,
    });
    expect(readHandoffConfig({})).toEqual({ claimWindowSeconds: 1800, resendAfterSeconds: 60 });
    expect(readPlatformConfig({}).linkedinApiVersion).toBe(CONFIG_DEFAULTS.linkedinApiVersion);
  });

  it('reads set values as numbers and URLs without a trailing slash', () => {
    expect(readCaptureConfig({ LEADFLOW_CAPTURE_MIN_RESPONSE_MS: '0' }).minimumResponseMs).toBe(0);
    expect(readHandoffConfig({ LEADFLOW_CLAIM_WINDOW_SECONDS: ' 90 ' }).claimWindowSeconds).toBe(90);
    expect(readSecretsConfig({ LEADFLOW_UNSUBSCRIBE_KEY: ' key with spaces ' }).unsubscribeKey).toBe(
      ' key with spaces ',
    );
    expect(readPublicUrl({ LEADFLOW_PUBLIC_URL: 'https://go.example.com//' })).toBe('https://go.example.com');
  });

  it.each([
    ['LEADFLOW_RATE_LIMIT_PER_IP_PER_MIN', '0'],
    ['LEADFLOW_RATE_LIMIT_PER_IP_PER_MIN', '-3'],
    ['LEADFLOW_RATE_LIMIT_PER_EMAIL_PER_MIN', '2.5'],
    ['LEADFLOW_CONFIRMATIONS_PER_IP_PER_HOUR', 'ten'],
    ['LEADFLOW_CAPTURE_MIN_RESPONSE_MS', '-1'],
  ])('refuses %s=%s, naming the variable and the value', (name, value) => {
    expect(() => readCaptureConfig({ [name]: value })).toThrow(`${name} must be`);
    expect(() => readCaptureConfig({ [name]: value })).toThrow(`got "${value}"`);
  });

  it('names every bad variable at once', () => {
    expect(() => readStoreConfig({ LEADFLOW_CONFIG_CACHE_SECONDS: '1e3' })).toThrow(
      /LEADFLOW_TABLE_NAME is required; LEADFLOW_CONFIG_CACHE_SECONDS must be a positive integer/,
    );
  });
});

describe('cold start', () => {
  it("fails send-email's wiring without the SES configuration set, naming it (bounces would never reach suppression)", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      LEADFLOW_TABLE_NAME: 'leadflow-test',
      LEADFLOW_PUBLIC_URL: 'https://leadflow.example',
    });
    delete process.env.LEADFLOW_SES_CONFIGURATION_SET;
    try {
      const { sendDeps } = await import('../../functions/shared/wiring/nurture');
      expect(() => sendDeps()).toThrow('LEADFLOW_SES_CONFIGURATION_SET is required');
    } finally {
      process.env = saved;
    }
  });

  it('sends confirmations with the transactional configuration set when one is given', () => {
    const set = { LEADFLOW_SES_CONFIGURATION_SET: 'marketing' };
    expect(readSendingConfig(set).transactionalConfigurationSet).toBe('marketing');
    expect(
      readSendingConfig({ ...set, LEADFLOW_SES_TRANSACTIONAL_CONFIGURATION_SET: 'transactional' }),
    ).toEqual({ configurationSet: 'marketing', transactionalConfigurationSet: 'transactional' });
  });

  it('reads the client address header only when it is a header name', () => {
    expect(readClientIpConfig({}).header).toBeUndefined();
    expect(readClientIpConfig({ LEADFLOW_CLIENT_IP_HEADER: 'cloudfront-viewer-address' }).header).toBe(
      'cloudfront-viewer-address',
    );
    expect(() => readClientIpConfig({ LEADFLOW_CLIENT_IP_HEADER: 'X Bad' })).toThrow(
      /LEADFLOW_CLIENT_IP_HEADER must be a lower-case header name/,
    );
  });

  it('accepts signed-in people from a user pool, an OpenID issuer, or nobody, and names what half a setting lacks', () => {
    expect(readAuthConfig({})).toEqual({ kind: 'none' });
    expect(
      readAuthConfig({ LEADFLOW_USER_POOL_ID: 'eu-west-1_abc', LEADFLOW_USER_POOL_CLIENT_ID: 'c1' }),
    ).toEqual({
      kind: 'cognito',
      userPoolId: 'eu-west-1_abc',
      clientId: 'c1',
    });
    expect(
      readAuthConfig({
        LEADFLOW_AUTH_ISSUER: 'http://127.0.0.1:3001/',
        LEADFLOW_AUTH_JWKS_URI: 'http://127.0.0.1:3001/jwks',
        LEADFLOW_AUTH_CLIENT_ID: 'leadflow-console',
      }),
    ).toEqual({
      kind: 'oidc',
      issuer: 'http://127.0.0.1:3001',
      jwksUri: 'http://127.0.0.1:3001/jwks',
      clientId: 'leadflow-console',
    });
    expect(() => readAuthConfig({ LEADFLOW_USER_POOL_ID: 'eu-west-1_abc' })).toThrow(
      /LEADFLOW_USER_POOL_CLIENT_ID is required/,
    );
    expect(() => readAuthConfig({ LEADFLOW_AUTH_ISSUER: 'http://127.0.0.1:3001' })).toThrow(
      /LEADFLOW_AUTH_JWKS_URI is required; LEADFLOW_AUTH_CLIENT_ID is required/,
    );
  });
});
