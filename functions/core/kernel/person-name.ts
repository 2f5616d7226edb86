/** A person's profile attributes as an identity provider keeps them (OpenID Connect standard claim names). */
export type PersonAttributes = Readonly<Record<string, string | undefined>>;

/** Control and format characters, which a name shown in the timeline never needs. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
const MAX_NAME = 200;

const tidy = (text: string | undefined) =>
  (text ?? '').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim().slice(0, MAX_NAME);

/**
 * The name a person's changes are recorded under (`by.name`).
 *
 * Input: the person's attributes and user name. Output: a non-empty name, at most 200 characters.
 * 1. The full `name`, when it holds more than spaces.
 * 2. Else `given_name` and `family_name`, whichever are there, joined by a space.
 * 3. Else the user name: a person is never recorded as nobody.
 */
export function personName(attributes: PersonAttributes, username: string): string {
  const full = tidy(attributes.name);
  if (full) return full;
  const parts = tidy([attributes.given_name, attributes.family_name].map(tidy).filter(Boolean).join(' '));
  return parts || tidy(username) || 'unknown';
}
