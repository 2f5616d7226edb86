import { describe, expect, it } from 'vitest';
import { readNurtureConfig } from '../../functions/adapters/files/config-dir';
import { validateNurtureConfig } from '../../functions/core/nurture/validate-config';

const shipped = async () => {
  const loaded = await readNurtureConfig('config');
  if (!loaded) throw new Error('config/settings.yaml is missing');
  return loaded.config;
};

describe('nurture config', () => {
  it('loads the shipped settings, layout, templates and welcome sequence', async () => {
    const config = await shipped();
    expect(config.sequences.map((s) => s.id)).toEqual(['welcome']);
    expect(config.sequences[0]?.steps.map((s) => s.template)).toEqual([
      'welcome',
      'getting-started',
      'case-study',
    ]);
    expect(config.sequences[0]?.steps[0]?.ignoreSendWindow).toBe(true);
    expect(config.templates.map((t) => t.id).sort()).toEqual(['case-study', 'getting-started', 'welcome']);
    expect(config.settings.frequencyCap).toEqual({ perDay: 1, perWeek: 3 });
  });

  it('refuses a step without its template, duplicate ids and a layout without the unsubscribe link', async () => {
    const config = structuredClone(await shipped());
    const welcome = config.sequences[0];
    if (!welcome?.steps[1]) throw new Error('fixture');
    welcome.steps[1].template = 'nope';
    config.sequences.push(structuredClone(welcome));
    config.layout.text = 'Just {{ content }} from {{ postalAddress }}';
    const result = validateNurtureConfig(config);
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['sequences.0.steps.1.template', 'sequences.1.id', 'layout.text']),
    );
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
