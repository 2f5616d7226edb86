import { useState } from 'preact/hooks';
import { stringify } from 'yaml';
import { api } from '../api';
import { navigate } from '../router';
import { fieldErrors, problem } from '../sales/states';
import { ReappliedNote, useVersionConflict, VersionConflict } from '../version-conflict';
import { FieldRows } from './field-rows';
import { formFieldInWords } from './reapply-words';
import type { FormDocument, FormField, FormVersions } from './types';

type Saved = { status: 'none' | 'saving' } | { status: 'saved' | 'activating' | 'active'; version: number };

/**
 * The API's problems (`form.fields.2.options.0`) by where the page shows them: `fields` gets
 * `2.options` (one per field control), origins and the rest their top-level key.
 */
function placeErrors(error: unknown) {
  const top: Record<string, string> = {};
  const fields: Record<string, string> = {};
  for (const [path, message] of Object.entries(fieldErrors(error))) {
    const parts = path.replace(/^form\.?/, '').split('.');
    if (parts[0] === 'fields' && parts.length > 1) {
      const key = parts.slice(1, 3).join('.');
      fields[key] ??= message;
    } else {
      const key = parts[0] === 'consent' ? parts.slice(0, 2).join('.') : parts[0] || 'form';
      const line = parts[0] === 'allowedOrigins' && parts[1] ? `line ${Number(parts[1]) + 1}: ` : '';
      top[key] ??= `${line}${message}`;
    }
  }
  return { top, fields };
}

/**
 * Editing a form: every setting of config/forms/<id>.yaml; save as a new version, then activate it.
 * If someone else activated another version since the edit started, the page says so and offers
 * to re-apply this edit on the latest version.
 */
