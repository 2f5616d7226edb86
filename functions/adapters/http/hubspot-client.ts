import type { HttpReply } from '../../core/integrations/http-reply';
import type { HubspotApi } from '../../core/integrations/hubspot/ports';
import { callJson } from './json-call';

/**
 * HubSpot CRM v3 over fetch with a private app token (Bearer). Chosen over @hubspot/api-client:
 * five calls do not justify a generated SDK of several MB (and its HTTP stack) in the worker's
 * bundle and cold start. The token is read per call (rotated without a deploy), never logged.
 */
export class HttpHubspotApi implements HubspotApi {
  constructor(
    private readonly token: () => Promise<string | undefined>,
    private readonly apiUrl = 'https://api.hubapi.com',
    private readonly timeoutMs = 5000,
  ) {}

  searchContactByEmail(email: string) {
    return this.call('POST', '/crm/v3/objects/contacts/search', {
      filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: email }] }],
      properties: ['email', 'lifecyclestage'],
      limit: 1,
    });
  }

  createContact(properties: Record<string, string>) {
    return this.call('POST', '/crm/v3/objects/contacts', { properties });
  }

  updateContact(contactId: string, properties: Record<string, string>) {
    return this.call('PATCH', `/crm/v3/objects/contacts/${encodeURIComponent(contactId)}`, { properties });
  }

  createTask(properties: Record<string, string>, contactId: string) {
    return this.call('POST', '/crm/v3/objects/tasks', {
      properties,
      // 204: HubSpot's defined association type "task to contact".
      associations: [
        {
          to: { id: contactId },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }],
        },
      ],
    });
  }

  gdprDelete(contactId: string) {
    return this.call('POST', '/crm/v3/objects/contacts/gdpr-delete', { objectId: contactId });
  }

  private async call(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<HttpReply> {
    const token = await this.token();
    if (!token) return { status: 401, latencyMs: 0, body: { category: 'INVALID_AUTHENTICATION' } };
    return callJson(`${this.apiUrl.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
      body,
      timeoutMs: this.timeoutMs,
    });
  }
}
