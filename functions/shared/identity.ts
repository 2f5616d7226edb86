import { useIdentityKey } from '../core/kernel/identity-key';
import { requireEnv } from './env';
import { IDENTITY_KEY_ENV } from './env-names';

/**
 * Sets the identity key at cold start: imported for its effect by every handler that derives a
 * lead id or a suppression key. On AWS CloudFormation resolves the key from Secrets Manager into
 * the function's (encrypted) environment at deploy time; locally `npm start` provides it.
 */
useIdentityKey(requireEnv(IDENTITY_KEY_ENV));
