import { DynamoRescoreJobs } from '../../adapters/dynamodb/rescore-jobs';
import { CachedScoringModels, SCORING_MODEL_ID } from '../../adapters/dynamodb/scoring-models';
import { SqsRescoreQueue } from '../../adapters/sqs/rescore-queue';
import type { ScoringModel } from '../../core/scoring/model-schema';
import type { RescorePorts } from '../../core/scoring/rescore-job';
import { dynamo } from '../aws/dynamodb';
import { sqs } from '../aws/sqs';
import { queueUrl } from '../config';
import { clock, configStore, leadStore, tableName } from './kernel';
import { activeNurture } from './leads';

/** What the scoring admin and the rescore worker share: stores, the job queue, model versions. */
export function scoringPorts() {
  const config = configStore();
  const queue = new SqsRescoreQueue(sqs, queueUrl('rescore-jobs'));
  const ports: RescorePorts = {
    leads: leadStore(),
    jobs: new DynamoRescoreJobs(dynamo, tableName()),
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
    clock,
    nurture: activeNurture(config),
  };
  // No cache for the admin: it sees what is active right now.
  return {
    ports,
    versions: config.versionsOf<ScoringModel>('scoring', SCORING_MODEL_ID),
    models: new CachedScoringModels(config, 0),
  };
}
