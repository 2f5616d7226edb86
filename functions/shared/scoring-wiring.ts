import { DynamoConfigStore } from '../adapters/dynamodb/config-store';
import { DynamoLeadStore } from '../adapters/dynamodb/lead-store';
import { CachedNurtureConfigs } from '../adapters/dynamodb/nurture-configs';
import { DynamoRescoreJobs } from '../adapters/dynamodb/rescore-jobs';
import { SCORING_MODEL_ID } from '../adapters/dynamodb/scoring-models';
import { SqsRescoreQueue } from '../adapters/sqs/rescore-queue';
import type { ScoringModel } from '../core/scoring/model-schema';
import type { RescorePorts } from '../core/scoring/rescore-job';
import { dynamo } from './clients';
import { intEnv, requireEnv } from './env';
import { queueUrlEnv } from './routes';
import { sqs } from './sqs';

/** What the scoring admin and the rescore worker share: stores, the job queue, model versions. */
export function scoringPorts() {
  const tableName = requireEnv('LEADFLOW_TABLE_NAME');
  const config = new DynamoConfigStore(dynamo, tableName);
  const queue = new SqsRescoreQueue(sqs, requireEnv(queueUrlEnv('rescore-jobs')));
  const ports: RescorePorts = {
    leads: new DynamoLeadStore(dynamo, tableName),
    jobs: new DynamoRescoreJobs(dynamo, tableName),
    requestPage: (version, cursor) => queue.requestPage(version, cursor),
    models: {
      async version(version) {
        const stored = await config.version('scoring', SCORING_MODEL_ID, version);
        return stored ? { model: stored.document as ScoringModel, version } : undefined;
      },
      async activeVersion() {
        return (await config.active('scoring', SCORING_MODEL_ID))?.version;
      },
    },
    clock: { now: () => new Date() },
    nurture: new CachedNurtureConfigs(config, intEnv('LEADFLOW_CONFIG_CACHE_SECONDS', 30) * 1000),
  };
  return { ports, config };
}
