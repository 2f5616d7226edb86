import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startLocalStack } from '../functions/local/stack';
import { benchActivities } from './activities';
import { benchBundles } from './bundles';
import { benchCapture } from './capture';
import { benchCli } from './cli';
import { benchConsoleSize } from './console-size';
import { BENCH_EMULATORS, printBenchEnvironment } from './environment';
import { benchHandoff } from './handoff';
import { benchWebhooks } from './webhooks';

/**
 * `npm run bench`: not part of the tests; every figure is printed next to a baseline from this
 * same run. BENCH_ONLY=capture|activities|handoff|webhooks|nurture|cost|scoring|pages|leadlist|leadexport|import|reports|segments|bundles|cli|console runs one
 * part (or several, comma-separated).
 */
const only = process.env.BENCH_ONLY;
// First, so figures from different runs (and machines) can be compared.
printBenchEnvironment();
const wants = (part: string) => !only || only.split(',').includes(part);
process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
process.env.LEADFLOW_CONFIG_CACHE_SECONDS = '30';
// Throughput is the capture path's own: the floor that makes known and new addresses answer alike
// (150 ms by default) would only measure itself.
process.env.LEADFLOW_CAPTURE_MIN_RESPONSE_MS ??= '0';
if (wants('capture') || wants('activities') || wants('handoff') || wants('webhooks')) {
  // Bench-only webhook secrets (the Graph API is not called: the fetch queue is not drained here).
  process.env.META_APP_SECRET ??= 'bench-meta-secret';
  process.env.GOOGLE_ADS_WEBHOOK_KEY ??= 'bench-google-key';
  const stack = await startLocalStack({
    emulators: BENCH_EMULATORS,
    apiPort: 0,
    dynamodbPort: 0,
    sqsPort: 0,
    sesPort: 0,
    configDir: resolve('config'),
    rateLimits: { perIpPerMinute: 1_000_000, perEmailPerMinute: 1_000 },
    // No tick while these parts run: on AWS it is a function of its own (its CPU and its requests —
    // report rollups, publishing each timeline entry — are not the capture path's); here it would
    // share the process and be counted as the handlers' requests. The cost part meters tick.
    tickSeconds: 3600,
  });
  try {
    if (wants('capture')) await benchCapture(stack);
    if (wants('activities')) await benchActivities(stack);
    if (wants('handoff')) await benchHandoff(stack);
    if (wants('webhooks')) await benchWebhooks(stack);
  } finally {
    await stack.stop();
  }
}
if (wants('nurture')) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'bench/nurture.ts'], { stdio: 'inherit' });
  if (child.status !== 0) throw new Error(`bench/nurture.ts exited with ${child.status}`);
}
if (wants('cost')) {
  // Its own process and emulators, like nurture; the handlers as on AWS (INFO logs, the capture floor).
  const { LEADFLOW_CAPTURE_MIN_RESPONSE_MS: _floor, POWERTOOLS_LOG_LEVEL: _level, ...env } = process.env;
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'bench/cost.ts'], { stdio: 'inherit', env });
  if (child.status !== 0) throw new Error(`bench/cost.ts exited with ${child.status}`);
}
if (wants('scoring')) {
  const { benchScoring } = await import('./scoring');
  await benchScoring();
}
if (wants('pages')) {
  const { benchLeadPages } = await import('./lead-pages');
  await benchLeadPages();
}
if (wants('leadlist')) {
  const { benchLeadList } = await import('./lead-list');
  await benchLeadList();
}
if (wants('leadexport')) {
  const { benchLeadExport } = await import('./lead-export');
  await benchLeadExport();
}
if (wants('reports')) {
  const { benchReports } = await import('./reports');
  await benchReports();
}
if (wants('segments')) {
  const { benchSegments } = await import('./segments');
  await benchSegments();
}
if (wants('import')) {
  const { benchLeadImport } = await import('./lead-import');
  await benchLeadImport();
}
if (wants('bundles')) await benchBundles();
if (wants('cli')) benchCli();
if (wants('console')) await benchConsoleSize();
