import { type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { addOperationsAlarms, type OperationsAlarms, type OperationsAlarmsProps } from './alarms';
import { operationsDashboard } from './dashboard';
import { notifyOperators } from './operators-topic';
import { SesReputationPause } from './ses-pause';
import { resolveThresholds } from './thresholds';

export { addOperationsAlarms, type OperationsAlarms, type OperationsAlarmsProps } from './alarms';
export { BUSINESS_METRICS, operationsDashboard } from './dashboard';
export { notifyOperators, OperatorsTopic } from './operators-topic';
export { SesReputationPause } from './ses-pause';
export { OPERATIONS_DEFAULTS, type OperationsThresholds, resolveThresholds } from './thresholds';
export { TransactionalConfigurationSet } from './transactional-configuration-set';

export interface OperationsProps extends OperationsAlarmsProps {
  /** The name in `queues` of hot-leads.fifo, whose hand-offs the dashboard shows. @default 'hot-leads' */
  readonly handoffQueueName?: string;
  /** For the ses-pause function's log group. @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * Operations for a service stack, in one call (construct `Operations` in `scope`): the alarms
 * (addOperationsAlarms), the automatic pause of marketing sends on an SES reputation alarm
 * (SesReputationPause), the dashboard, and every other alarm of `scope`'s stack notifying the
 * operators topic (notifyOperators).
 */
export class Operations extends Construct {
  readonly alarms: OperationsAlarms;
  readonly sesPause: SesReputationPause;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const handoffQueueName = props.handoffQueueName ?? 'hot-leads';
    const handoffQueue = props.queues[handoffQueueName];
    if (!handoffQueue) {
      throw new Error(
        `Operations: queues has no "${handoffQueueName}" (the hand-off queue the dashboard shows); it has ${Object.keys(props.queues).join(', ') || 'none'}`,
      );
    }
    const thresholds = resolveThresholds(props.thresholds);

    this.alarms = addOperationsAlarms(new Construct(this, 'Alarms'), props);
    this.sesPause = new SesReputationPause(this, 'SesPause', {
      alarms: [this.alarms.sesBounceRate, this.alarms.sesComplaintRate],
      configurationSetName: props.sesConfigurationSetName,
      topic: props.topic,
      ...(props.logRemovalPolicy !== undefined && { logRemovalPolicy: props.logRemovalPolicy }),
    });
    this.dashboard = operationsDashboard(this, {
      functions: { ...props.functions, sesPause: this.sesPause.fn },
      api: props.api,
      table: props.table,
      queues: props.queues,
      handoffQueue,
      sesThresholdsPercent: {
        bounce: thresholds.sesBounceRatePercent,
        complaint: thresholds.sesComplaintRatePercent,
      },
      alarms: this.alarms.all,
    });
    notifyOperators(Stack.of(scope), props.topic);
  }
}
