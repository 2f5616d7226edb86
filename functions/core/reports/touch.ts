import type { Attribution, LeadRecord } from '../leads/lead';
import type { LeadContext } from './report';

export type Touch = LeadContext['firstTouch'];

const AD_PLATFORMS = new Set(['meta', 'google', 'linkedin', 'tiktok']);
const NONE = '-';

/**
 * A touch in the reports' words, from where a capture came from (`form:<id>` or an ad platform)
 * and its attribution: source (utm_source, else the platform, else `direct`), campaign
 * (utm_campaign, else the platform's campaign id), form, ad platform.
 */
export function touchOf(source: string, attribution: Attribution | undefined, formId?: string): Touch {
  const platform = AD_PLATFORMS.has(source) ? source : undefined;
  const form = formId ?? (source.startsWith('form:') ? source.slice('form:'.length) : undefined);
  const campaign = attribution?.utm_campaign ?? attribution?.campaign_id ?? attribution?.campaign_name;
  return {
    source: attribution?.utm_source || platform || 'direct',
    ...(campaign ? { campaign } : {}),
    ...(form ? { formId: form } : {}),
    ...(platform ? { platform } : {}),
  };
}

/** The lead's context for increments: its first touch (set once, never changed) and creation time. */
export function leadContextOf(lead: Pick<LeadRecord, 'leadId' | 'createdAt' | 'firstTouch'>): LeadContext {
  const first = lead.firstTouch;
  return {
    leadId: lead.leadId,
    createdAt: lead.createdAt,
    firstTouch: first ? touchOf(first.source, first) : { source: 'direct' },
  };
}

/** A touch as a dimension key: `src=google|cmp=spring|form=demo|plat=-` (`|` and `=` in values escaped). */
export function touchDims(touch: Touch): string {
  const part = (value: string | undefined) => (value ? value.replace(/[|=%]/g, encodeURIComponent) : NONE);
  return `src=${part(touch.source)}|cmp=${part(touch.campaign)}|form=${part(touch.formId)}|plat=${part(touch.platform)}`;
}

/** The touch a dimension key names (the inverse of touchDims). */
export function parseTouchDims(dims: string): Touch & Record<string, string | undefined> {
  const parts = Object.fromEntries(
    dims.split('|').map((part) => {
      const at = part.indexOf('=');
      const value = decodeURIComponent(part.slice(at + 1));
      return [part.slice(0, at), value === NONE ? undefined : value];
    }),
  );
  return {
    ...parts,
    source: parts.src ?? 'direct',
    campaign: parts.cmp,
    formId: parts.form,
    platform: parts.plat,
  };
}
