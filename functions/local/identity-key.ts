import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The local identity key (lead ids, suppression keys): LEADFLOW_IDENTITY_KEY when set; with
 * `--data DIR`, the key kept in DIR (made once: the data there was keyed with it); else a fresh
 * one per start, like the in-memory data it keys.
 */
export async function localIdentityKey(dataDir: string | undefined): Promise<string> {
  const given = process.env.LEADFLOW_IDENTITY_KEY;
  if (given) return given;
  if (!dataDir) return randomBytes(32).toString('base64url');
  const file = join(dataDir, 'identity.key');
  const kept = await readFile(file, 'utf8').catch(() => undefined);
  if (kept) return kept.trim();
  const made = randomBytes(32).toString('base64url');
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, made, { mode: 0o600, flag: 'wx' });
  return made;
}
