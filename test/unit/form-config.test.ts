import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, readForms } from '../../functions/adapters/files/config-dir';
import { formSchema } from '../../functions/core/capture/form-schema';

const valid = {
  id: 'trial',
  name: 'Trial',
  thankYouUrl: 'https://example.com/thanks',
  allowedOrigins: ['https://example.com'],
  fields: [{ name: 'email', type: 'email', required: true }],
};

function problems(doc: unknown): string[] {
  const result = formSchema.safeParse(doc);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('form config', () => {
  it('loads the shipped example forms from config/', async () => {
    const forms = await readForms('config');
    expect(forms.map((f) => f.id)).toEqual(['demo-request', 'newsletter-eu', 'newsletter']);
    // Double opt-in only where the audience needs it: the plain newsletter keeps single opt-in.
    expect(forms.map((f) => [f.id, f.consent?.doubleOptIn])).toEqual([
      ['demo-request', false],
      ['newsletter-eu', true],
      ['newsletter', false],
    ]);
    const demo = forms.find((f) => f.id === 'demo-request');
    expect(demo?.fields.filter((f) => f.required).map((f) => f.name)).toEqual([
      'email',
      'firstName',
      'lastName',
      'company',
    ]);
    expect(forms.every((f) => f.allowedOrigins.includes('http://localhost:3000'))).toBe(true);
    // Labels with commas are quoted: a YAML flow mapping would split them into a stray key.
    expect(demo?.fields.find((f) => f.name === 'country')?.label).toBe('Country (ISO code, e.g. DE)');
  });

  it('refuses a key it does not know, at every level, naming the path and the key', () => {
    expect(problems({ ...valid, thankYouURL: 'https://example.com/x' })).toEqual([
      ': unknown key "thankYouURL"',
    ]);
    expect(
      problems({
        ...valid,
        fields: [...valid.fields, { name: 'consent', type: 'boolean', lable: 'Yes' }],
        consent: { text: 'Send me news.', doubleOptin: true },
      }),
    ).toEqual(['consent: unknown key "doubleOptin"', 'fields.1: unknown key "lable"']);
    expect(
      problems({ ...valid, fields: [{ ...valid.fields[0], placeholder: 'you@example.com', size: 3 }] }),
    ).toEqual(['fields.0: unknown keys "placeholder", "size"']);
  });

  it('refuses a label that a YAML flow mapping split at its comma', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadflow-config-'));
    await mkdir(join(dir, 'forms'));
    const form = (label: string) =>
      [
        'id: trial',
        'name: Trial',
        'thankYouUrl: https://example.com/thanks',
        'allowedOrigins: [https://example.com]',
        'fields:',
        '  - { name: email, type: email, required: true }',
        `  - { name: country, type: country, label: ${label} }`,
        '',
      ].join('\n');
    await writeFile(join(dir, 'forms', 'trial.yaml'), form('Country (ISO code, e.g. DE)'));
    const error = await readForms(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(['fields[name=country]: unknown key "e.g. DE)"']);

    await writeFile(join(dir, 'forms', 'trial.yaml'), form('"Country (ISO code, e.g. DE)"'));
    const [trial] = await readForms(dir);
    expect(trial?.fields[1]?.label).toBe('Country (ISO code, e.g. DE)');
  });

  it('keeps double opt-in off unless the form turns it on', () => {
    const text = 'Send me the newsletter.';
    const fields = [...valid.fields, { name: 'consent', type: 'boolean' }];
    expect(formSchema.parse({ ...valid, fields, consent: { text } }).consent?.doubleOptIn).toBe(false);
    expect(
      formSchema.parse({ ...valid, fields, consent: { text, doubleOptIn: true } }).consent?.doubleOptIn,
    ).toBe(true);
  });

  it('fills defaults: honeypot _gotcha, stage lead, text length 200', () => {
    const form = formSchema.parse({ ...valid, fields: [...valid.fields, { name: 'company', type: 'text' }] });
    expect(form.honeypotField).toBe('_gotcha');
    expect(form.stage).toBe('lead');
    expect(form.fields[1]).toMatchObject({ maxLength: 200, required: false });
  });

  it('names the path of each problem', () => {
    expect(problems({ ...valid, allowedOrigins: ['https://example.com/path'] })).toEqual([
      'allowedOrigins.0: an origin is scheme://host[:port], no path',
    ]);
    expect(problems({ ...valid, fields: [{ name: 'company', type: 'text' }] })).toEqual([
      'fields: a form needs a required field "email" of type email',
    ]);
    expect(problems({ ...valid, fields: [...valid.fields, { name: 'email', type: 'text' }] })).toContain(
      'fields.1.name: field "email" is declared twice',
    );
    expect(problems({ ...valid, consent: { field: 'optin', text: 'yes' } })).toEqual([
      'consent.field: consent field "optin" is not one of the form\'s fields',
    ]);
    expect(
      problems({ ...valid, fields: [...valid.fields, { name: 'size', type: 'select', options: [] }] }),
    ).toHaveLength(1);
  });

  it('fails the load when a file is not valid YAML or its id differs from its name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leadflow-config-'));
    await mkdir(join(dir, 'forms'));
    await writeFile(join(dir, 'forms', 'trial.yaml'), 'id: other\nname: x\n');
    await expect(readForms(dir)).rejects.toBeInstanceOf(ConfigError);
    await writeFile(join(dir, 'forms', 'trial.yaml'), 'id: [unclosed\n');
    await expect(readForms(dir)).rejects.toThrow(/trial.yaml/);
  });
});
