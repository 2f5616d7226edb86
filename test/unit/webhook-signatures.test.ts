import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '../../functions/core/kernel/errors';
import type { LeadState } from '../../functions/core/leads/lead';
import { googleAdLead } from '../../functions/core/webhooks/google';
import {
  eraseLinkedinData,
  linkedinAdLead,
  linkedinChallenge,
  linkedinNotification,
  verifyLinkedinSignature,
} from '../../functions/core/webhooks/linkedin';
import { verifyMetaSignature } from '../../functions/core/webhooks/meta';
import { checkTiktokSignature, tiktokAdLead } from '../../functions/core/webhooks/tiktok';
import { linkedinForm, linkedinFormResponse } from '../fixtures/fake-linkedin';
import { FakeLeads, FakeModels } from '../fixtures/fakes';

/** Every webhook signature scheme over the raw bytes: keys, lengths, case, prefixes, re-serialization, replay. */

const SECRET = 'app-secret-for-unit-tests';
const hmac = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest('hex');
const body = JSON.stringify({ object: 'page', entry: [{ id: '1', changes: [] }], note: 'Grüße' });
const raw = Buffer.from(body, 'utf8');
const reserialized = Buffer.from(JSON.stringify(JSON.parse(body), null, 2), 'utf8');

describe('Meta X-Hub-Signature-256', () => {
  const good = `sha256=${hmac(SECRET, body)}`;
  it('accepts the right key, in lower- or upper-case hex', () => {
    expect(verifyMetaSignature(raw, good, SECRET)).toBe(true);
    expect(verifyMetaSignature(raw, `sha256=${hmac(SECRET, body).toUpperCase()}`, SECRET)).toBe(true);
  });
  it('refuses a wrong key, a truncated or padded signature, a missing prefix and no header', () => {
    expect(verifyMetaSignature(raw, `sha256=${hmac('wrong', body)}`, SECRET)).toBe(false);
    expect(verifyMetaSignature(raw, good.slice(0, -2), SECRET)).toBe(false);
    expect(verifyMetaSignature(raw, `${good}00`, SECRET)).toBe(false);
    expect(verifyMetaSignature(raw, hmac(SECRET, body), SECRET)).toBe(false);
    expect(verifyMetaSignature(raw, undefined, SECRET)).toBe(false);
    expect(verifyMetaSignature(raw, '', SECRET)).toBe(false);
  });
  it('refuses the same JSON re-serialized', () => {
    expect(verifyMetaSignature(reserialized, good, SECRET)).toBe(false);
  });
});

describe('Google Ads google_key', () => {
  const lead = (key: unknown) => ({ lead_id: 'g-1', google_key: key, user_column_data: [] });
  it('accepts the configured key only', () => {
    expect(googleAdLead(lead('the-key'), 'the-key', 'dlv').providerLeadId).toBe('g-1');
    for (const key of ['wrong', 'THE-KEY', 'the-ke', 'the-key ', undefined, 42]) {
      expect(() => googleAdLead(lead(key), 'the-key', 'dlv')).toThrow(ForbiddenError);
    }
  });
});

