import { type Answer, type FakeRequest, type ScriptedAnswer, sendsJson, startFake } from './fake-server';

const LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
];
const error = (status: number, category: string, message: string): Answer => ({
  status,
  body: { status: 'error', message, correlationId: crypto.randomUUID(), category },
});

/** HubSpot's documented 429 body (`policyName` TEN_SECONDLY_ROLLING, SECONDLY or DAILY) for `script()`. */
export const rateLimited = (policyName = 'TEN_SECONDLY_ROLLING', retryAfter?: number): ScriptedAnswer => ({
  status: 429,
  body: {
    status: 'error',
    message: `You have reached your ${policyName.toLowerCase()} limit.`,
    errorType: 'RATE_LIMIT',
    correlationId: crypto.randomUUID(),
    policyName,
  },
  ...(retryAfter === undefined ? {} : { headers: { 'retry-after': String(retryAfter) } }),
});

/**
 * A fake HubSpot CRM v3 over the wire: contacts (search by email, create with 409 CONFLICT
 * "Existing ID" on a duplicate email, update, GDPR delete) and tasks associated with a contact.
 * Checks the Bearer token, the JSON content type and required fields; answers errors in HubSpot's
 * `{status, message, correlationId, category}` shape. `searchMisses` makes the next searches find
 * nothing (HubSpot's search index lags writes by seconds), which is how a 409 happens.
 */
export async function startFakeHubspot(options: { token: string; port?: number }) {
  const contacts = new Map<string, Record<string, string>>();
  const tasks: { id: string; properties: Record<string, string>; contactId: string }[] = [];
  const gdprDeleted: string[] = [];
  const state = { nextId: 1001, searchMisses: 0 };
  const fake = await startFake((req) => route(req), options.port);

  function route(req: FakeRequest): Answer {
    // The fake's contacts and tasks, for a person trying it locally (not a HubSpot route).
    if (req.method === 'GET' && req.path === '/_fake/state')
      return { status: 200, body: { contacts: Object.fromEntries(contacts), tasks, gdprDeleted } };
    if (req.headers.authorization !== `Bearer ${options.token}`)
      return error(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found.');
    if (!sendsJson(req)) return error(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const properties = body.properties as Record<string, string> | undefined;
    const contact = /^\/crm\/v3\/objects\/contacts\/(\d+)$/.exec(req.path)?.[1];
    if (req.method === 'POST' && req.path === '/crm/v3/objects/contacts/search') return search(body);
    if (req.method === 'POST' && req.path === '/crm/v3/objects/contacts/gdpr-delete') {
      const id = String(body.objectId ?? '');
      if (!id) return error(400, 'VALIDATION_ERROR', 'objectId is required');
      if (!contacts.delete(id)) return error(404, 'OBJECT_NOT_FOUND', 'resource not found');
      gdprDeleted.push(id);
      return { status: 204 };
    }
    if (req.method === 'POST' && req.path === '/crm/v3/objects/contacts') {
      if (!properties || typeof properties !== 'object')
        return error(400, 'VALIDATION_ERROR', 'properties is required');
      const invalid = validate(properties);
      if (invalid) return invalid;
      const existing = [...contacts].find(([, p]) => p.email === properties.email)?.[0];
      if (existing) return error(409, 'CONFLICT', `Contact already exists. Existing ID: ${existing}`);
      const id = String(state.nextId++);
      contacts.set(id, { ...properties });
      return { status: 201, body: { id, properties, archived: false } };
    }
    if (req.method === 'PATCH' && contact) {
      const current = contacts.get(contact);
      if (!current) return error(404, 'OBJECT_NOT_FOUND', 'resource not found');
      if (!properties) return error(400, 'VALIDATION_ERROR', 'properties is required');
      const invalid = validate(properties);
      if (invalid) return invalid;
      Object.assign(current, properties);
      return { status: 200, body: { id: contact, properties: current, archived: false } };
    }
    if (req.method === 'POST' && req.path === '/crm/v3/objects/tasks') return createTask(body);
    return error(404, 'OBJECT_NOT_FOUND', `no route ${req.method} ${req.path}`);
  }

  function search(body: Record<string, unknown>): Answer {
    const filter = (
      body.filterGroups as
        | { filters?: { propertyName?: string; operator?: string; value?: string }[] }[]
        | undefined
    )?.[0]?.filters?.[0];
    if (filter?.operator !== 'EQ' || !filter.propertyName)
      return error(
        400,
        'VALIDATION_ERROR',
        'filterGroups[0].filters[0] needs propertyName, operator and value',
      );
    if (state.searchMisses > 0) {
      state.searchMisses--;
      return { status: 200, body: { total: 0, results: [] } };
    }
    const results = [...contacts]
      .filter(([, p]) => p[filter.propertyName as string]?.toLowerCase() === filter.value?.toLowerCase())
      .map(([id, p]) => ({ id, properties: p, archived: false }));
    return { status: 200, body: { total: results.length, results } };
  }

  function createTask(body: Record<string, unknown>): Answer {
    const properties = body.properties as Record<string, string> | undefined;
    if (!properties?.hs_timestamp)
      return error(400, 'VALIDATION_ERROR', 'Property values were not valid: hs_timestamp is required');
    const association = (
      body.associations as { to?: { id?: string }; types?: { associationTypeId?: number }[] }[] | undefined
    )?.[0];
    const contactId = String(association?.to?.id ?? '');
    if (association?.types?.[0]?.associationTypeId !== 204 || !contacts.has(contactId))
      return error(400, 'VALIDATION_ERROR', 'invalid association to a contact');
    const id = String(state.nextId++);
    tasks.push({ id, properties, contactId });
    return { status: 201, body: { id, properties } };
  }

  function validate(properties: Record<string, string>): Answer | undefined {
    const stage = properties.lifecyclestage;
    if (stage !== undefined && stage !== '' && !LIFECYCLE_STAGES.includes(stage))
      return error(400, 'VALIDATION_ERROR', `Property values were not valid: lifecyclestage ${stage}`);
    return undefined;
  }

  return { ...fake, contacts, tasks, gdprDeleted, state };
}
