import { DynamoHandoffStore } from '../../adapters/dynamodb/handoff-store';
import { SqsHotLeadQueue } from '../../adapters/sqs/hot-lead-queue';
import { type ClaimDeps, type SalesDeps, sendHandoff } from '../../core/handoff/sales';
import { dynamo } from '../aws/dynamodb';
import { sqs } from '../aws/sqs';
import { handoffConfig, queueUrl } from '../config';
import { count } from '../observability/metrics';
import { signingSecrets } from '../signing-secrets';
import { clock, leadStore, tableName } from './kernel';
import { activeNurture, type LeadRecording, recordingWithHandoffByTick } from './leads';

export const hotLeadQueue = () => new SqsHotLeadQueue(sqs, queueUrl('hot-leads'));

/** The hand-off ports every function that sends or claims hot leads shares. */
export function salesDeps(): SalesDeps {
  return {
    leads: leadStore(),
    handoffs: new DynamoHandoffStore(dynamo, tableName()),
    queue: hotLeadQueue(),
    clock,
    claimWindowSeconds: handoffConfig().claimWindowSeconds,
    nurture: activeNurture(),
  };
}

/**
 * Claims: the hand-off ports, and claim tokens signed with a key derived from the ring's current
 * signing key and checked against every key of the ring (read again after the secrets TTL), so a
 * key roll keeps the claims reps hold.
 */
export function claimDeps(): ClaimDeps {
  return { ...salesDeps(), claimKeys: async () => (await signingSecrets()).unsubscribeKeys };
}

/** Recording activities on leads, sending the hand-off the moment a lead turns hot (tick retries a failure). */
export function recordingWithImmediateHandoff(): LeadRecording {
  const sales = salesDeps();
  return {
    ...recordingWithHandoffByTick(),
    sendHandoff: async (lead) => {
      const sent = await sendHandoff(sales, lead);
      if (sent) count('HandoffsSent');
      return sent;
    },
  };
}
