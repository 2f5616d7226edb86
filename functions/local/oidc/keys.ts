import { generateKeyPairSync, type JsonWebKey, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ProviderKeys {
  /** The RS256 private signing key, as a JWK with its kid (the provider publishes the public part). */
  signing: JsonWebKey & { kid: string; alg: 'RS256'; use: 'sig' };
  /** Keys that sign the provider's cookies. */
  cookies: string[];
}

const KEYS_FILE = 'oidc-keys.json';

/**
 * The provider's keys: new ones at every start, or, with a data dir, the ones kept in
 * `<dataDir>/oidc-keys.json` (so access tokens issued before a restart still verify after it).
 */
export async function providerKeys(dataDir?: string): Promise<ProviderKeys> {
  if (dataDir) {
    const kept = await readKeys(join(dataDir, KEYS_FILE));
    if (kept) return kept;
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keys: ProviderKeys = {
    signing: {
      ...privateKey.export({ format: 'jwk' }),
      kid: randomBytes(8).toString('hex'),
      alg: 'RS256',
      use: 'sig',
    },
    cookies: [randomBytes(32).toString('base64url')],
  };
  if (dataDir) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, KEYS_FILE), `${JSON.stringify(keys)}\n`, { mode: 0o600 });
  }
  return keys;
}

async function readKeys(file: string): Promise<ProviderKeys | undefined> {
  try {
    const keys = JSON.parse(await readFile(file, 'utf8')) as ProviderKeys;
    return keys.signing?.kty === 'RSA' && keys.signing.d && keys.cookies?.length ? keys : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
