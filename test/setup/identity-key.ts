import { useIdentityKey } from '../../functions/core/identity-key';

// One identity key for every test process and the stacks they start (in-process or `npm start` children).
process.env.LEADFLOW_IDENTITY_KEY ??= 'test-identity-key-0123456789abcdef-0123456789abcdef';
useIdentityKey(process.env.LEADFLOW_IDENTITY_KEY);
