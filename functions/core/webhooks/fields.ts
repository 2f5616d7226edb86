/** Turns a platform's question name into a Leadflow custom field name: letters, digits, _ (snake case). */
export function customFieldName(name: string): string | undefined {
  const snake = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-zA-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase()
    .slice(0, 64);
  if (!/^[a-z][a-z0-9_]*$/.test(snake)) return undefined;
  // `constructor` is an Object member: the DynamoDB marshaller reads it to tell maps from classes.
  return snake in Object.prototype ? `${snake}_field` : snake;
}

/** Splits "Ada King Lovelace" into first name "Ada" and last name "King Lovelace". */
export function splitFullName(full: string): { firstName?: string; lastName?: string } {
  const parts = full.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return {};
  if (parts.length === 1) return { firstName: parts[0] };
  return { firstName: parts[0], lastName: parts.slice(1).join(' ') };
}

/** Puts a value on a field unless a more specific one already holds it (first_name beats full_name). */
export function setField(
  fields: Record<string, string>,
  name: string,
  value: string | undefined,
  override = true,
) {
  const text = value?.trim();
  if (!text) return;
  if (override || !Object.hasOwn(fields, name)) fields[name] = text.slice(0, 1000);
}

/** Answer names the platforms share (lower-cased) and the Leadflow standard field each fills. */
export const COMMON_ANSWER_FIELDS: Readonly<Record<string, string>> = {
  email: 'email',
  work_email: 'email',
  first_name: 'firstName',
  last_name: 'lastName',
  phone_number: 'phone',
  work_phone_number: 'phone',
  company_name: 'company',
  job_title: 'jobTitle',
  country: 'country',
};

const MAX_CUSTOM_FIELDS = 50;

/** Maps named answers: standard names by the table, the rest as custom fields (bounded). */
export function mapAnswers(
  answers: { name: string; value: string }[],
  standard: Record<string, string>,
): Record<string, string> {
  const fields: Record<string, string> = {};
  let custom = 0;
  for (const { name, value } of answers) {
    const key = name.trim().toLowerCase();
    if (key === 'full_name' || key === 'fullname') {
      const { firstName, lastName } = splitFullName(value);
      setField(fields, 'firstName', firstName, false);
      setField(fields, 'lastName', lastName, false);
      continue;
    }
    // Own entries only: an answer named `constructor` or `__proto__` must not find Object's members.
    const target = Object.hasOwn(standard, key) ? standard[key] : undefined;
    if (target) {
      setField(fields, target, value, !['email', 'phone'].includes(target) || !Object.hasOwn(fields, target));
      continue;
    }
    const customName = customFieldName(name);
    if (customName && custom < MAX_CUSTOM_FIELDS && !Object.hasOwn(fields, customName)) {
      setField(fields, customName, value);
      custom += 1;
    }
  }
  return fields;
}
