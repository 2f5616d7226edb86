import { useIdentityKey } from '../core/kernel/identity-key';
import { identityKey } from './config';

/**
 * Sets the identity key at cold start: imported for its effect by every handler that derives a
 * lead id or a suppression key. On AWS CloudFormation resolves the key from Secrets Manager into
 * the function's (encrypted) environment at deploy time; locally `npm start` provides it.
 */
useIdentityKey(identityKey());
