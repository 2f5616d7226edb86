import fc from 'fast-check';
import { useIdentityKey } from '../../functions/core/kernel/identity-key';

// One identity key for every test process and the stacks they start (in-process or `npm start` children).
process.env.LEADFLOW_IDENTITY_KEY ??= 'test-identity-key-0123456789abcdef-0123456789abcdef';
useIdentityKey(process.env.LEADFLOW_IDENTITY_KEY);

// Form answers are held to a floor (known and new addresses answer alike, 150 ms by default):
// off for the suites, which submit thousands of forms; test/integration/steady-capture.test.ts sets it.
process.env.LEADFLOW_CAPTURE_MIN_RESPONSE_MS ??= '0';

// Property tests draw the same inputs on every run, so CI is deterministic; a failure prints its
// seed and path. Explore other inputs with FC_SEED=<number> (or FC_SEED=random) npm test.
const seed = process.env.FC_SEED;
if (seed !== 'random') fc.configureGlobal({ seed: seed ? Number(seed) : 20_261_202 });
