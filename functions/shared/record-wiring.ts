import { DynamoConfigStore } from '../adapters/dynamodb/config-store';
import { DynamoLeadStore } from '../adapters/dynamodb/lead-store';
import { CachedNurtureConfigs } from '../adapters/dynamodb/nurture-configs';
import { CachedScoringModels } from '../adapters/dynamodb/scoring-models';
import { sendHandoff } from '../core/handoff/sales';
import type { RecordDeps } from '../core/record-activity';
import { dynamo } from './clients';
import { intEnv, requireEnv } from './env';
import { salesDeps } from './sales-wiring';

/**
 * What every path that records activities on leads needs: the lead store, the active scoring
 * model and nurture config (cached per container), a clock, and the immediate hand-off send.
 */
export function recordDeps(): RecordDeps & { config: DynamoConfigStore; leads: DynamoLeadStore } {
  const tableName = requireEnv('LEADFLOW_TABLE_NAME');
  const config = new DynamoConfigStore(dynamo, tableName);
  const cacheMs = intEnv('LEADFLOW_CONFIG_CACHE_SECONDS', 30) * 1000;
  const sales = salesDeps();
  return {
    config,
    leads: new DynamoLeadStore(dynamo, tableName),
    models: new CachedScoringModels(config, cacheMs),
    nurture: new CachedNurtureConfigs(config, cacheMs),
    clock: { now: () => new Date() },
    sendHandoff: (lead) => sendHandoff(sales, lead),
  };
}