describe('LinkedIn X-LI-Signature and challenge', () => {
  const hex = hmac(SECRET, body);
  const prefixedMessage = hmac(SECRET, `hmacsha256=${body}`);

  it('matches a published HMAC-SHA256 test vector', () => {
    const fox = Buffer.from('The quick brown fox jumps over the lazy dog');
    const digest = 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8';
    expect(verifyLinkedinSignature(fox, digest, 'key')).toBe(true);
    expect(verifyLinkedinSignature(fox, `hmacsha256=${digest}`, 'key')).toBe(true);
  });

  it('accepts the right key as bare hex, with the hmacsha256= prefix, and over the prefixed body', () => {
    expect(verifyLinkedinSignature(raw, hex, SECRET)).toBe(true);
    expect(verifyLinkedinSignature(raw, `hmacsha256=${hex}`, SECRET)).toBe(true);
    expect(verifyLinkedinSignature(raw, prefixedMessage, SECRET)).toBe(true);
    expect(verifyLinkedinSignature(raw, `hmacsha256=${prefixedMessage}`, SECRET)).toBe(true);
  });

  it('accepts upper- and lower-case hex and prefix', () => {
    expect(verifyLinkedinSignature(raw, hex.toUpperCase(), SECRET)).toBe(true);
    expect(verifyLinkedinSignature(raw, `HMACSHA256=${hex.toUpperCase()}`, SECRET)).toBe(true);
    expect(verifyLinkedinSignature(raw, ` ${hex} `, SECRET)).toBe(true);
  });

  it('refuses a wrong key, truncated or padded digests, other prefixes and no header', () => {
    expect(verifyLinkedinSignature(raw, hmac('wrong', body), SECRET)).toBe(false);
    expect(verifyLinkedinSignature(raw, `hmacsha256=${hmac('wrong', body)}`, SECRET)).toBe(false);
    expect(verifyLinkedinSignature(raw, hex.slice(0, 63), SECRET)).toBe(false);
    expect(verifyLinkedinSignature(raw, hex.slice(0, 32), SECRET)).toBe(false);
    expect(verifyLinkedinSignature(raw, `${hex}0`, SECRET)).toBe(false);
    expect(verifyLinkedinSignature(raw, `sha256=${hex}`, SECRET)).toBe(false);
    expect(verifyLinkedinSignature(raw, `hmacsha256=hmacsha256=${hex}`, SECRET)).toBe(false);
    expect(verifyLinkedinSignature(raw, `hmacsha256:${hex}`, SECRET)).toBe(false);
    expect(verifyLinkedinSignature(raw, undefined, SECRET)).toBe(false);
    expect(verifyLinkedinSignature(raw, '', SECRET)).toBe(false);
  });

  it('refuses the same JSON re-serialized, or a body with the prefix folded in', () => {
    expect(verifyLinkedinSignature(reserialized, hex, SECRET)).toBe(false);
    expect(verifyLinkedinSignature(reserialized, prefixedMessage, SECRET)).toBe(false);
    expect(verifyLinkedinSignature(Buffer.from(`hmacsha256=${body}`), hex, SECRET)).toBe(false);
  });

  it('answers the challenge with the hex HMAC of the code under the client secret', () => {
    const challengeCode = '890e4665-4dfe-4ab1-b689-ed553bceeed0';
    expect(linkedinChallenge({ challengeCode }, SECRET)).toEqual({
      challengeCode,
      challengeResponse: hmac(SECRET, challengeCode),
    });
    for (const query of [
      {},
      { challengeCode: '' },
      { challengeCode: 'has space' },
      { challengeCode: 'x'.repeat(300) },
      { challengeCode: '{"type":"LEAD_ACTION","leadAction":"DELETED"}' },
      { challengeCode: 'hmacsha256=890e4665-4dfe-4ab1-b689-ed553bceeed0' },
      { challengeCode: '890e4665-4dfe-4ab1-b689-ed553bceeed0x' },
    ]) {
      expect(() => linkedinChallenge(query, SECRET)).toThrow(ValidationError);
    }
  });
});

