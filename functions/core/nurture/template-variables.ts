import { Liquid } from 'liquidjs';
import type { NurtureConfig } from './config-schema';
import { SAMPLE_UNSUBSCRIBE_URL } from './preview';
import { sampleVars, TEMPLATE_FIELDS } from './render';
import type { TemplateVariables } from './template-bodies';

type Variable = TemplateVariables['variables'][number];

/** What each variable root holds, in the marketer's words. Every TEMPLATE_FIELDS root has one. */
export const VARIABLE_DESCRIPTIONS: Record<(typeof TEMPLATE_FIELDS)[number], [Variable['group'], string]> = {
  email: ['lead', "The lead's email address"],
  firstName: ['lead', 'First name, as the lead typed it'],
  lastName: ['lead', 'Last name'],
  company: ['lead', 'Company'],
  jobTitle: ['lead', 'Job title'],
  phone: ['lead', 'Phone number'],
  country: ['lead', 'Country (ISO code)'],
  companySize: ['lead', 'Company size band'],
  utm_source: ['lead', 'UTM source of the sign-up'],
  utm_medium: ['lead', 'UTM medium of the sign-up'],
  utm_campaign: ['lead', 'UTM campaign of the sign-up'],
  utm_term: ['lead', 'UTM term of the sign-up'],
  utm_content: ['lead', 'UTM content of the sign-up'],
  custom: ['custom', 'Fields of the lead beyond the standard ones: custom.<field>'],
  stage: ['lead', 'Lifecycle stage (subscriber, lead, mql, sql, ...)'],
  score: ['lead', 'Current score (a number)'],
  unsubscribeUrl: ['email', 'The signed one-click unsubscribe link (the layout must show it)'],
  confirmUrl: ['email', 'The double opt-in link: set in the confirmation email only, empty elsewhere'],
  postalAddress: ['email', "The sender's postal address from settings (the layout must show it)"],
  senderName: ['email', "The sender's name from settings"],
};

/** Every filter the render engine knows (strictFilters refuses any other). */
const FILTERS = Object.keys(new Liquid().filters).sort();
const CUSTOM_REFERENCE = /\bcustom\.([a-zA-Z][a-zA-Z0-9_]{0,63})/g;

/**
 * The variables a template may use, for the editor's completion: the standard fields, the
 * custom fields the config already uses (in templates and in step conditions) or the sample
 * profile has, the lead's stage and score, and the email's own links and settings.
 */
export function templateVariables(
  config: Pick<NurtureConfig, 'templates' | 'sequences'> | undefined,
): TemplateVariables {
  const sample = sampleVars(SAMPLE_UNSUBSCRIBE_URL);
  const standard = new Set<string>(TEMPLATE_FIELDS);
  const variables: Variable[] = TEMPLATE_FIELDS.filter((name) => name !== 'custom').map((name) => {
    const [group, description] = VARIABLE_DESCRIPTIONS[name];
    const value =
      name in sample.fields
        ? sample.fields[name]
        : name === 'stage'
          ? sample.stage
          : name === 'score'
            ? sample.score
            : undefined;
    return { name, group, description, ...(value === undefined ? {} : { example: String(value) }) };
  });
  const custom = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(sample.custom)) custom.set(name, String(value));
  for (const template of config?.templates ?? []) {
    for (const source of [template.subject, template.mjml ?? template.html, template.text])
      for (const match of source.matchAll(CUSTOM_REFERENCE))
        if (!custom.has(match[1] as string)) custom.set(match[1] as string, undefined);
  }
  for (const sequence of config?.sequences ?? [])
    for (const step of sequence.steps)
      if (step.when && 'field' in step.when && !standard.has(step.when.field) && !custom.has(step.when.field))
        custom.set(step.when.field, undefined);
  for (const [name, example] of [...custom].sort(([a], [b]) => a.localeCompare(b)))
    variables.push({
      name: `custom.${name}`,
      group: 'custom',
      description: 'A custom field (empty for leads without it)',
      ...(example === undefined ? {} : { example }),
    });
  return { variables, filters: FILTERS };
}
