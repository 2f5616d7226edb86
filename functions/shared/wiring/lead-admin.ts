import { hotLeadQueue } from './handoff';
import { clock, leadStore, suppressionStore } from './kernel';
import { deliveryStore } from './leads';

/**
 * Looking a lead up and erasing it (GDPR): the lead, its suppression and webhook deliveries, and
 * hot-leads for the erase event of a lead that was ever handed off. Apart from leads.ts, which
 * handoff.ts builds on.
 */
export function leadAdminDeps() {
  return {
    leads: leadStore(),
    suppressions: suppressionStore(),
    deliveries: deliveryStore(),
    handoffs: hotLeadQueue(),
    clock,
  };
}
