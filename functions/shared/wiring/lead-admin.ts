import { DynamoExportStore } from '../../adapters/dynamodb/export-store';
import { CachedScoringModels } from '../../adapters/dynamodb/scoring-models';
import { withdrawExports } from '../../core/leads/lead-export-job';
import { dynamo } from '../aws/dynamodb';
import { storeConfig } from '../config';
import { hotLeadQueue } from './handoff';
import { erasedEvent, eventPublisher } from './integrations';
import { clock, configStore, leadStore, suppressionStore, tableName } from './kernel';
import { exportFiles, segmentedLeadList } from './lead-exports';
import { deliveryStore } from './leads';

/**
 * Looking a lead up, the lead list and its export (the list indexes), notes, and erasing a lead
 * (GDPR): the lead, its suppression and webhook deliveries, hot-leads for the erase event of a
 * lead that was ever handed off, and the recent background exports' files. Apart from leads.ts, which handoff.ts builds on.
 */
export function leadAdminDeps() {
  const files = exportFiles();
  const publish = eventPublisher();
  return {
    leads: leadStore(),
    // `segment=<id>`: the active nurture config's saved segment, evaluated on the lead pages.
    list: segmentedLeadList(),
    suppressions: suppressionStore(),
    // The lead page's path to hot: the active model, cached like capture's.
    models: new CachedScoringModels(configStore(), storeConfig().configCacheMs),
    deliveries: deliveryStore(),
    handoffs: hotLeadQueue(),
    // An erase withdraws the recent background exports (their files may list the person).
    exports: {
      withdrawAll: () =>
        withdrawExports({ exports: new DynamoExportStore(dynamo, tableName()), files, clock }),
    },
    // lead.erased to the webhook endpoints and connectors that take it.
    integrations: { erased: (leadId: string, since: string) => publish(erasedEvent(leadId, since)) },
    clock,
  };
}
