import type { Form } from '../capture/form';
import { normalizeSubmission } from '../capture/submission';
import type { SuppressionStore } from '../consent/suppression';
import { sha256Hex } from '../kernel/email';
import { ValidationError } from '../kernel/errors';
import type { Activity, LeadInput, LeadState } from '../leads/lead';
import { LeadBeingErasedError, type RecordDeps, recordActivity } from '../leads/record-activity';
import { rowConsent } from './import-consent';
import { blankRow, type CsvRow } from './import-csv';
import { rowBody } from './import-mapping';
import type { ImportPlan, RowError } from './import-ports';

/** The timeline entry an imported row leaves on its lead. */
export const LEAD_IMPORTED = 'lead_imported';

export interface RowDeps extends RecordDeps {
  suppressions: Pick<SuppressionStore, 'lookup'>;
  /** A stored timeline entry: how a row a crashed page already applied went (created or updated). */
  storedActivity(leadId: string, activityId: string): Promise<Activity | undefined>;
}

export interface RowContext {
  importId: string;
  plan: ImportPlan;
  form: Form;
  /** The import's start: every row's time, the same on a redone page. */
  at: string;
}

export type RowOutcome =
  | { kind: 'created' | 'updated' | 'unchanged' | 'suppressed' | 'skipped' }
  | { kind: 'failed'; errors: RowError[] };

/** The activity id of a row: the same import and row always map to the same timeline entry. */
export const importActivityId = (importId: string, row: number) =>
  `act_imp${sha256Hex(`${importId}\n${row}`).slice(0, 24)}`;

const failed = (errors: RowError[]): RowOutcome => ({ kind: 'failed', errors });

/** Every mapped value is already the lead's and the row brings no consent it lacks. */
function unchanged(prev: LeadState, input: LeadInput): boolean {
  const sameFields = Object.entries(input.fields).every(
    ([name, value]) => prev.profile[name]?.value === value,
  );
  const newConsent = input.consent?.granted === true && prev.marketingConsent?.granted !== true;
  return sameFields && !newConsent;
}

/** Reads one row into a lead input and its consent, or the row's errors (column names, never values). */
async function readRow(ctx: RowContext, row: CsvRow) {
  const { plan } = ctx;
  if (row.cells.length > plan.header.length)
    return failed([
      {
        row: row.row,
        column: '',
        reason: `the row has ${row.cells.length} values, the header ${plan.header.length} columns`,
      },
    ]);
  const { body, columnOf } = rowBody(plan.targets, plan.header, row.cells);
  const errors: RowError[] = [];
  let input: LeadInput | undefined;
  try {
    input = await normalizeSubmission(ctx.form, body, { at: ctx.at });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    for (const { path, message } of error.details)
      errors.push({ row: row.row, column: columnOf[path] ?? path, reason: message });
  }
  const consentCell = plan.consentColumn ? row.cells[plan.header.indexOf(plan.consentColumn)] : undefined;
  const consent = rowConsent(plan.consent, consentCell, { importId: ctx.importId, at: ctx.at });
  if (!consent.ok) errors.push({ row: row.row, column: plan.consentColumn ?? '', reason: consent.reason });
  if (errors.length > 0 || !input || !consent.ok) return failed(errors);
  return {
    input: { ...input, ...(consent.record ? { consent: consent.record } : {}) },
    basis: consent.basis,
  };
}

/**
 * Import one row through the same path as a form submission.
 * 1. A blank row is skipped; a row with more values than the header has columns, an invalid value
 *    (read by the same field rules as forms) or an unreadable consent cell fails, with its errors.
 * 2. An address on the suppression list (unsubscribed, bounced, complained, erased) is not
 *    imported: it stays suppressed and its lead, if any, is not touched.
 * 3. The lead is read with this row's timeline entry: an entry already stored (a redone page after
 *    a crash) is counted as it went then; a lead being erased is skipped.
 * 4. A lead that already holds every value is unchanged (nothing written); else, unless this is a
 *    dry run, the `lead_imported` activity is recorded: dedupe by identity, merge, score, stage,
 *    sequences (those requiring consent only with consent given), hand-off. No per-email rate
 *    limit: an import is not a form, and its pace is the worker's.
 */
export async function importRow(deps: RowDeps, ctx: RowContext, row: CsvRow): Promise<RowOutcome> {
  if (blankRow(row.cells)) return { kind: 'skipped' };
  const read = await readRow(ctx, row);
  if ('kind' in read) return read;
  const { input, basis } = read;
  if (await deps.suppressions.lookup(input.email)) return { kind: 'suppressed' };

  const activityId = importActivityId(ctx.importId, row.row);
  const loaded = await deps.leads.loadForActivity(input.leadId, activityId);
  if (loaded.activityStored) {
    const stored = await deps.storedActivity(input.leadId, activityId);
    return { kind: stored?.effect?.created ? 'created' : 'updated' };
  }
  const prev = loaded.lead;
  if (prev?.erasing) return { kind: 'skipped' };
  // Applied to the lead by a crashed page before its timeline entry was stored: recording heals it.
  const applied = prev?.aggregate?.applied.includes(activityId) === true;
  if (prev && !applied && unchanged(prev, input)) return { kind: 'unchanged' };
  if (ctx.plan.dryRun) return { kind: prev ? 'updated' : 'created' };

  const activity: Activity = {
    activityId,
    leadId: input.leadId,
    type: LEAD_IMPORTED,
    at: ctx.at,
    source: 'import',
    attribution: input.attribution,
    ...(input.consent ? { consent: input.consent } : {}),
    fields: Object.keys(input.fields).sort(),
    properties: {
      importId: ctx.importId,
      row: row.row,
      consentBasis: basis,
      ...(basis === 'consent_given' && ctx.plan.consent.proofSource
        ? { consentProof: ctx.plan.consent.proofSource }
        : {}),
    },
  };
  try {
    const recorded = await recordActivity(
      deps,
      { leadId: input.leadId, email: input.email, activity, merge: input },
      { createIfMissing: true, expectNew: prev === undefined },
    );
    if (recorded.duplicate) {
      const stored = await deps.storedActivity(input.leadId, activityId);
      return { kind: stored?.effect?.created ? 'created' : 'updated' };
    }
    return { kind: recorded.activity.effect?.created ? 'created' : 'updated' };
  } catch (error) {
    if (error instanceof LeadBeingErasedError) return { kind: 'skipped' };
    throw error;
  }
}
