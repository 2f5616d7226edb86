import { REPORT_TIME_ZONE_ENV } from '../../../functions/shared/env-names';
import { bindTable } from '../../constructs/bind';
import { LeadflowFunction } from '../../constructs/leadflow-function';
import type { ServiceContext } from './context';
import { reportTimeZone } from './reports';

/** Forms: the admin API of form versions (list, add, activate, the embed snippet). */
export function formFunctions({ stack, props, logRemovalPolicy }: ServiceContext) {
  const adminForms = new LeadflowFunction(stack, 'AdminForms', {
    entry: 'admin-forms',
    description: 'Leadflow: form versions (list, add, activate) and the embed snippet',
    logRemovalPolicy,
    // The forms list counts each form's submissions of the last 7 days in the reports' time zone.
    environment: { [REPORT_TIME_ZONE_ENV]: reportTimeZone(props.reportTimeZone) },
  });
  // Reads the token, the forms' index and versions, the active nurture config (double opt-in) and the
  // sources report's rollup rows of the last 7 days (Query);
  // writes new versions and the active copy (PutItem), and the version's and index's activation (UpdateItem).
  bindTable(adminForms.function, props.table, { actions: ['GetItem', 'PutItem', 'Query', 'UpdateItem'] });
  return { adminForms };
}
