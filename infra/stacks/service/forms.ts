import { bindTable } from '../../constructs/bind';
import { LeadflowFunction } from '../../constructs/leadflow-function';
import type { ServiceContext } from './context';

/** Forms: the admin API of form versions (list, add, activate, the embed snippet). */
export function formFunctions({ stack, props, logRemovalPolicy }: ServiceContext) {
  const adminForms = new LeadflowFunction(stack, 'AdminForms', {
    entry: 'admin-forms',
    description: 'Leadflow: form versions (list, add, activate) and the embed snippet',
    logRemovalPolicy,
  });
  // Reads the token, the forms' index and versions and the active nurture config (double opt-in);
  // writes new versions and the active copy (PutItem), and the version's and index's activation (UpdateItem).
  bindTable(adminForms.function, props.table, { actions: ['GetItem', 'PutItem', 'Query', 'UpdateItem'] });
  return { adminForms };
}
