import { describe, expect, it } from 'vitest';
import { checkForm, draftForm } from '../../functions/core/capture/form-versions';
import { ValidationError } from '../../functions/core/kernel/errors';

/** A form version is checked as `leadflow config check` checks config/forms: schema, id, double opt-in. */
const form = (consent: Record<string, unknown> = { text: 'Keep me posted.' }) => ({
  name: 'Webinar',
  thankYouUrl: 'https://acme.example/thanks',
  allowedOrigins: ['https://acme.example'],
  consent,
  fields: [
    { name: 'email', type: 'email', required: true },
    { name: 'consent', type: 'boolean' },
  ],
});
const nurture = (templates: string[]) => ({
  settings: {} as never,
  templates: templates.map((id) => ({ id })) as never,
});

describe('checking a form version', () => {
  it('takes the id from the path and fills the defaults', () => {
    const checked = checkForm('webinar', form(), nurture([]));
    expect(checked).toMatchObject({
      ok: true,
      form: { id: 'webinar', stage: 'lead', honeypotField: '_gotcha' },
    });
  });

  it('refuses double opt-in while the nurture config has no confirmation template, at consent.doubleOptIn', () => {
    const optIn = form({ text: 'Keep me posted.', doubleOptIn: true });
    const refused = checkForm('webinar', optIn, nurture(['welcome-1']));
    expect(refused).toEqual({
      ok: false,
      errors: [
        { path: 'form.consent.doubleOptIn', message: expect.stringContaining('"confirm-subscription"') },
      ],
    });
    expect(checkForm('webinar', optIn, undefined).ok).toBe(false);
    expect(checkForm('webinar', optIn, nurture(['confirm-subscription'])).ok).toBe(true);
  });

  it('names the field in words when a problem is inside one', () => {
    const bad = {
      ...form(),
      fields: [...form().fields, { name: 'company', type: 'text', maxLength: 0 }, { type: 'text' }],
    };
    const checked = checkForm('webinar', bad, undefined);
    if (checked.ok) throw new Error('expected problems');
    expect(checked.errors).toEqual(
      expect.arrayContaining([
        { path: 'form.fields.2.maxLength', message: expect.stringMatching(/^field "company": /) },
        { path: 'form.fields.3.name', message: expect.stringMatching(/^field number 4: /) },
      ]),
    );
  });

  it('throws ValidationError (400) with the problems for a new version, and refuses a body that is no object', () => {
    expect(() => draftForm('webinar', 'just text', undefined)).toThrow(ValidationError);
    try {
      draftForm('webinar', { ...form(), id: 'other' }, undefined);
    } catch (error) {
      expect((error as ValidationError).details).toEqual([
        { path: 'form.id', message: 'must be the form id in the path, "webinar"' },
      ]);
    }
  });
});
