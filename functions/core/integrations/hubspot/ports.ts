import type { SalesOutcome } from '../../leads/lead';
import type { HttpReply } from '../http-reply';

/** HubSpot CRM v3 calls the destination makes (adapters/http/hubspot-client.ts); each answers an HttpReply. */
export interface HubspotApi {
  /** POST /crm/v3/objects/contacts/search, `email EQ`: 200 `{total, results:[{id}]}`. */
  searchContactByEmail(email: string): Promise<HttpReply>;
  /** POST /crm/v3/objects/contacts: 201 `{id}`; 409 CONFLICT "Contact already exists. Existing ID: <id>". */
  createContact(properties: Record<string, string>): Promise<HttpReply>;
  /** PATCH /crm/v3/objects/contacts/{id}: 200; 404 when the contact is gone. */
  updateContact(contactId: string, properties: Record<string, string>): Promise<HttpReply>;
  /** POST /crm/v3/objects/tasks associated with the contact: 201 `{id}`. */
  createTask(properties: Record<string, string>, contactId: string): Promise<HttpReply>;
  /** POST /crm/v3/objects/contacts/gdpr-delete `{objectId}`: 204. */
  gdprDelete(contactId: string): Promise<HttpReply>;
}

/**
 * The HubSpot contact a lead became, kept by lead id outside the lead's own partition: an erase
 * deletes the lead (and its email) before `lead.erased` is delivered, so the GDPR delete finds
 * the contact by this id (not personal data). Removed once HubSpot has deleted the contact.
 */
export interface ContactLink {
  contactId: string;
  /** Events whose owner task was created (a retried `lead.hot` does not make a second task). */
  tasks: string[];
}

export interface ContactLinks {
  get(leadId: string): Promise<ContactLink | undefined>;
  save(leadId: string, contactId: string): Promise<void>;
  /** Records that `eventId`'s task exists; false when it was recorded already. */
  taskCreated(leadId: string, eventId: string): Promise<boolean>;
  remove(leadId: string): Promise<void>;
}

/** Field mapping, owners and lifecycle stages from config/integrations.yaml. */
export interface HubspotSettings {
  /** Leadflow field (`email`, `firstName`, custom fields...) → HubSpot contact property. */
  fields: Record<string, string>;
  /** Leadflow rep username → HubSpot owner id; an unmapped rep's task is unassigned. */
  owners: Record<string, string>;
  /** Sales outcome → HubSpot `lifecyclestage` (an outcome left out changes nothing). */
  lifecycle: Partial<Record<SalesOutcome, string>>;
  /** The task's due time after the lead turned hot, in hours. */
  taskDueHours: number;
  publicUrl: string;
}
