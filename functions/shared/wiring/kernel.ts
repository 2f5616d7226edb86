import { DynamoConfigStore } from '../../adapters/dynamodb/config-store';
import { DynamoLeadStore } from '../../adapters/dynamodb/lead-store';
import { DynamoSegmentFacts } from '../../adapters/dynamodb/segment-facts';
import { DynamoSuppressionStore } from '../../adapters/dynamodb/suppression-store';
import { DynamoTokenStore } from '../../adapters/dynamodb/token-store';
import type { Clock } from '../../core/kernel/clock';
import { dynamo } from '../aws/dynamodb';
import { storeConfig } from '../config';

/** What every context shares: the table's stores, API tokens and the wall clock. */
export const clock: Clock = { now: () => new Date() };

export const tableName = () => storeConfig().tableName;
export const configStore = () => new DynamoConfigStore(dynamo, tableName());
export const tokenStore = () => new DynamoTokenStore(dynamo, tableName());
export const leadStore = () => new DynamoLeadStore(dynamo, tableName());
export const suppressionStore = () => new DynamoSuppressionStore(dynamo, tableName());
/** Every lead's segment facts (the segment facts index): what segment counts read. */
export const segmentFacts = () => new DynamoSegmentFacts(dynamo, tableName());
