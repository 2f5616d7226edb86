import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { LeadflowQueue } from '../constructs/leadflow-queue';
import { CONSUMER_TIMEOUT } from './consumer-timeouts';

export interface StatefulStackProps extends StackProps {
  /**
   * Keep the data when the stack or the table is removed: deletion protection on and RETAIN.
   * Off only for throwaway (dev) deployments.
   */
  readonly protectData: boolean;
}

/**
 * What outlives deployments: the single table (leads, activities, config, tokens, ...) and the
 * queues, whose messages must survive a redeploy of the functions.
 */
export class StatefulStack extends Stack {
  readonly table: dynamodb.Table;
  /** One message per page of leads to rescore after a scoring model is activated. */
  readonly rescoreQueue: LeadflowQueue;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // Set for AWS housekeeping only: readers check expiry themselves (DynamoDB deletes late,
      // and the local emulator has no TTL at all).
      timeToLiveAttribute: 'expiresAt',
      deletionProtection: props.protectData,
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // Sparse: only items that set gsi1pk (due enrollments, pending handoffs) are indexed.
    this.table.addGlobalSecondaryIndex({
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });

    this.rescoreQueue = new LeadflowQueue(this, 'RescoreJobs', {
      consumerTimeout: CONSUMER_TIMEOUT['rescore-jobs'],
    });

    // The token CLI works against the table directly, so operators need its name.
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'Leadflow DynamoDB table' });
  }
}
