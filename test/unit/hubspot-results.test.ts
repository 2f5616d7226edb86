import { describe, expect, it } from 'vitest';
import { contactProperties } from '../../functions/core/integrations/hubspot/mapping';
import {
  existingIdOf,
  hubspotFailure,
  secondsToNextUtcDay,
} from '../../functions/core/integrations/hubspot/results';
import { hotLead } from '../fixtures/integration-leads';

describe("HubSpot's answers as delivery results", () => {
  const reply = (status: number, body?: unknown, retryAfterSeconds?: number) => ({
    status,
    latencyMs: 4,
    body,
    retryAfterSeconds,
  });

  it('reads the existing contact id from a 409 CONFLICT message', () => {
    expect(
      existingIdOf({
        status: 'error',
        message: 'Contact already exists. Existing ID: 37765128953',
        category: 'CONFLICT',
      }),
    ).toBe('37765128953');
    expect(existingIdOf({ message: 'something else' })).toBeUndefined();
    expect(existingIdOf('text')).toBeUndefined();
  });

  it('waits for the next UTC day (plus a minute) on the daily limit', () => {
    expect(secondsToNextUtcDay(new Date('2026-12-03T23:59:00Z'))).toBe(120);
    const result = hubspotFailure(
      reply(429, { policyName: 'DAILY', errorType: 'RATE_LIMIT' }),
      'contact search',
      new Date('2026-12-03T12:00:00Z'),
    );
    expect(result).toMatchObject({ kind: 'retry', retryAfterSeconds: 12 * 3600 + 60 });
  });

  it.each([
    [401, 'rejected', 'token refused'],
    [403, 'rejected', 'missing scope'],
    [400, 'rejected', 'answered 400'],
    [500, 'retry', 'answered 500'],
  ])('%i is %s', (status, kind, why) => {
    expect(hubspotFailure(reply(status, { category: 'X' }), 'task create')).toMatchObject({
      kind,
      reason: expect.stringContaining(why),
    });
  });

  it('keeps no personal data in the excerpt, only error codes', () => {
    const result = hubspotFailure(
      reply(400, { message: 'Property email dana@acme.io invalid', category: 'VALIDATION_ERROR' }),
      'contact create',
    );
    expect(result.excerpt).toBe('category=VALIDATION_ERROR');
  });
});

describe('HubSpot field mapping', () => {
  it('maps configured Leadflow fields to HubSpot properties, leaving out empty ones and always sending the email', () => {
    const lead = hotLead({
      profile: {
        company: { value: 'Acme', source: 'x', at: '' },
        jobTitle: { value: '', source: 'x', at: '' },
      },
    });
    expect(
      contactProperties(lead, { company: 'company', jobTitle: 'jobtitle', firstName: 'firstname' }),
    ).toEqual({ company: 'Acme', email: 'dana@acme.io' });
  });
});
