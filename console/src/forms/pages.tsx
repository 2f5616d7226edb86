import { useCallback, useState } from 'preact/hooks';
import { api } from '../api';
import { fmtCount, fmtTime } from '../format';
import { Empty, Failed, Loading } from '../sales/states';
import { useLoad } from '../sales/use-load';
import { FormEditor } from './editor';
import { EmbedSnippet } from './embed';
import { type FormSummary, type FormVersions, newForm, who } from './types';

/** /console/forms: every form with its active version and its last change, who and when. */
export function FormsList() {
  const load = useCallback(() => api.get<{ forms: FormSummary[] }>('/v1/admin/forms'), []);
  const [state, reload] = useLoad(load);
  return (
    <section class="page forms">
      <div class="page-head">
        <h1 tabIndex={-1}>Forms</h1>
        <a class="button primary" href="/console/forms/new">
          New form
        </a>
      </div>
      {state.status === 'loading' && !state.data ? (
        <Loading what="forms" />
      ) : state.status === 'error' && !state.data ? (
        <Failed what="forms" error={state.error} retry={reload} />
      ) : (state.data?.forms.length ?? 0) === 0 ? (
        <Empty title="No forms yet">
          <a href="/console/forms/new">Create a form</a> to capture leads from your website.
        </Empty>
      ) : (
        <div class="table-wrap">
          <table class="forms-table">
            <caption class="visually-hidden">Forms, with their active version and last change</caption>
            <thead>
              <tr>
                <th scope="col">Form</th>
                <th scope="col">Active version</th>
                <th scope="col">Submissions, last 7 days</th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              {state.data?.forms.map((form) => (
                <tr key={form.formId}>
                  <th scope="row">
                    <a href={`/console/forms/${encodeURIComponent(form.formId)}`}>
                      {form.name ?? form.formId}
                    </a>
                    <span class="forms-id">{form.formId}</span>
                  </th>
                  <td>
                    {form.activeVersion === null
                      ? 'Not live: no version active'
                      : `Version ${form.activeVersion}${form.latestVersion > form.activeVersion ? ` (version ${form.latestVersion} saved, not active)` : ''}`}
                  </td>
                  <td>{fmtCount(form.submissionsLast7Days)}</td>
                  <td>
                    Version {form.lastChange.version} {form.lastChange.what} by {who(form.lastChange.by)},{' '}
                    {fmtTime(form.lastChange.at)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** /console/forms/{id} (or new): the form's editor, its versions and the embed snippet of the active one. */
export function FormPage({ formId }: { formId: string }) {
  const isNew = formId === 'new';
  const load = useCallback(
    () =>
      isNew
        ? Promise.resolve<FormVersions>({ active: null, versions: [] })
        : api.get<FormVersions>(`/v1/admin/forms/${encodeURIComponent(formId)}`),
    [formId, isNew],
  );
  const [state, reload] = useLoad(load);
  const [liveVersion, setLiveVersion] = useState(0);
  if (state.status === 'loading' && !state.data) return <Loading what="the form" />;
  if (state.status === 'error' && !state.data)
    return (
      <section class="page forms">
        <h1 tabIndex={-1}>Form {formId}</h1>
        <Failed what="the form" error={state.error} retry={reload} />
        <p>
          <a href="/console/forms">All forms</a>
        </p>
      </section>
    );
  const data = state.data as FormVersions;
  const active = data.active;
  return (
    <section class="page forms" aria-labelledby="form-title">
      <div class="page-head">
        <h1 id="form-title" tabIndex={-1}>
          {isNew ? 'New form' : `Form: ${active?.document.name ?? formId}`}
        </h1>
        <a href="/console/forms">All forms</a>
      </div>
      {data.versions.length > 0 ? (
        <details class="forms-versions">
          <summary>
            {data.versions.length} version{data.versions.length === 1 ? '' : 's'}
            {active ? `, version ${active.version} active` : ', none active'}
          </summary>
          <ul>
            {data.versions.map((v) => (
              <li key={v.version}>
                Version {v.version}: added by {who(v.createdBy)}, {fmtTime(v.createdAt)}
                {v.activatedAt ? `; last activated by ${who(v.activatedBy)}, ${fmtTime(v.activatedAt)}` : ''}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <FormEditor
        key={formId}
        isNew={isNew}
        initial={active?.document ?? newForm()}
        basedOn={active?.version}
        onActivated={(version) => {
          setLiveVersion(version);
          void reload();
        }}
      />
      {!isNew && (active || liveVersion) ? (
        <EmbedSnippet formId={formId} version={liveVersion || (active?.version ?? 0)} />
      ) : null}
    </section>
  );
}
