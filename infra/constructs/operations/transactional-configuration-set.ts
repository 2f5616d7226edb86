import * as ses from 'aws-cdk-lib/aws-ses';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { SES_EVENTS } from '../ses-events';

export interface TransactionalConfigurationSetProps {
  /** @default 'leadflow-transactional' */
  readonly configurationSetName?: string;
  /** The ses-events topic the marketing set publishes to: bounces and complaints suppress whichever set sent. */
  readonly sesEventsTopic: sns.ITopic;
}

/**
 * A second SES configuration set for mail a person asked for (double opt-in confirmations), so that
 * pausing the marketing set after a reputation alarm keeps it flowing. It publishes the same events
 * to the same ses-events topic, so its bounces and complaints suppress addresses like any other;
 * the event destination adds the topic-policy statement for this set's ARN itself.
 *
 * Created in the stack that owns the ses-events topic (the policy statement lands on that topic).
 */
export class TransactionalConfigurationSet extends Construct {
  readonly configurationSet: ses.ConfigurationSet;

  constructor(scope: Construct, id: string, props: TransactionalConfigurationSetProps) {
    super(scope, id);
    const name = props.configurationSetName ?? 'leadflow-transactional';
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
      throw new Error(
        `TransactionalConfigurationSet configurationSetName must be 1 to 64 letters, digits, _ or -, got "${name}"`,
      );
    }
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: name,
    });
    new ses.ConfigurationSetEventDestination(this, 'EventDestination', {
      configurationSet: this.configurationSet,
      configurationSetEventDestinationName: 'ses-events',
      destination: ses.EventDestination.snsTopic(props.sesEventsTopic),
      events: [...SES_EVENTS],
    });
  }
}