describe('TikTok-Signature and its 5-minute replay window', () => {
  const NOW = 1764230400; // fixed: 2025-11-27T08:00:00Z
  const sign = (t: number | string, payload = body, secret = SECRET) =>
    `t=${t},s=${hmac(secret, `${t}.${payload}`)}`;

  it('accepts the right key with a current timestamp, in either hex case and field order', () => {
    expect(checkTiktokSignature(raw, sign(NOW), SECRET, NOW)).toBe('valid');
    expect(
      checkTiktokSignature(raw, sign(NOW).toUpperCase().replace('T=', 't=').replace('S=', 's='), SECRET, NOW),
    ).toBe('valid');
    const [t, s] = sign(NOW).split(',');
    expect(checkTiktokSignature(raw, `${s}, ${t}`, SECRET, NOW)).toBe('valid');
  });

  it('keeps the window at exactly 5 minutes either way', () => {
    expect(checkTiktokSignature(raw, sign(NOW - 300), SECRET, NOW)).toBe('valid');
    expect(checkTiktokSignature(raw, sign(NOW + 300), SECRET, NOW)).toBe('valid');
    expect(checkTiktokSignature(raw, sign(NOW - 301), SECRET, NOW)).toBe('stale');
    expect(checkTiktokSignature(raw, sign(NOW + 301), SECRET, NOW)).toBe('stale');
    expect(checkTiktokSignature(raw, sign(NOW - 86_400), SECRET, NOW)).toBe('stale');
  });

  it('refuses a wrong key, truncated signatures and malformed headers', () => {
    expect(checkTiktokSignature(raw, sign(NOW, body, 'wrong'), SECRET, NOW)).toBe('invalid');
    expect(checkTiktokSignature(raw, sign(NOW).slice(0, -1), SECRET, NOW)).toBe('invalid');
    expect(checkTiktokSignature(raw, `t=${NOW}`, SECRET, NOW)).toBe('invalid');
    expect(checkTiktokSignature(raw, `s=${hmac(SECRET, `${NOW}.${body}`)}`, SECRET, NOW)).toBe('invalid');
    expect(checkTiktokSignature(raw, `t=${NOW},s=${hmac(SECRET, body)}`, SECRET, NOW)).toBe('invalid');
    expect(checkTiktokSignature(raw, sign('17642304OO'), SECRET, NOW)).toBe('invalid');
    expect(checkTiktokSignature(raw, undefined, SECRET, NOW)).toBe('invalid');
    expect(checkTiktokSignature(raw, 'garbage', SECRET, NOW)).toBe('invalid');
  });

  it('binds the timestamp: a signature moved to another t is invalid, not stale', () => {
    const s = hmac(SECRET, `${NOW}.${body}`);
    expect(checkTiktokSignature(raw, `t=${NOW + 1},s=${s}`, SECRET, NOW)).toBe('invalid');
    // A replay with a wrong key is reported as invalid, whatever its age.
    expect(checkTiktokSignature(raw, sign(NOW - 3600, body, 'wrong'), SECRET, NOW)).toBe('invalid');
  });

  it('refuses the same JSON re-serialized', () => {
    expect(checkTiktokSignature(reserialized, sign(NOW), SECRET, NOW)).toBe('invalid');
  });
});

describe('payload mapping of the documented examples', () => {
  // LinkedIn's documented Lead Sync notification (type LEAD_ACTION).
  const notification = {
    type: 'LEAD_ACTION',
    leadGenFormResponse: 'urn:li:leadGenFormResponse:1a2b3c-4',
    leadGenForm: 'urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)',
    owner: { sponsoredAccount: 'urn:li:sponsoredAccount:522529623' },
    associatedEntity: { sponsoredCreative: 'urn:li:sponsoredCreative:241257736' },
    leadType: 'SPONSORED',
    leadAction: 'CREATED',
    occurredAt: 1686182358881,
  };

  it('reads a LinkedIn notification and ignores other actions', () => {
    expect(linkedinNotification(notification)).toEqual({
      action: 'CREATED',
      responseId: '1a2b3c-4',
      formId: '7234246',
      leadType: 'SPONSORED',
      owner: 'urn:li:sponsoredAccount:522529623',
      associatedEntity: 'urn:li:sponsoredCreative:241257736',
      occurredAt: 1686182358881,
    });
    expect(linkedinNotification({ ...notification, leadAction: 'UPDATED' })).toBeUndefined();
    expect(() => linkedinNotification({ ...notification, leadGenFormResponse: '../x' })).toThrow(
      ValidationError,
    );
    expect(() => linkedinNotification([])).toThrow(ValidationError);
  });

  it('maps a LinkedIn form response through its form: standard fields, custom fields, choices, attribution', () => {
    const response = linkedinFormResponse('1a2b3c-4', {
      FIRST_NAME: 'Lina',
      LAST_NAME: 'Linked',
      EMAIL: 'lina@initech.de',
      JOB_TITLE: 'CMO',
      'What is your budget?': '50k+',
      'Team size': [2],
    });
    const parsed = linkedinNotification(notification);
    if (!parsed) throw new Error('not parsed');
    const lead = linkedinAdLead(response, linkedinForm, parsed, 'dlv_1');
    expect(lead).toMatchObject({
      provider: 'linkedin',
      providerLeadId: '1a2b3c-4',
      fields: {
        firstName: 'Lina',
        lastName: 'Linked',
        email: 'lina@initech.de',
        jobTitle: 'CMO',
        what_is_your_budget: '50k+',
        team_size: '11-50',
      },
      attribution: {
        form_id: '7234246',
        campaign_id: '367378525',
        ad_id: '241257736',
        account_id: '522529623',
      },
      submittedAt: '2025-11-27T08:00:00.000Z',
      test: false,
    });
  });

  it('maps a TikTok lead whose content is a JSON string', () => {
    const payload = {
      client_key: 'aw1234567890',
      event: 'lead.create',
      create_time: 1764230400,
      user_openid: 'act.example',
      content: JSON.stringify({
        lead_id: '7301234567890123456',
        advertiser_id: '7000000000000000001',
        campaign_id: '1780000000000001',
        adgroup_id: '1780000000000002',
        ad_id: '1780000000000003',
        page_id: '7300000000000000004',
        create_time: 1764230400,
        lead_data: {
          Name: 'Tia Tok',
          Email: 'tia@initech.de',
          'Phone number': '+49 30 7654321',
          Budget: '10k',
        },
      }),
    };
    expect(tiktokAdLead(payload, 'dlv_2')).toMatchObject({
      provider: 'tiktok',
      providerLeadId: '7301234567890123456',
      fields: {
        firstName: 'Tia',
        lastName: 'Tok',
        email: 'tia@initech.de',
        phone: '+49 30 7654321',
        budget: '10k',
      },
      attribution: {
        form_id: '7300000000000000004',
        campaign_id: '1780000000000001',
        adgroup_id: '1780000000000002',
        ad_id: '1780000000000003',
        advertiser_id: '7000000000000000001',
      },
      submittedAt: '2025-11-27T08:00:00.000Z',
    });
    expect(() => tiktokAdLead({ ...payload, content: '{not json' }, 'd')).toThrow();
    expect(() => tiktokAdLead({ ...payload, content: '{}' }, 'd')).toThrow(ValidationError);
  });
});

