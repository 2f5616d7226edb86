import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { REPORT_SHARDS } from '../../functions/adapters/dynamodb/lead-item';
// The table's columns are the lines' keys, named once beside the code that writes them.
import { ARCHIVE_COLUMNS, ARCHIVE_PREFIX } from '../../functions/adapters/files/event-archive';
import { EVENTS_BUCKET_ENV } from '../../functions/shared/env-names';
import { bindBucket } from './bind';
import { resourceName, resourcePrefix } from './names';

export interface EventArchiveProps {
  /** Of the bucket (RETAIN keeps a bucket with events in it). @default RemovalPolicy.DESTROY */
  readonly removalPolicy?: RemovalPolicy;
  /** Days an archived event is kept (then deleted by the bucket's lifecycle). @default 730 */
  readonly keepDays?: number;
  /** The first day partition projection lists (no event is older). @default 2026-01-01 */
  readonly firstDay?: string;
}

/**
 * `leadflow-<stage>-events-<account>-<region>` (bucket names are global): the service stack finds
 * the bucket by this name (no cross-stack token), as it does the exports bucket.
 */
export function eventsBucketName(scope: Construct): string {
  return `${resourceName(scope, 'events')}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

const INTEGER_COLUMNS: ReadonlySet<string> = new Set(['score', 'handoff']);
/** What the pseudonymous columns are (an erase deletes the key: its lines stay, unlinkable). */
const COLUMN_COMMENTS: Readonly<Record<string, string>> = {
  event_id: 'HMAC-SHA256 of the timeline entry id under its lead’s archive key (32 hex)',
  lead_ref:
    'HMAC-SHA256 of the lead id under its lead’s archive key (32 hex): erasing the lead deletes the key',
};

/**
 * The raw event archive: every timeline entry the report aggregator counts, as gzipped JSON lines
 * in a private bucket (events/dt=YYYY-MM-DD/shard=<s>/seq=<n>.jsonl.gz), and a Glue database and
 * table over it for Athena. Partition projection on dt (a date, up to today) and shard (0 to
 * REPORT_SHARDS-1): no crawler, no partitions to add. After 90 days the objects move to
 * Infrequent Access; after `keepDays` they are deleted. Written by tick only (bindEventArchive).
 */
export class EventArchive extends Construct {
  readonly bucket: s3.Bucket;
  readonly database: glue.CfnDatabase;
  readonly table: glue.CfnTable;
  /** The Glue database's name (Athena: `<databaseName>.events`). */
  readonly databaseName: string;

  constructor(scope: Construct, id: string, props: EventArchiveProps = {}) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: eventsBucketName(this),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          id: 'events-age',
          prefix: ARCHIVE_PREFIX,
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) },
          ],
          expiration: Duration.days(props.keepDays ?? 730),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The events bucket is written by one function (tick, PutObject on events/* only) and read by analysts ' +
        'through Athena, which CloudTrail records; server access logs would add a second bucket of logs about ' +
        'logs without adding control.',
    });

    this.databaseName = resourcePrefix(this)
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_');
    const account = Stack.of(this).account;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: {
        name: this.databaseName,
        description: 'Leadflow: raw timeline events (JSON lines in the events bucket), for Athena',
      },
    });
    const location = `s3://${this.bucket.bucketName}/${ARCHIVE_PREFIX}`;
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: account,
      databaseName: this.databaseName,
      tableInput: {
        name: 'events',
        description: 'One row per timeline entry counted by the reports (see README, Events in S3)',
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [
          { name: 'dt', type: 'string', comment: 'UTC day of the entry (YYYY-MM-DD)' },
          { name: 'shard', type: 'int', comment: 'report shard of the lead' },
        ],
        parameters: {
          classification: 'json',
          EXTERNAL: 'TRUE',
          'projection.enabled': 'true',
          'projection.dt.type': 'date',
          'projection.dt.format': 'yyyy-MM-dd',
          'projection.dt.range': `${props.firstDay ?? '2026-01-01'},NOW`,
          'projection.dt.interval': '1',
          'projection.dt.interval.unit': 'DAYS',
          'projection.shard.type': 'integer',
          'projection.shard.range': `0,${REPORT_SHARDS - 1}`,
          'storage.location.template': `${location}dt=\${dt}/shard=\${shard}/`,
        },
        storageDescriptor: {
          location,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: {
            serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
            parameters: { 'ignore.malformed.json': 'true' },
          },
          columns: ARCHIVE_COLUMNS.map((name) => ({
            name,
            type: INTEGER_COLUMNS.has(name) ? 'int' : 'string',
            ...(COLUMN_COMMENTS[name] ? { comment: COLUMN_COMMENTS[name] } : {}),
          })),
        },
      },
    });
    this.table.addResourceDependency(this.database);
  }
}

/**
 * Binds a function to the archive in one call (bindBucket): LEADFLOW_EVENTS_BUCKET set to the
 * bucket, and s3:PutObject on events/* only (no read, list or delete: a rewrite of a batch is a put).
 */
export function bindEventArchive(fn: lambda.Function, bucket: s3.IBucket): void {
  bindBucket(fn, bucket, {
    variable: EVENTS_BUCKET_ENV,
    actions: ['PutObject'],
    prefix: ARCHIVE_PREFIX,
    keys: 'one object per UTC day, shard and batch the report aggregator counts',
  });
}
