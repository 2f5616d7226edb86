import type { Role, Session } from './auth';

/** What a person may do in the console, by role; the API checks the same rights on every call. */
export function rights(session: Pick<Session, 'roles'> | null) {
  const has = (role: Role) => session?.roles.includes(role) ?? false;
  const admin = has('admin');
  const manager = has('sales-manager') || admin;
  const sales = has('sales') || manager;
  const marketing = has('marketing') || admin;
  return {
    /** The Leads list and lead pages in the navigation (sales open lead pages from the inbox). */
    leads: marketing,
    viewLead: marketing || sales,
    inbox: sales,
    team: manager,
    /** Reports (funnel, sources, email, sales, scoring model): marketing and sales managers. */
    reports: marketing || manager,
    note: marketing || sales,
    enroll: marketing,
    /** CSV lead import (the import API's people: marketing and admins). */
    importLeads: marketing,
    /** Broadcasts: list, create, schedule, cancel, results (marketing and admins). */
    broadcasts: marketing,
    /** Segments: list with counts, edit with a live count, save as a version and activate (marketing and admins). */
    segments: marketing,
    /** Sequences: numbers, timeline, edit (form or YAML), diff, activate, preview (marketing and admins). */
    sequences: marketing,
    /** Templates: edit, preview, proof, save and activate (marketing and admins). */
    templates: marketing,
    /** Forms: list, fields and rules, origins, thank-you URL, double opt-in, save and activate, embed snippet (marketing and admins). */
    forms: marketing,
    /** Scoring: the model's rules, simulate, backtest, save and activate with the rescore (marketing and admins). */
    scoring: marketing,
    /** Integrations: outbound webhook endpoints, their secrets and delivery logs (admins only). */
    integrations: admin,
    unsubscribe: marketing,
    erase: admin,
  };
}
export type Rights = ReturnType<typeof rights>;

export const ROLE_LABELS: Record<Role, string> = {
  marketing: 'Marketing',
  sales: 'Sales',
  'sales-manager': 'Sales manager',
  admin: 'Admin',
};