describe('LinkedIn erasure', () => {
  const at = '2026-11-27T09:00:00.000Z';
  const lead: LeadState = {
    leadId: 'ld_erase',
    email: 'lina@initech.de',
    stage: 'lead',
    profile: {
      firstName: { value: 'Lina', source: 'linkedin', at },
      company: { value: 'Initech', source: 'linkedin', at },
      country: { value: 'DE', source: 'google', at },
      email: { value: 'lina@initech.de', source: 'form:newsletter', at },
    },
    marketingConsent: { granted: true, at, source: 'linkedin' },
    createdAt: at,
    updatedAt: at,
    version: 3,
    aggregate: { applied: [] } as unknown as LeadState['aggregate'],
    score: null,
  };

  it('drops the LinkedIn-sourced fields and consent, keeps the rest, and records no values', async () => {
    const leads = new FakeLeads();
    leads.leads.set(lead.leadId, structuredClone(lead));
    const deps = { leads, models: new FakeModels(), clock: { now: () => new Date(at) } };
    const result = await eraseLinkedinData(deps, lead.leadId, '1a2b3c-4');
    expect(result).toEqual({ found: true, erased: ['firstName', 'company'] });
    const after = leads.leads.get(lead.leadId);
    expect(Object.keys(after?.profile ?? {}).sort()).toEqual(['country', 'email']);
    expect(after?.marketingConsent).toBeUndefined();
    expect(after?.version).toBe(4);
    const [activity] = leads.activities.values();
    expect(activity).toMatchObject({ type: 'lead_source_erased', source: 'linkedin', leadId: lead.leadId });
    expect(JSON.stringify(activity)).not.toMatch(/Lina|Initech/);
    // Again (a retry): nothing left to drop, no second activity.
    await eraseLinkedinData(deps, lead.leadId, '1a2b3c-4');
    expect(leads.activities.size).toBe(1);
    expect(leads.leads.get(lead.leadId)?.version).toBe(4);
  });

  it('does nothing for an unknown lead', async () => {
    const deps = { leads: new FakeLeads(), models: new FakeModels(), clock: { now: () => new Date(at) } };
    expect(await eraseLinkedinData(deps, 'ld_none', 'x')).toEqual({ found: false, erased: [] });
  });
});
