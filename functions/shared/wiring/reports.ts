import { REPORT_SHARDS } from '../../adapters/dynamodb/lead-item';
import { DynamoReportCursors } from '../../adapters/dynamodb/report-cursors';
import { DynamoUnreportedEntries } from '../../adapters/dynamodb/report-entries';
import { DynamoRollupStore } from '../../adapters/dynamodb/report-rollups';
import { FolderEventArchive } from '../../adapters/files/event-archive';
import { S3EventArchive } from '../../adapters/s3/event-archive';
import type { AggregateOptions, AggregatorDeps } from '../../core/reports/aggregate';
import { isTimeZone } from '../../core/reports/days';
import { reportDefinitions } from '../../core/reports/definitions';
import { type EventArchive, noArchive } from '../../core/reports/ports';
import type { ReadReportDeps } from '../../core/reports/read';
import { dynamo } from '../aws/dynamodb';
import { s3 } from '../aws/s3';
import { eventArchiveConfig, reportsConfig, salesConfig } from '../config';
import { REPORT_TIME_ZONE_ENV } from '../env-names';
import { clock, tableName } from './kernel';

/** The account time zone reports count days in; an unknown zone fails the cold start with its name. */
export function reportTimeZone(): string {
  const { timeZone } = reportsConfig();
  if (!isTimeZone(timeZone))
    throw new Error(`${REPORT_TIME_ZONE_ENV}: "${timeZone}" is not an IANA time zone`);
  return timeZone;
}

export const definitions = () => reportDefinitions({ slaMinutes: salesConfig().slaMinutes });
export const rollupStore = () => new DynamoRollupStore(dynamo, tableName());

/**
 * Entries per batch: one cursor item holds a batch's increments (well under 400 KB at 100). Up to
 * 10 batches a shard a run (4,000 entries a minute), well inside tick's 60-second timeout.
 */
export const AGGREGATE_OPTIONS: AggregateOptions = { shards: REPORT_SHARDS, batchSize: 100, maxBatches: 10 };

/**
 * Where each counted batch of raw timeline entries is archived: the events bucket on AWS
 * (LEADFLOW_EVENTS_BUCKET, gzipped), the folder locally (LEADFLOW_EVENTS_DIR, `--events-dir`),
 * else nowhere.
 */
export function eventArchive(): EventArchive {
  const { bucket, dir } = eventArchiveConfig();
  if (bucket) return new S3EventArchive(s3, bucket);
  if (dir) return new FolderEventArchive(dir);
  return noArchive;
}

/** The aggregator's ports (tick). `archive`: where raw entries go besides (none unless configured). */
export function aggregatorDeps(archive: EventArchive = eventArchive()): AggregatorDeps {
  return {
    entries: new DynamoUnreportedEntries(dynamo, tableName()),
    cursors: new DynamoReportCursors(dynamo, tableName()),
    rollups: rollupStore(),
    archive,
    definitions: Object.values(definitions()),
    clock,
    timeZone: reportTimeZone(),
  };
}

/** What the reports API reads: rollup rows (Query) and the cursors' freshness (Query). */
export function reportReading(): ReadReportDeps {
  return { rollups: rollupStore(), definitions: definitions(), clock, timeZone: reportTimeZone() };
}
