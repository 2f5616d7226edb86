import { resolve } from 'node:path';
import { startLocalStack } from '../functions/local/stack';
import { benchBundles } from './bundles';
import { benchCapture } from './capture';

/** `npm run bench`: not part of the tests; every figure is printed next to a baseline from this same run. */
process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
process.env.LEADFLOW_CONFIG_CACHE_SECONDS = '30';
const stack = await startLocalStack({
  apiPort: 0,
  dynamodbPort: 0,
  sqsPort: 0,
  sesPort: 0,
  configDir: resolve('config'),
  rateLimits: { perIpPerMinute: 1_000_000, perEmailPerMinute: 1_000 },
});
try {
  await benchCapture(stack);
} finally {
  await stack.stop();
}
if (process.env.BENCH_ONLY !== 'capture') await benchBundles();
