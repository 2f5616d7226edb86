import {
  activateVersion,
  addVersion,
  type ConfigVersions,
  type DocumentSummary,
  findVersion,
  listVersions,
} from '../config-versions/versions';
import type { ChangedBy } from '../kernel/changed-by';
import { FormNotFoundError } from '../kernel/errors';
import { embedSnippet } from './embed-snippet';
import { isFormId } from './form';
import type { Form } from './form-schema';
import { draftForm, FORM, type NurtureForForms } from './form-versions';

/** What the forms admin needs: each form's versions, the list of forms, the active nurture config. */
export interface FormAdminDeps {
  versionsOf(formId: string): ConfigVersions<Form>;
  forms(): Promise<DocumentSummary[]>;
  /** The active nurture config's settings and templates (double opt-in needs its confirmation template). */
  nurture(): Promise<NurtureForForms>;
  /** Submissions each form captured in the last 7 days, by form id (from a report's rollup). */
  capturesLastWeek(): Promise<Map<string, number>>;
}

/** A form id from a path: one that cannot name a form is 404, as for a form that does not exist. */
export function formIdFrom(raw: string | undefined): string {
  if (!raw || !isFormId(raw)) throw new FormNotFoundError(raw ?? '');
  return raw;
}

/** Every form with its active and latest version, its last change and its submissions this week, by id. */
export async function listForms(deps: FormAdminDeps) {
  const [forms, captures] = await Promise.all([deps.forms(), deps.capturesLastWeek()]);
  return {
    forms: forms
      .map(({ id, ...form }) => ({
        formId: id,
        ...form,
        activeVersion: form.activeVersion ?? null,
        submissionsLast7Days: captures.get(id) ?? 0,
      }))
      .sort((a, b) => a.formId.localeCompare(b.formId)),
  };
}

/** A form's active version (with its document) and every version; 404 for a form with none. */
export async function formVersions(deps: FormAdminDeps, formId: string) {
  const listed = await listVersions(deps.versionsOf(formId));
  if (listed.versions.length === 0) throw new FormNotFoundError(formId);
  return listed;
}

/** One version with its document. */
export const formVersion = (deps: FormAdminDeps, formId: string, version: number) =>
  findVersion(deps.versionsOf(formId), FORM, version);

/**
 * Adds a version of a form (a new form's first), not active yet.
 * 1. Validates it as `config check` does (schema, the path's id, double opt-in); 400 at `form.<path>`.
 * 2. Stores it as the next version, recording who added it.
 */
export async function addFormVersion(
  deps: FormAdminDeps,
  formId: string,
  document: unknown,
  by: ChangedBy,
  at: Date,
  basedOn?: number,
) {
  const draft = draftForm(formId, document, await deps.nurture());
  return addVersion(deps.versionsOf(formId), draft, at, by, { what: FORM, basedOn });
}

/** Makes a version the form's active one: the form route serves it within its cache time. */
export const activateForm = (
  deps: FormAdminDeps,
  formId: string,
  version: number,
  by: ChangedBy,
  at: Date,
  basedOn?: number,
) => activateVersion(deps.versionsOf(formId), FORM, version, at, by, basedOn);

/** The HTML to paste for the form's active version; 404 while no version is active. */
export async function formEmbed(deps: FormAdminDeps, formId: string, apiUrl: string) {
  const active = await deps.versionsOf(formId).active();
  if (!active) throw new FormNotFoundError(formId);
  return { formId, version: active.version, html: embedSnippet(active.document, apiUrl) };
}
