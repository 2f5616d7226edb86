import { DynamoConfigStore } from '../adapters/dynamodb/config-store';
import { DynamoHandoffStore } from '../adapters/dynamodb/handoff-store';
import { DynamoLeadStore } from '../adapters/dynamodb/lead-store';
import { CachedNurtureConfigs } from '../adapters/dynamodb/nurture-configs';
import { SqsHotLeadQueue } from '../adapters/sqs/hot-lead-queue';
import type { SalesDeps } from '../core/handoff/sales';
import { dynamo } from './clients';
import { intEnv, requireEnv } from './env';
import { queueUrlEnv } from './routes';
import { sqs } from './sqs';

/** The hand-off ports every function that sends or claims hot leads shares. */
export function salesDeps(): SalesDeps {
  const tableName = requireEnv('LEADFLOW_TABLE_NAME');
  return {
    leads: new DynamoLeadStore(dynamo, tableName),
    handoffs: new DynamoHandoffStore(dynamo, tableName),
    queue: new SqsHotLeadQueue(sqs, requireEnv(queueUrlEnv('hot-leads'))),
    clock: { now: () => new Date() },
    claimWindowSeconds: intEnv('LEADFLOW_CLAIM_WINDOW_SECONDS', 1800),
    nurture: new CachedNurtureConfigs(
      new DynamoConfigStore(dynamo, tableName),
      intEnv('LEADFLOW_CONFIG_CACHE_SECONDS', 30) * 1000,
    ),
  };
}
