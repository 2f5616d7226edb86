import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The Cognito groups a person can be in (one each here), as the user pool defines them. */
export const PERSON_GROUPS = ['marketing', 'sales', 'sales-manager', 'admin'] as const;
export type PersonGroup = (typeof PERSON_GROUPS)[number];

export interface LocalUser {
  username: string;
  password: string;
  name: string;
  email: string;
  group: PersonGroup;
}

/** The people of the local stack: a marketer, two sales reps, a sales manager and an admin. */
const PEOPLE: readonly Omit<LocalUser, 'password'>[] = [
  { username: 'maya', name: 'Maya Lindqvist', email: 'maya@example.com', group: 'marketing' },
  { username: 'ravi', name: 'Ravi Patel', email: 'ravi@example.com', group: 'sales' },
  { username: 'sofia', name: 'Sofia Reyes', email: 'sofia@example.com', group: 'sales' },
  { username: 'mia', name: 'Mia Okafor', email: 'mia@example.com', group: 'sales-manager' },
  { username: 'alex', name: 'Alex Novak', email: 'alex@example.com', group: 'admin' },
];

const PASSWORDS_FILE = 'oidc-passwords.json';

/**
 * The seeded people with their passwords: new random ones at every start, or, with a data dir,
 * the ones kept in `<dataDir>/oidc-passwords.json` (written on the first start, owner-only).
 */
export async function seededUsers(dataDir?: string): Promise<LocalUser[]> {
  const kept = dataDir ? await readPasswords(join(dataDir, PASSWORDS_FILE)) : {};
  const users = PEOPLE.map((person) => ({
    ...person,
    password: kept[person.username] ?? randomBytes(12).toString('base64url'),
  }));
  if (dataDir && users.some((u) => kept[u.username] !== u.password)) {
    await mkdir(dataDir, { recursive: true });
    const passwords = Object.fromEntries(users.map((u) => [u.username, u.password]));
    await writeFile(join(dataDir, PASSWORDS_FILE), `${JSON.stringify(passwords, null, 2)}\n`, {
      mode: 0o600,
    });
  }
  return users;
}

async function readPasswords(file: string): Promise<Record<string, string>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(
      Object.entries(parsed).filter(
        (e): e is [string, string] => typeof e[1] === 'string' && e[1].length >= 12,
      ),
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** The user whose user name or email and password these are (compared in constant time). */
export function signIn(users: readonly LocalUser[], login: string, password: string): LocalUser | undefined {
  const wanted = login.trim().toLowerCase();
  const user = users.find((u) => u.username === wanted || u.email === wanted);
  const matches = timingSafeEqual(
    digest(user?.password ?? randomBytes(16).toString('hex')),
    digest(password),
  );
  return user && matches ? user : undefined;
}
