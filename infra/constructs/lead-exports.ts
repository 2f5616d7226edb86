import { Aws, Duration, RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { IMPORTS_PREFIX } from '../../functions/adapters/s3/import-bucket';
// The same 7 days as the export job's TTL, from the one place that says it.
import { EXPORT_KEPT_DAYS } from '../../functions/core/leads/lead-export-job';
import { CONSUMER_TIMEOUT } from '../stacks/consumer-timeouts';
import { LeadflowQueue } from './leadflow-queue';
import { resourceName } from './names';

/**
 * `leadflow-<stage>-exports-<account>-<region>`: bucket names are global. The service stack finds the
 * bucket by this name (no cross-stack token), so the grant on its objects is a name cdk-nag can show.
 */
export function exportBucketName(scope: Construct): string {
  return `${resourceName(scope, 'exports')}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
}

/**
 * Where the presigned upload links of import files point (the SDK's virtual-hosted S3 endpoint,
 * `https://<bucket>.s3.<region>.amazonaws.com`): the console's CSP lets the browser PUT there.
 */
export function importUploadOrigin(bucketName: string): string {
  return `https://${bucketName}.s3.${Aws.REGION}.${Aws.URL_SUFFIX}`;
}

export interface LeadExportsProps {
  /** The console's origin: the one browsers may PUT import files from (presigned). None: no CORS. */
  readonly uploadOrigin?: string;
  /** Of the queue and the bucket (RETAIN keeps a bucket with files in it). @default RemovalPolicy.DESTROY */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Large lead exports in the background: the lead-exports queue the worker consumes (with its DLQ),
 * and the private bucket the CSV files go to, each deleted after 7 days. No public access, TLS only,
 * SSE-S3; people download through 15-minute presigned GETs the API hands out.
 */
export class LeadExports extends Construct {
  readonly queue: LeadflowQueue;
  /** lead-imports: one message per page of a CSV import; the files go under `imports/` of the same bucket. */
  readonly importQueue: LeadflowQueue;
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: LeadExportsProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
    this.queue = new LeadflowQueue(this, 'Queue', {
      name: 'lead-exports',
      removalPolicy,
      consumerTimeout: CONSUMER_TIMEOUT['lead-exports'],
      // The worker marks a failed export failed; its redelivery finds it so and stops.
      maxReceiveCount: 3,
    });
    this.importQueue = new LeadflowQueue(this, 'ImportQueue', {
      name: 'lead-imports',
      removalPolicy,
      consumerTimeout: CONSUMER_TIMEOUT['lead-imports'],
      // A page that keeps failing (a store error) lands on the DLQ and the alarm tells operators;
      // redriven, it resumes from the page's row (rows are idempotent, counts are per page).
      maxReceiveCount: 5,
    });
    // Imports share this bucket under `imports/` (one private, TLS-only, encrypted bucket for lead
    // files; grants and the shorter lifecycle rule are scoped to the prefix).
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: exportBucketName(this),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          id: 'exports-expire',
          expiration: Duration.days(EXPORT_KEPT_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        // An uploaded CSV holds people's data: gone a day after upload if no import deleted it first.
        { id: 'imports-expire', prefix: IMPORTS_PREFIX, expiration: Duration.days(1) },
      ],
      ...(props.uploadOrigin !== undefined && {
        cors: [
          {
            allowedOrigins: [
              Token.isUnresolved(props.uploadOrigin)
                ? props.uploadOrigin
                : new URL(props.uploadOrigin).origin,
            ],
            allowedMethods: [s3.HttpMethods.PUT],
            allowedHeaders: ['content-type'],
            maxAge: 600,
          },
        ],
      }),
      removalPolicy,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Lead exports live 7 days and are written by one function and read only through presigned links the API ' +
        'hands to the person who asked (its logs record each export started and served); server access logs ' +
        'would keep a second, longer-lived copy of who downloaded which file without adding control.',
    });
  }
}
