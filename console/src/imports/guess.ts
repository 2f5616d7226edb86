import { IGNORE, STANDARD_FIELDS } from '../../../functions/core/imports/import-mapping';

export { IGNORE, STANDARD_FIELDS };

/** How each standard field is shown in the mapping. */
export const FIELD_LABELS: Record<(typeof STANDARD_FIELDS)[number], string> = {
  email: 'Email',
  firstName: 'First name',
  lastName: 'Last name',
  company: 'Company',
  jobTitle: 'Job title',
  phone: 'Phone',
  country: 'Country (ISO code or name)',
  companySize: 'Company size',
  utm_source: 'UTM source',
  utm_medium: 'UTM medium',
  utm_campaign: 'UTM campaign',
  utm_term: 'UTM term',
  utm_content: 'UTM content',
};

/** Headers other tools export for each standard field (HubSpot, Mautic, Salesforce, spreadsheets), squashed. */
const ALIASES: Record<string, string[]> = {
  email: ['email', 'emailaddress', 'mail', 'emailid', 'workemail', 'businessemail'],
  firstName: ['firstname', 'first', 'givenname', 'forename', 'prenom', 'vorname'],
  lastName: ['lastname', 'last', 'surname', 'familyname', 'nom', 'nachname'],
  company: ['company', 'companyname', 'organization', 'organisation', 'account', 'accountname', 'firma'],
  jobTitle: ['jobtitle', 'title', 'position', 'role', 'job'],
  phone: ['phone', 'phonenumber', 'mobile', 'mobilephone', 'telephone', 'tel', 'cell'],
  country: ['country', 'countrycode', 'countryregion', 'land', 'pays'],
  companySize: ['companysize', 'employees', 'numberofemployees', 'headcount', 'size'],
};
/** Headers that usually hold each row's own marketing consent (yes/no). */
const CONSENT = [
  'consent',
  'marketingconsent',
  'optin',
  'optedin',
  'subscribed',
  'emailoptin',
  'gdprconsent',
];

const squash = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');

/** A custom field's name made from a header ("Plan tier" → planTier), or undefined when nothing is left. */
export function customName(header: string): string | undefined {
  const words = header
    .normalize('NFKD')
    .replace(/[^a-zA-Z0-9]+/g, ' ')
    .replace(/^[^a-zA-Z]+/, '')
    .trim()
    .split(' ')
    .filter(Boolean);
  const name = words
    .map((w, i) =>
      i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1),
    )
    .join('')
    .slice(0, 64);
  if (!name || (STANDARD_FIELDS as readonly string[]).includes(name)) return undefined;
  return name;
}

/** Whether a header looks like a per-row consent column. */
export const looksLikeConsent = (header: string) => CONSENT.includes(squash(header));

/**
 * The target a header most likely means: a standard field by its usual names (utm_* as written),
 * a known custom field by name, else ignore. Each target is guessed for one column at most.
 */
export function guessMapping(header: string[], customFields: string[]): Record<string, string> {
  const mapping: Record<string, string> = {};
  const taken = new Set<string>();
  const known = new Map(customFields.map((name) => [squash(name), name]));
  for (const column of header) {
    if (!column) continue;
    const key = squash(column);
    let target: string = IGNORE;
    const standard = Object.keys(ALIASES).find((field) => ALIASES[field]?.includes(key));
    const utm = STANDARD_FIELDS.find((field) => field.startsWith('utm_') && squash(field) === key);
    if (standard) target = standard;
    else if (utm) target = utm;
    else if (known.has(key)) target = `custom:${known.get(key)}`;
    if (taken.has(target)) target = IGNORE;
    if (target !== IGNORE) taken.add(target);
    mapping[column] = target;
  }
  return mapping;
}
