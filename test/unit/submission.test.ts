import { describe, expect, it } from 'vitest';
import { normalizeSubmission } from '../../functions/core/capture/submission';
import { ValidationError } from '../../functions/core/kernel/errors';
import { testForm } from '../fixtures/fakes';

const meta = { at: '2026-11-27T10:00:00.000Z', ip: '203.0.113.9' };
const form = testForm();

async function errorsOf(body: Record<string, unknown>): Promise<Record<string, string>> {
  try {
    await normalizeSubmission(form, body as never, meta);
  } catch (error) {
    if (error instanceof ValidationError)
      return Object.fromEntries(error.details.map((d) => [d.path, d.message]));
    throw error;
  }
  return {};
}

describe('normalizeSubmission', () => {
  it('lower-cases the email, trims names and derives the lead id', async () => {
    const lead = await normalizeSubmission(form, { email: ' Ada@Example.com ', firstName: '  Ada ' }, meta);
    expect(lead.email).toBe('ada@example.com');
    expect(lead.fields.firstName).toBe('Ada');
    expect(lead.leadId).toMatch(/^ld_/);
    expect(lead.stage).toBe('lead');
  });

  it('lists every invalid and missing field at once', async () => {
    expect(
      await errorsOf({ email: 'not-an-email', seats: 'many', country: 'Germany', companySize: '9000' }),
    ).toEqual({
      email: 'must be a valid email address',
      firstName: 'is required',
      seats: 'must be a number',
      country: 'must be an ISO 3166 alpha-2 country code, such as DE or US',
      companySize: 'must be one of: 1-10, 11-50',
    });
  });

  it('refuses disposable email domains with a clear message', async () => {
    expect((await errorsOf({ email: 'someone@mailinator.com', firstName: 'A' })).email).toMatch(/disposable/);
  });

  it('strips control characters and bidi overrides, keeping line breaks in text areas', async () => {
    const lead = await normalizeSubmission(
      form,
      { email: 'a@example.com', firstName: 'A\u0000d\u202Ea\u0007', message: 'line 1\nline\u0000 2' },
      meta,
    );
    expect(lead.fields.firstName).toBe('Ada');
    expect(lead.fields.message).toBe('line 1\nline 2');
  });

  it('enforces field length limits', async () => {
    expect((await errorsOf({ email: 'a@example.com', firstName: 'x'.repeat(21) })).firstName).toBe(
      'must be at most 20 characters',
    );
    expect((await errorsOf({ email: `${'a'.repeat(250)}@example.com`, firstName: 'A' })).email).toBe(
      'must be a valid email address',
    );
  });

  it('formats the phone as E.164 when the country is known', async () => {
    const lead = await normalizeSubmission(
      form,
      { email: 'a@example.com', firstName: 'A', phone: '030 1234567', country: 'de' },
      meta,
    );
    expect(lead.fields.phone).toBe('+49301234567');
    expect(lead.fields.country).toBe('DE');
  });

  it('accepts an international number without a country and refuses an impossible one', async () => {
    expect(
      (
        await normalizeSubmission(
          form,
          { email: 'a@example.com', firstName: 'A', phone: '+1 415 555 2671' },
          meta,
        )
      ).fields.phone,
    ).toBe('+14155552671');
    expect(
      (await errorsOf({ email: 'a@example.com', firstName: 'A', phone: '+49 12', country: 'DE' })).phone,
    ).toMatch(/phone/);
  });

  it('records consent with the form text, time, source and IP', async () => {
    const lead = await normalizeSubmission(
      form,
      { email: 'a@example.com', firstName: 'A', consent: 'on' },
      meta,
    );
    expect(lead.consent).toEqual({
      granted: true,
      text: 'Send me product news.',
      at: meta.at,
      source: 'form:demo-request',
      ip: meta.ip,
    });
    expect(lead.fields).not.toHaveProperty('consent');
  });

  it('records a refused consent as not granted', async () => {
    const lead = await normalizeSubmission(form, { email: 'a@example.com', firstName: 'A' }, meta);
    expect(lead.consent?.granted).toBe(false);
  });

  it('takes UTM parameters from the body, else from the page query, and keeps page and referrer', async () => {
    const lead = await normalizeSubmission(
      form,
      {
        email: 'a@example.com',
        firstName: 'A',
        utm_source: 'newsletter',
        _page: 'https://example.com/pricing?utm_source=ignored&utm_campaign=spring',
        _referrer: 'https://www.google.com/',
      },
      meta,
    );
    expect(lead.attribution).toEqual({
      page: 'https://example.com/pricing?utm_source=ignored&utm_campaign=spring',
      referrer: 'https://www.google.com/',
      utm_source: 'newsletter',
      utm_campaign: 'spring',
    });
  });

  it('falls back to the Referer header for the page and drops non-http URLs', async () => {
    const lead = await normalizeSubmission(
      form,
      { email: 'a@example.com', firstName: 'A', _page: 'javascript:alert(1)' },
      { ...meta, referer: 'https://example.com/demo?utm_medium=cpc' },
    );
    expect(lead.attribution).toEqual({ page: 'https://example.com/demo?utm_medium=cpc', utm_medium: 'cpc' });
  });

  it('ignores fields the form does not declare', async () => {
    const lead = await normalizeSubmission(
      form,
      { email: 'a@example.com', firstName: 'A', isAdmin: true },
      meta,
    );
    expect(lead.fields).not.toHaveProperty('isAdmin');
  });

  it('requires consent when the form says so', async () => {
    const strict = testForm({ consent: { field: 'consent', text: 'Yes', required: true } });
    await expect(
      normalizeSubmission(strict, { email: 'a@example.com', firstName: 'A' }, meta),
    ).rejects.toThrow(ValidationError);
  });
});
