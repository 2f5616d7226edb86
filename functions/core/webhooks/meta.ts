import { ForbiddenError, ValidationError } from '../kernel/errors';
import type { AdLead } from './ad-lead';
import { COMMON_ANSWER_FIELDS, mapAnswers } from './fields';
import { hmacSha256Hex, sameHex, sameSecret } from './signatures';

/** Meta Lead Ads webhooks: subscription check, signed deliveries, leads fetched from the Graph API. */

export function verifyMetaSubscription(
  query: Record<string, string | undefined>,
  verifyToken: string,
): string {
  if (query['hub.mode'] !== 'subscribe' || !sameSecret(verifyToken, query['hub.verify_token'])) {
    throw new ForbiddenError('The verify token does not match.');
  }
  const challenge = query['hub.challenge'];
  if (!challenge) throw new ValidationError([{ path: 'hub.challenge', message: 'is required' }]);
  return challenge;
}

/** X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app secret>. */
export function verifyMetaSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  const given = /^sha256=([0-9a-fA-F]{64})$/.exec(header?.trim() ?? '')?.[1];
  return sameHex(hmacSha256Hex(appSecret, rawBody), given);
}

export interface MetaLeadgenChange {
  leadgenId: string;
  formId?: string;
  adId?: string;
  adgroupId?: string;
  pageId?: string;
  createdTime?: number;
}

const str = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

/** The leadgen changes of a delivery (`entry[].changes[]` with field "leadgen"); anything else is ignored. */
export function metaLeadgenChanges(payload: unknown): MetaLeadgenChange[] {
  const entries = (payload as { entry?: unknown })?.entry;
  if (!Array.isArray(entries)) throw new ValidationError([{ path: 'entry', message: 'must be a list' }]);
  const changes: MetaLeadgenChange[] = [];
  for (const entry of entries) {
    const list = (entry as { changes?: unknown } | null)?.changes;
    for (const change of Array.isArray(list) ? list : []) {
      const c = change as { field?: unknown; value?: Record<string, unknown> };
      if (c?.field !== 'leadgen' || typeof c.value !== 'object' || c.value === null) continue;
      const leadgenId = str(c.value.leadgen_id);
      if (!leadgenId || !/^[0-9A-Za-z_-]{1,64}$/.test(leadgenId)) continue;
      changes.push({
        leadgenId,
        formId: str(c.value.form_id),
        adId: str(c.value.ad_id),
        adgroupId: str(c.value.adgroup_id),
        pageId: str(c.value.page_id),
        createdTime: typeof c.value.created_time === 'number' ? c.value.created_time : undefined,
      });
    }
  }
  return changes;
}

const META_FIELDS: Record<string, string> = {
  ...COMMON_ANSWER_FIELDS,
};

/** A Graph API lead (`field_data[{name, values[]}]`) as an ad lead. */
export function metaAdLead(graph: unknown, change: MetaLeadgenChange, deliveryId: string): AdLead {
  const data = (graph as { field_data?: unknown })?.field_data;
  if (!Array.isArray(data)) throw new ValidationError([{ path: 'field_data', message: 'must be a list' }]);
  const answers = data.flatMap((item) => {
    if (typeof item !== 'object' || item === null) return [];
    const { name, values } = item as { name?: unknown; values?: unknown };
    const value = Array.isArray(values) ? values.filter((v) => typeof v === 'string').join(', ') : undefined;
    return typeof name === 'string' && value ? [{ name, value }] : [];
  });
  const created = (graph as { created_time?: unknown }).created_time;
  const submittedAt =
    typeof created === 'string' && !Number.isNaN(Date.parse(created))
      ? new Date(created).toISOString()
      : new Date((change.createdTime ?? Date.now() / 1000) * 1000).toISOString();
  const attribution: Record<string, string> = {};
  if (change.formId) attribution.form_id = change.formId;
  if (change.adId) attribution.ad_id = change.adId;
  if (change.adgroupId) attribution.adgroup_id = change.adgroupId;
  if (change.pageId) attribution.page_id = change.pageId;
  const campaign = (graph as { campaign_id?: unknown }).campaign_id;
  if (typeof campaign === 'string') attribution.campaign_id = campaign;
  return {
    provider: 'meta',
    providerLeadId: change.leadgenId,
    fields: mapAnswers(answers, META_FIELDS),
    attribution,
    submittedAt,
    deliveryId,
  };
}
