import { CachedFormCatalog } from '../../adapters/dynamodb/form-catalog';
import { DynamoFormCounters } from '../../adapters/dynamodb/form-counters';
import { DynamoRateLimiter } from '../../adapters/dynamodb/rate-limiter';
import type { CaptureDeps } from '../../core/capture/capture';
import { dynamo } from '../aws/dynamodb';
import { captureConfig, storeConfig } from '../config';
import { recordingWithImmediateHandoff } from './handoff';
import { tableName } from './kernel';

/** Form capture: active forms (cached), rate limits, counters, and recording with the immediate hand-off. */
export function captureDeps(): CaptureDeps {
  const record = recordingWithImmediateHandoff();
  return {
    ...record,
    forms: new CachedFormCatalog(record.config, storeConfig().configCacheMs),
    limiter: new DynamoRateLimiter(dynamo, tableName()),
    counters: new DynamoFormCounters(dynamo, tableName()),
    limits: captureConfig().limits,
  };
}
