import type { FieldError } from '../kernel/errors';
import type { ConsentRecord } from '../leads/lead';
import type { ConsentBasis, ImportConsent } from './import-ports';

const YES = new Set(['true', 'yes', 'y', '1', 'on', 'x', 'opted in', 'subscribed']);
const NO = new Set(['false', 'no', 'n', '0', 'off', 'opted out', 'unsubscribed']);

/** What the import states about consent is complete: consent given needs the text agreed to. */
export function consentProblems(consent: ImportConsent, consentColumn?: string): FieldError[] {
  const problems: FieldError[] = [];
  const needsText = consent.basis === 'consent_given' || consentColumn !== undefined;
  if (needsText && !consent.text?.trim())
    problems.push({
      path: 'consent.text',
      message:
        'the consent text people agreed to is required when consent was given (the proof kept on each lead)',
    });
  if (consent.givenAt !== undefined && Number.isNaN(Date.parse(consent.givenAt)))
    problems.push({ path: 'consent.givenAt', message: 'must be an ISO date or time' });
  return problems;
}

export type RowConsent =
  | { ok: true; basis: ConsentBasis; record?: ConsentRecord }
  | { ok: false; reason: string };

/**
 * One row's consent: the row's own yes/no where the import has a consent column and the cell is
 * filled, else the import's basis. Only consent given becomes a consent record (granted, with the
 * text, when and where, source `import:<id>`), which is what lets a lead into sequences that
 * require consent; legitimate interest and none are kept on the timeline entry, grant nothing and
 * withdraw nothing a lead gave before.
 */
export function rowConsent(
  consent: ImportConsent,
  cell: string | undefined,
  meta: { importId: string; at: string },
): RowConsent {
  let basis = consent.basis;
  const value = cell?.trim().toLowerCase() ?? '';
  if (value !== '') {
    if (YES.has(value)) basis = 'consent_given';
    else if (NO.has(value)) basis = consent.basis === 'consent_given' ? 'none' : consent.basis;
    else return { ok: false, reason: 'must be yes or no (true/false, 1/0)' };
  }
  if (basis !== 'consent_given') return { ok: true, basis };
  const record: ConsentRecord = {
    granted: true,
    text: consent.text ?? '',
    at: consent.givenAt ? new Date(Date.parse(consent.givenAt)).toISOString() : meta.at,
    source: `import:${meta.importId}`,
  };
  return { ok: true, basis, record };
}
