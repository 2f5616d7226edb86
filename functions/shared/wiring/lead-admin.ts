import { DynamoExportStore } from '../../adapters/dynamodb/export-store';
import { DynamoLeadList } from '../../adapters/dynamodb/lead-list';
import { CachedScoringModels } from '../../adapters/dynamodb/scoring-models';
import { withdrawExports } from '../../core/leads/lead-export-job';
import { dynamo } from '../aws/dynamodb';
import { storeConfig } from '../config';
import { hotLeadQueue } from './handoff';
import { clock, configStore, leadStore, suppressionStore, tableName } from './kernel';
import { exportFiles } from './lead-exports';
import { deliveryStore } from './leads';

/**
 * Looking a lead up, the lead list and its export (the list indexes), notes, and erasing a lead
 * (GDPR): the lead, its suppression and webhook deliveries, hot-leads for the erase event of a
 * lead that was ever handed off, and the recent background exports' files. Apart from leads.ts, which handoff.ts builds on.
 */
export function leadAdminDeps() {
  const files = exportFiles();
  return {
    leads: leadStore(),
    list: new DynamoLeadList(dynamo, tableName()),
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
    clock,
  };
}