export function FormEditor({
  initial,
  basedOn,
  isNew,
  onActivated,
}: {
  initial: FormDocument;
  /** The active version the edit started from: saving or activating is refused (409) once it moved. */
  basedOn?: number;
  isNew: boolean;
  onActivated: (version: number) => void;
}) {
  const [form, setForm] = useState<FormDocument>(initial);
  const [origins, setOrigins] = useState(initial.allowedOrigins.join('\n'));
  const [errors, setErrors] = useState(placeErrors(null));
  const [summary, setSummary] = useState<string | null>(null);
  const [saved, setSaved] = useState<Saved>({ status: 'none' });
  const based = useVersionConflict<FormDocument | undefined>({
    version: basedOn,
    doc: isNew ? undefined : initial,
  });
  /** The form as it would be saved: origins one a line, an empty description left out. */
  const mine = (): FormDocument => ({
    ...form,
    allowedOrigins: origins
      .split('\n')
      .map((o) => o.trim())
      .filter(Boolean),
    description: form.description || undefined,
  });
  const change = (next: Partial<FormDocument>) => {
    setSaved({ status: 'none' });
    setForm({ ...form, ...next });
  };
  const consent = form.consent;
  const top = errors.top;
  const at = (key: string) => ({
    'aria-invalid': top[key] ? true : undefined,
    'aria-describedby': top[key] ? `form-${key.replace('.', '-')}-error` : undefined,
  });
  const message = (key: string) =>
    top[key] ? (
      <p class="field-error" id={`form-${key.replace('.', '-')}-error`}>
        {top[key]}
      </p>
    ) : null;

  const save = async (event: Event) => {
    event.preventDefault();
    setSaved({ status: 'saving' });
    setSummary(null);
    based.dismiss();
    const document = mine();
    const basedOn = based.base.version;
    try {
      const added = await api.post<{ version: number }>(
        `/v1/admin/forms/${encodeURIComponent(form.id)}/versions`,
        { form: document, ...(basedOn ? { basedOn } : {}) },
      );
      setErrors(placeErrors(null));
      setSaved({ status: 'saved', version: added.version });
    } catch (error) {
      if (based.caught(error)) return setSaved({ status: 'none' });
      setErrors(placeErrors(error));
      setSummary(problem(error));
      setSaved({ status: 'none' });
    }
  };
  const activate = async (version: number) => {
    setSaved({ status: 'activating', version });
    setSummary(null);
    const basedOn = based.base.version;
    try {
      await api.post(
        `/v1/admin/forms/${encodeURIComponent(form.id)}/versions/${version}/activate`,
        basedOn ? { basedOn } : {},
      );
      setSaved({ status: 'active', version });
      // The next edit starts from the version just activated.
      based.rebase({ version, doc: mine() });
      if (isNew) navigate(`/console/forms/${encodeURIComponent(form.id)}`);
      else onActivated(version);
    } catch (error) {
      if (based.caught(error)) return setSaved({ status: 'none' });
      setSummary(problem(error));
      setSaved({ status: 'saved', version });
    }
  };
  // "Reload and re-apply my change": my edits put on the form as its latest active version has it.
  const reapplyMine = async () => {
    setSummary(null);
    try {
      const next = await based.reapplyOn(mine(), async () => {
        const { active } = await api.get<FormVersions>(`/v1/admin/forms/${encodeURIComponent(form.id)}`);
        return { version: active?.version, doc: active?.document };
      });
      if (next) {
        setForm(next);
        setOrigins(next.allowedOrigins.join('\n'));
      }
      setSaved({ status: 'none' });
    } catch (error) {
      setSummary(problem(error));
    }
  };

  return (
    <form class="forms-form" onSubmit={save} noValidate aria-label="Form settings">
      {summary ? (
        <div class="error-state" role="alert">
          <p>{summary}</p>
          {top.form ? <p>{top.form}</p> : null}
        </div>
      ) : null}
      <div class="forms-grid">
        <div class="forms-control">
          <label for="form-name">Form name</label>
          <input
            id="form-name"
            value={form.name}
            {...at('name')}
            onInput={(e) => change({ name: e.currentTarget.value })}
          />
          {message('name')}
        </div>
        <div class="forms-control">
          <label for="form-id">Id (lower-case letters, digits and -)</label>
          <input
            id="form-id"
            value={form.id}
            readOnly={!isNew}
            {...at('id')}
            onInput={(e) => change({ id: e.currentTarget.value })}
          />
          {message('id')}
        </div>
        <div class="forms-control">
          <label for="form-thanks">Thank-you page URL</label>
          <input
            id="form-thanks"
            type="url"
            value={form.thankYouUrl}
            {...at('thankYouUrl')}
            onInput={(e) => change({ thankYouUrl: e.currentTarget.value })}
          />
          {message('thankYouUrl')}
        </div>
        <div class="forms-control">
          <label for="form-stage">Leads start as</label>
          <select
            id="form-stage"
            value={form.stage}
            onChange={(e) => change({ stage: e.currentTarget.value as FormDocument['stage'] })}
          >
            <option value="lead">lead (a request: demo, trial, contact)</option>
            <option value="subscriber">subscriber (newsletter, content)</option>
          </select>
        </div>
        <div class="forms-control forms-wide">
          <label for="form-origins">
            Allowed origins (websites that may post it, one a line: https://www.example.com)
          </label>
          <textarea
            id="form-origins"
            rows={3}
            value={origins}
            {...at('allowedOrigins')}
            onInput={(e) => {
              setSaved({ status: 'none' });
              setOrigins(e.currentTarget.value);
            }}
          />
          {message('allowedOrigins')}
        </div>
        <div class="forms-control forms-wide">
          <label for="form-description">Description</label>
          <textarea
            id="form-description"
            rows={2}
            value={form.description ?? ''}
            onInput={(e) => change({ description: e.currentTarget.value })}
          />
        </div>
      </div>
      <fieldset class="forms-consent">
        <legend>Consent to marketing email</legend>
        <label class="check">
          <input
            type="checkbox"
            checked={consent !== undefined}
            onChange={(e) =>
              change({
                consent: e.currentTarget.checked
                  ? { field: 'consent', text: '', required: false, doubleOptIn: false }
                  : undefined,
                fields:
                  e.currentTarget.checked && !form.fields.some((f) => f.name === 'consent')
                    ? [...form.fields, { name: 'consent', type: 'boolean', label: 'Send me news by email' }]
                    : form.fields,
              })
            }
          />{' '}
          Ask for consent (a checkbox field)
        </label>
        {consent ? (
          <>
            <div class="forms-control">
              <label for="form-consent-text">Consent text shown to the person</label>
              <textarea
                id="form-consent-text"
                rows={2}
                value={consent.text}
                {...at('consent.text')}
                onInput={(e) => change({ consent: { ...consent, text: e.currentTarget.value } })}
              />
              {message('consent.text')}
            </div>
            <div class="forms-control">
              <label for="form-consent-field">Consent field</label>
              <input
                id="form-consent-field"
                value={consent.field}
                {...at('consent.field')}
                onInput={(e) => change({ consent: { ...consent, field: e.currentTarget.value } })}
              />
              {message('consent.field')}
            </div>
            <label class="check">
              <input
                type="checkbox"
                checked={consent.doubleOptIn}
                {...at('consent.doubleOptIn')}
                onChange={(e) => change({ consent: { ...consent, doubleOptIn: e.currentTarget.checked } })}
              />{' '}
              Double opt-in: consent counts only after the person clicks the link in a confirmation email
            </label>
            {message('consent.doubleOptIn')}
          </>
        ) : null}
      </fieldset>
      <fieldset class="forms-fields">
        <legend>Fields and rules</legend>
        {top.fields ? <p class="field-error">{top.fields}</p> : null}
        <FieldRows
          fields={form.fields}
          errors={errors.fields}
          onChange={(fields: FormField[]) => change({ fields })}
        />
        <button
          type="button"
          class="button"
          onClick={() => change({ fields: [...form.fields, { name: '', type: 'text', label: '' }] })}
        >
          Add field
        </button>
      </fieldset>
      {based.reapplied ? (
        <ReappliedNote
          class="forms-reapplied"
          reapplied={based.reapplied}
          fieldInWords={(path) => formFieldInWords(path, mine())}
        />
      ) : null}
      <div class="forms-actions">
        <button type="submit" class="button primary" disabled={saved.status === 'saving'}>
          {saved.status === 'saving' ? 'Saving…' : 'Save as new version'}
        </button>
      </div>
      <div role="status" class="forms-saved">
        {saved.status === 'saved' || saved.status === 'activating' ? (
          <p>
            Saved as version {saved.version}; nothing changes until it is active.{' '}
            <button
              type="button"
              class="button primary"
              disabled={saved.status === 'activating'}
              onClick={() => activate(saved.version)}
            >
              Activate version {saved.version}
            </button>
          </p>
        ) : saved.status === 'active' ? (
          <p>Version {saved.version} is active: the form takes submissions with it now.</p>
        ) : null}
      </div>
      {based.conflict ? (
        <VersionConflict error={based.conflict} yaml={stringify(mine())} onReapply={reapplyMine} />
      ) : null}
    </form>
  );
}
