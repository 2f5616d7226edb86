import type { DynamoConfigStore } from '../adapters/dynamodb/config-store';
import type { DynamoLeadStore } from '../adapters/dynamodb/lead-store';
import { sendHandoff } from '../core/handoff/sales';
import type { RecordDeps } from '../core/leads/record-activity';
import { recordStoreDeps } from './record-store-wiring';
import { salesDeps } from './sales-wiring';

/**
 * What every path that records activities on leads needs: the lead store, the active scoring
 * model and nurture config (cached per container), a clock, and the immediate hand-off send.
 */
export function recordDeps(): RecordDeps & { config: DynamoConfigStore; leads: DynamoLeadStore } {
  const sales = salesDeps();
  return { ...recordStoreDeps(), sendHandoff: (lead) => sendHandoff(sales, lead) };
}
