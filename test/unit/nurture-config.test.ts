import { describe, expect, it } from 'vitest';
import { readNurtureConfig } from '../../functions/adapters/files/config-dir';
import { validateNurtureConfig } from '../../functions/core/nurture/validate-config';

const shipped = async () => {
  const loaded = await readNurtureConfig('config');
  if (!loaded) throw new Error('config/settings.yaml is missing');
  return loaded.config;
};

describe('nurture config', () => {
  it('loads the shipped settings, layout, templates and welcome sequences', async () => {
    const config = await shipped();
    expect(config.sequences.map((s) => s.id).sort()).toEqual(['back-to-nurture', 'welcome', 'welcome-eu']);
    const back = config.sequences.find((s) => s.id === 'back-to-nurture');
    expect(back?.trigger).toEqual({ on: 'stage_reached', stage: 'recycled' });
    expect(back?.steps.map((s) => [s.template, s.wait])).toEqual([
      ['check-in', { days: 30, hours: 0, minutes: 0 }],
    ]);
    for (const sequence of config.sequences.filter((s) => s.id.startsWith('welcome'))) {
      expect(sequence.steps.map((s) => s.template)).toEqual(['welcome', 'getting-started', 'case-study']);
      expect(sequence.steps[0]?.ignoreSendWindow).toBe(true);
    }
    expect(config.sequences.map((s) => s.trigger)).toEqual(
      expect.arrayContaining([
        { on: 'form_submitted', formId: 'newsletter' },
        { on: 'form_submitted', formId: 'newsletter-eu' },
      ]),
    );
    expect(config.templates.map((t) => t.id).sort()).toEqual([
      'case-study',
      'check-in',
      'confirm-subscription',
      'getting-started',
      'welcome',
    ]);
    expect(config.settings.frequencyCap).toEqual({ perDay: 1, perWeek: 3 });
    expect(config.settings.doubleOptIn).toEqual({ template: 'confirm-subscription', expiresInDays: 7 });
  });

  it('refuses a step without its template, duplicate ids and a layout without the unsubscribe link', async () => {
    const config = structuredClone(await shipped());
    const welcome = config.sequences.find((s) => s.id === 'welcome');
    if (!welcome?.steps[1]) throw new Error('fixture');
    welcome.steps[1].template = 'nope';
    config.sequences = [welcome, structuredClone(welcome)];
    config.layout.text = 'Just {{ content }} from {{ postalAddress }}';
    const result = validateNurtureConfig(config);
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['sequences.0.steps.1.template', 'sequences.1.id', 'layout.text']),
    );
  });

  it('refuses a double opt-in block naming no template, and fills its defaults', async () => {
    const config = structuredClone(await shipped());
    config.settings.doubleOptIn = { template: 'confirm-please', expiresInDays: 7 };
    const result = validateNurtureConfig(config);
    expect(result.ok ? [] : result.errors).toEqual([
      {
        path: 'settings.doubleOptIn.template',
        message: 'no template "confirm-please" (the double opt-in confirmation email)',
      },
    ]);
    const defaults = validateNurtureConfig({ ...config, settings: { ...config.settings, doubleOptIn: {} } });
    expect(defaults.ok && defaults.config.settings.doubleOptIn).toEqual({
      template: 'confirm-subscription',
      expiresInDays: 7,
    });
    const tooLong = validateNurtureConfig({
      ...config,
      settings: { ...config.settings, doubleOptIn: { expiresInDays: 90 } },
    });
    expect(tooLong.ok ? [] : tooLong.errors.map((e) => e.path)).toEqual([
      'settings.doubleOptIn.expiresInDays',
    ]);
  });

  it('accepts confirmUrl in templates (empty outside a confirmation email)', async () => {
    const config = structuredClone(await shipped());
    const welcome = config.templates.find((t) => t.id === 'welcome');
    if (!welcome) throw new Error('fixture');
    welcome.text += '\n{{ confirmUrl }}';
    expect(validateNurtureConfig(config).ok).toBe(true);
  });

  it('reports schema errors with their paths', () => {
    const result = validateNurtureConfig({
      settings: { sender: { email: 'not-an-email', name: 'X' } },
      layout: { html: 'x', text: 'y' },
      templates: [],
      sequences: [{ id: 'Bad Id', name: 'x', trigger: { on: 'sometimes' }, steps: [] }],
    });
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'settings.sender.email',
        'settings.postalAddress',
        'sequences.0.id',
        'sequences.0.steps',
      ]),
    );
  });
});
