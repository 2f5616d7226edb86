import { DynamoHandoffStore } from '../../adapters/dynamodb/handoff-store';
import { DynamoSlaMarks } from '../../adapters/dynamodb/sla-marks';
import type { SlaWatchDeps } from '../../core/handoff/sla-watch';
import { dynamo } from '../aws/dynamodb';
import { eventPublisher } from './integrations';
import { clock, tableName } from './kernel';

/** tick's SLA watcher: the open hand-offs, the marks on them, and the integrations feed's fan-out. */
export function slaWatchDeps(): SlaWatchDeps {
  return {
    handoffs: new DynamoHandoffStore(dynamo, tableName()),
    marks: new DynamoSlaMarks(dynamo, tableName()),
    publish: eventPublisher(),
    clock,
  };
}
