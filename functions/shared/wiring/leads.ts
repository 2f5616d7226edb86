import type { DynamoConfigStore } from '../../adapters/dynamodb/config-store';
import { DynamoDeliveryStore } from '../../adapters/dynamodb/delivery-store';
import type { DynamoLeadStore } from '../../adapters/dynamodb/lead-store';
import { CachedNurtureConfigs } from '../../adapters/dynamodb/nurture-configs';
import { CachedScoringModels } from '../../adapters/dynamodb/scoring-models';
import type { RecordDeps } from '../../core/leads/record-activity';
import { dynamo } from '../aws/dynamodb';
import { storeConfig } from '../config';
import { clock, configStore, leadStore, tableName } from './kernel';

export type LeadRecording = RecordDeps & { config: DynamoConfigStore; leads: DynamoLeadStore };

/**
 * Recording activities on leads, with the hand-off of a lead that turns hot left to tick: the
 * pending hand-off stays in the lead item (the outbox) and tick sends it within a minute. No SQS
 * client comes along; handoff.ts's `recordingWithImmediateHandoff` sends at once instead.
 */
export function recordingWithHandoffByTick(): LeadRecording {
  const config = configStore();
  const { configCacheMs } = storeConfig();
  return {
    config,
    leads: leadStore(),
    models: new CachedScoringModels(config, configCacheMs),
    nurture: new CachedNurtureConfigs(config, configCacheMs),
    clock,
  };
}

/** The active nurture config, cached like every active config. */
export const activeNurture = (config = configStore()) =>
  new CachedNurtureConfigs(config, storeConfig().configCacheMs);

/** Webhook deliveries kept per lead (erased with it). */
export const deliveryStore = () => new DynamoDeliveryStore(dynamo, tableName());
