import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readNurtureConfig } from '../../functions/adapters/files/config-dir';
import type { NurtureConfig, Step, StepVariant } from '../../functions/core/nurture/config-schema';
import { variantEmail, variantFor } from '../../functions/core/nurture/step-variants';
import { validateNurtureConfig } from '../../functions/core/nurture/validate-config';

const shipped = async (): Promise<NurtureConfig> => {
  const loaded = await readNurtureConfig('config');
  if (!loaded) throw new Error('config/settings.yaml is missing');
  return structuredClone(loaded.config);
};

/** The shipped config with variants on the welcome sequence's second step. */
async function withVariants(variants: unknown): Promise<unknown> {
  const config = await shipped();
  // welcome first, so errors name it sequences.0
  config.sequences.sort((a, b) => Number(b.id === 'welcome') - Number(a.id === 'welcome'));
  const step = config.sequences[0]?.steps[1];
  if (!step) throw new Error('fixture');
  Object.assign(step, { variants });
  return config;
}

const messagesOf = (doc: unknown) => {
  const result = validateNurtureConfig(doc);
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
};

const TWO: StepVariant[] = [
  { name: 'a', share: 50, subject: 'Getting started, {{ firstName | default: "friend" }}' },
  { name: 'b', share: 50, template: 'case-study' },
];

describe('A/B variants on a sequence step: config', () => {
  it('accepts two variants whose shares add up to 100% and keeps them as written', async () => {
    const result = validateNurtureConfig(await withVariants(TWO));
    expect(result.ok && result.config.sequences.find((s) => s.id === 'welcome')?.steps[1]?.variants).toEqual(
      TWO,
    );
  });

  it('says in words when shares do not add up, a name repeats, or a variant changes nothing', async () => {
    const problems = messagesOf(
      await withVariants([
        { name: 'a', share: 50, subject: 'One' },
        { name: 'a', share: 40, subject: 'Two' },
      ]),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        "sequences.0.steps.1.variants: the variants' shares add up to 90%; they must add up to 100%",
        'sequences.0.steps.1.variants.1.name: variant "a" is named twice',
      ]),
    );
    expect(
      messagesOf(
        await withVariants([
          { name: 'a', share: 50, subject: 'One' },
          { name: 'b', share: 50 },
        ]),
      ),
    ).toEqual([
      'sequences.0.steps.1.variants.1: a variant changes the subject, the template or both: give subject or template',
    ]);
  });

  it('wants two to four variants, and names each one in words', async () => {
    expect(messagesOf(await withVariants([{ name: 'a', share: 99, subject: 'x' }]))).toEqual(
      expect.arrayContaining(['sequences.0.steps.1.variants: an A/B step has two to four variants']),
    );
    expect(
      messagesOf(await withVariants([{ name: 'A b', share: 50, subject: 'x' }, TWO[1]])).join(),
    ).toContain('variant names are lower-case letters, digits and -');
  });

  it('refuses a variant template that does not exist and a subject with an unknown variable', async () => {
    expect(
      messagesOf(
        await withVariants([
          { name: 'a', share: 50, template: 'nope' },
          { name: 'b', share: 50, subject: 'Hi {{ nickname }}' },
        ]),
      ),
    ).toEqual([
      'sequences.0.steps.1.variants.0.template: no template "nope" (variant "a")',
      expect.stringMatching(/^sequences\.0\.steps\.1\.variants\.1\.subject: unknown variable "nickname"/),
    ]);
  });
});

describe('A/B variants on a sequence step: assignment', () => {
  const step = { id: 'getting-started', template: 'getting-started', variants: TWO };
  const leads = Array.from({ length: 2000 }, (_, i) => `lead-${i}`);

  it('gives a lead the same variant every time, and another step may give it another', () => {
    for (const leadId of leads.slice(0, 50))
      expect(variantFor('welcome', step, leadId)).toBe(variantFor('welcome', step, leadId));
    const elsewhere = leads.filter(
      (id) =>
        variantFor('welcome', step, id)?.name !== variantFor('welcome', { ...step, id: 'other' }, id)?.name,
    );
    expect(elsewhere.length).toBeGreaterThan(500);
  });

  it('splits leads by the shares (70/30 within a few percent)', () => {
    const seventy = {
      ...step,
      variants: [
        { ...TWO[0], share: 70 },
        { ...TWO[1], share: 30 },
      ] as StepVariant[],
    };
    const a = leads.filter((id) => variantFor('welcome', seventy, id)?.name === 'a').length;
    expect(a / leads.length).toBeGreaterThan(0.66);
    expect(a / leads.length).toBeLessThan(0.74);
  });

  it('has no variant for a plain step; a variant sends its own template or subject', () => {
    expect(variantFor('welcome', { id: 'x' }, 'lead-1')).toBeUndefined();
    expect(variantEmail(step, TWO[1])).toEqual({ template: 'case-study', subject: undefined });
    expect(variantEmail(step, TWO[0])).toEqual({ template: 'getting-started', subject: TWO[0]?.subject });
    expect(variantEmail(step, undefined)).toEqual({ template: 'getting-started', subject: undefined });
  });
});

describe("README's A/B step example", () => {
  it('is a valid step of the shipped welcome sequence, its variants kept as written', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const marker = readme.indexOf('<!-- A/B step example:');
    expect(marker).toBeGreaterThan(0);
    const block = /```yaml\n([\s\S]*?)```/.exec(readme.slice(marker))?.[1] ?? '';
    const [step] = parse(block) as Step[];
    const config = await shipped();
    const welcome = config.sequences.find((s) => s.id === 'welcome');
    if (!welcome || !step) throw new Error('fixture');
    welcome.steps[1] = step;
    const result = validateNurtureConfig(config);
    expect(result.ok ? [] : result.errors).toEqual([]);
    const written = result.ok ? result.config.sequences.find((s) => s.id === 'welcome')?.steps[1] : undefined;
    expect(written).toMatchObject({ id: 'getting-started', template: 'getting-started' });
    expect(written?.variants?.map((v) => [v.name, v.share, v.template ?? null])).toEqual([
      ['short-subject', 50, null],
      ['case-study', 50, 'case-study'],
    ]);
  });
});
