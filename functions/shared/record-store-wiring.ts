import { DynamoConfigStore } from '../adapters/dynamodb/config-store';
import { DynamoLeadStore } from '../adapters/dynamodb/lead-store';
import { CachedNurtureConfigs } from '../adapters/dynamodb/nurture-configs';
import { CachedScoringModels } from '../adapters/dynamodb/scoring-models';
import type { RecordDeps } from '../core/leads/record-activity';
import { dynamo } from './clients';
import { intEnv, requireEnv } from './env';

/**
 * Recording activities on leads without sending hand-offs: the lead store, the active scoring
 * model and nurture config (cached per container) and a clock. A lead one of these activities
 * makes hot keeps its pending hand-off in the lead item (the outbox); tick sends it within a
 * minute. Kept apart from record-wiring.ts so such a function bundles no SQS client.
 */
export function recordStoreDeps(): RecordDeps & { config: DynamoConfigStore; leads: DynamoLeadStore } {
  const tableName = requireEnv('LEADFLOW_TABLE_NAME');
  const config = new DynamoConfigStore(dynamo, tableName);
  const cacheMs = intEnv('LEADFLOW_CONFIG_CACHE_SECONDS', 30) * 1000;
  return {
    config,
    leads: new DynamoLeadStore(dynamo, tableName),
    models: new CachedScoringModels(config, cacheMs),
    nurture: new CachedNurtureConfigs(config, cacheMs),
    clock: { now: () => new Date() },
  };
}
