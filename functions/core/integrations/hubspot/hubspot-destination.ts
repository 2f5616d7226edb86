import type { LeadState, SalesOutcome } from '../../leads/lead';
import type { DeliveryResult, Destination } from '../destination';
import type { EventType, IntegrationEvent, LeadAtDelivery } from '../events';
import { nothingToSend } from '../http-reply';
import { contactProperties, taskProperties } from './mapping';
import type { ContactLinks, HubspotApi, HubspotSettings } from './ports';
import { existingIdOf, hubspotFailure, idOf, isOk } from './results';

const ACCEPTED: ReadonlySet<EventType> = new Set(['lead.hot', 'lead.outcome', 'lead.erased']);
type Step = { ok: true; id: string; latencyMs: number } | { ok: false; result: DeliveryResult };

/**
 * The HubSpot CRM push: a hot lead becomes or updates a contact (matched by email) with a task for
 * its owner; an outcome moves the contact's lifecycle stage; an erase GDPR-deletes the contact.
 * Each call is safe to repeat: the contact is found again by link or email, a task is made once
 * per event (recorded after HubSpot made it), and a GDPR delete of a gone contact is done.
 */
export class HubspotDestination implements Destination {
  readonly id = 'hubspot';
  readonly kind = 'hubspot' as const;

  constructor(
    private readonly api: HubspotApi,
    private readonly links: ContactLinks,
    private readonly settings: HubspotSettings,
  ) {}

  accepts(type: EventType): boolean {
    return ACCEPTED.has(type);
  }

  async deliver(event: IntegrationEvent, lead: LeadAtDelivery, _attempt = 1): Promise<DeliveryResult> {
    if (event.type === 'lead.erased') return this.erase(event.leadId);
    if (!lead || lead.erasing) return nothingToSend('the lead is erased');
    if (event.type === 'lead.hot') return this.pushHot(event, lead);
    if (event.type === 'lead.outcome') return this.moveStage(event, lead);
    return nothingToSend(`hubspot does not take ${event.type}`);
  }

  /**
   * `lead.hot`: 1. update the linked contact, else find it by email, else create it (a 409 names
   * the existing one); 2. keep the link; 3. create the owner's task unless this event made it.
   */
  private async pushHot(event: IntegrationEvent, lead: LeadState): Promise<DeliveryResult> {
    const properties = contactProperties(lead, this.settings.fields);
    const link = await this.links.get(lead.leadId);
    let latencyMs = 0;
    let contactId: string | undefined;
    if (link) {
      const updated = await this.api.updateContact(link.contactId, properties);
      latencyMs += updated.latencyMs;
      if (isOk(updated)) contactId = link.contactId;
      else if (updated.status !== 404) return hubspotFailure(updated, 'contact update');
    }
    if (!contactId) {
      const upsert = await this.upsertByEmail(lead.email, properties);
      if (!upsert.ok) return upsert.result;
      latencyMs += upsert.latencyMs;
      contactId = upsert.id;
      await this.links.save(lead.leadId, contactId);
    }
    if (link?.tasks.includes(event.id))
      return { kind: 'delivered', status: 200, latencyMs, excerpt: 'contact updated; task made before' };
    const rep = lead.owner?.rep ?? (typeof event.data.rep === 'string' ? event.data.rep : undefined);
    const task = await this.api.createTask(taskProperties(lead, event, this.settings, rep), contactId);
    latencyMs += task.latencyMs;
    if (!isOk(task)) return hubspotFailure(task, 'task create');
    await this.links.taskCreated(lead.leadId, event.id);
    return {
      kind: 'delivered',
      status: task.status,
      latencyMs,
      excerpt: `contact ${contactId}; task ${idOf(task) ?? '?'}`,
    };
  }

  private async upsertByEmail(email: string, properties: Record<string, string>): Promise<Step> {
    const search = await this.api.searchContactByEmail(email);
    if (!isOk(search)) return { ok: false, result: hubspotFailure(search, 'contact search') };
    const found = (search.body as { results?: { id?: string }[] } | undefined)?.results?.[0]?.id;
    if (found) {
      const updated = await this.api.updateContact(String(found), properties);
      if (!isOk(updated)) return { ok: false, result: hubspotFailure(updated, 'contact update') };
      return { ok: true, id: String(found), latencyMs: search.latencyMs + updated.latencyMs };
    }
    const created = await this.api.createContact(properties);
    const createdId = idOf(created);
    if (isOk(created) && createdId)
      return { ok: true, id: createdId, latencyMs: search.latencyMs + created.latencyMs };
    // Search is eventually consistent: a contact made seconds ago is missed, and create answers 409 with its id.
    const existing = created.status === 409 ? existingIdOf(created.body) : undefined;
    if (!existing) return { ok: false, result: hubspotFailure(created, 'contact create') };
    const updated = await this.api.updateContact(existing, properties);
    if (!isOk(updated)) return { ok: false, result: hubspotFailure(updated, 'contact update') };
    return { ok: true, id: existing, latencyMs: search.latencyMs + created.latencyMs + updated.latencyMs };
  }

  /** `lead.outcome`: the mapped lifecycle stage on the linked contact (or the one found by email). */
  private async moveStage(event: IntegrationEvent, lead: LeadState): Promise<DeliveryResult> {
    const stage = this.settings.lifecycle[event.data.outcome as SalesOutcome];
    if (!stage) return nothingToSend(`no lifecycle stage for outcome ${String(event.data.outcome)}`);
    let contactId = (await this.links.get(lead.leadId))?.contactId;
    let latencyMs = 0;
    if (!contactId) {
      const search = await this.api.searchContactByEmail(lead.email);
      if (!isOk(search)) return hubspotFailure(search, 'contact search');
      latencyMs += search.latencyMs;
      contactId = (search.body as { results?: { id?: string }[] } | undefined)?.results?.[0]?.id;
      if (!contactId) return nothingToSend('the lead has no HubSpot contact');
      await this.links.save(lead.leadId, String(contactId));
    }
    const updated = await this.api.updateContact(String(contactId), { lifecyclestage: stage });
    if (!isOk(updated)) return hubspotFailure(updated, 'lifecycle stage');
    return {
      kind: 'delivered',
      status: updated.status,
      latencyMs: latencyMs + updated.latencyMs,
      excerpt: `lifecyclestage=${stage}`,
    };
  }

  /** `lead.erased`: GDPR-delete the linked contact (a 404: gone already), then forget the link. */
  private async erase(leadId: string): Promise<DeliveryResult> {
    const link = await this.links.get(leadId);
    if (!link) return nothingToSend('no HubSpot contact was made for the lead');
    const deleted = await this.api.gdprDelete(link.contactId);
    if (!isOk(deleted) && deleted.status !== 404) return hubspotFailure(deleted, 'gdpr delete');
    await this.links.remove(leadId);
    return {
      kind: 'delivered',
      status: deleted.status as number,
      latencyMs: deleted.latencyMs,
      excerpt: 'contact deleted (GDPR)',
    };
  }
}
