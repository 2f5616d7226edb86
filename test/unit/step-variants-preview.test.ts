import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNurtureConfig } from '../../functions/adapters/files/config-dir';
import type { LeadState } from '../../functions/core/leads/lead';
import type { StepVariant } from '../../functions/core/nurture/config-schema';
import { previewSequence } from '../../functions/core/nurture/preview';
import { variantFor } from '../../functions/core/nurture/step-variants';
import { leadVars } from '../../functions/core/nurture/template-vars';
import { emptyAggregate } from '../../functions/core/scoring/score';

/** The sequence preview shows which variant of an A/B step a chosen lead would get, rendered as sent. */
const now = new Date('2026-11-27T15:00:00.000Z');
const at = '2026-11-01T10:00:00.000Z';
const lead = (leadId: string): LeadState => ({
  leadId,
  email: 'grace@example.com',
  stage: 'subscriber',
  profile: { firstName: { value: 'Grace', source: 'form:newsletter', at } },
  createdAt: at,
  updatedAt: at,
  version: 3,
  aggregate: emptyAggregate(),
  score: null,
});
const VARIANTS: StepVariant[] = [
  { name: 'a', share: 50, subject: 'A for {{ firstName }}' },
  { name: 'b', share: 50, template: 'case-study', subject: 'B for {{ firstName }}' },
];

async function welcomeWithVariants() {
  const loaded = await readNurtureConfig(resolve('config'));
  if (!loaded) throw new Error('config/settings.yaml is missing');
  const config = structuredClone(loaded.config);
  const welcome = config.sequences.find((s) => s.id === 'welcome');
  if (!welcome?.steps[0]) throw new Error('no welcome sequence');
  welcome.steps[0].variants = VARIANTS;
  return { config, welcome };
}

describe('sequence preview of an A/B step', () => {
  it("shows the variant each lead would get, with that variant's template and subject", async () => {
    const { config, welcome } = await welcomeWithVariants();
    const ids = Array.from({ length: 40 }, (_, i) => `ld_${String(i).padStart(24, '0')}`);
    const seen = new Set<string>();
    for (const leadId of ids) {
      const chosen = variantFor('welcome', { id: 'welcome', variants: VARIANTS }, leadId)?.name;
      const subject = lead(leadId);
      const [first, second] = previewSequence(
        config,
        welcome,
        { lead: subject, vars: leadVars(subject, 'u') },
        now,
      );
      expect(first).toMatchObject(
        chosen === 'a'
          ? { variant: 'a', template: 'welcome', subject: 'A for Grace' }
          : { variant: 'b', template: 'case-study', subject: 'B for Grace' },
      );
      expect(second?.variant).toBeUndefined();
      seen.add(chosen ?? '');
    }
    expect(seen).toEqual(new Set(['a', 'b']));
  });

  it('shows the first variant for the sample profile', async () => {
    const { config, welcome } = await welcomeWithVariants();
    const [first] = previewSequence(config, welcome, { vars: leadVars(lead('ld_x'), 'u') }, now);
    expect(first).toMatchObject({ variant: 'a', template: 'welcome', subject: 'A for Grace' });
  });
});
