import { useCallback } from 'preact/hooks';
import { api } from '../api';
import { Empty, Failed, Loading } from '../sales/states';
import { useLoad } from '../sales/use-load';
import type { NurtureVersions } from './types';

export { TemplateEditor } from './editor';

/** The templates of the active nurture config, each a link to its editor. */
export function TemplatesList() {
  const load = useCallback(() => api.get<NurtureVersions>('/v1/admin/nurture'), []);
  const [state, reload] = useLoad(load);
  const active = state.data?.active;
  const templates = active?.document.templates ?? [];
  return (
    <section class="page templates">
      <div class="page-head">
        <h1 tabIndex={-1}>Templates</h1>
        {active ? <p class="sub">Active config: version {active.version}</p> : null}
      </div>
      {state.status === 'loading' && !state.data ? <Loading what="templates" /> : null}
      {state.status === 'error' ? <Failed what="templates" error={state.error} retry={reload} /> : null}
      {state.data && !active ? (
        <Empty title="No nurture config is active yet">
          Publish one with <code>config push</code> or the API, then edit its templates here.
        </Empty>
      ) : null}
      {active && templates.length === 0 ? <Empty title="The active config has no templates" /> : null}
      {templates.length > 0 ? (
        <div class="card tpl-table-wrap">
          <table class="tpl-table">
            <caption class="visually-hidden">Email templates of version {active?.version}</caption>
            <thead>
              <tr>
                <th scope="col">Template</th>
                <th scope="col">Subject</th>
                <th scope="col">Written in</th>
              </tr>
            </thead>
            <tbody>
              {templates.map((t) => (
                <tr key={t.id}>
                  <td>
                    <a href={`/console/templates/${encodeURIComponent(t.id)}`}>{t.name ?? t.id}</a>
                    <div class="sub">{t.id}</div>
                  </td>
                  <td>{t.subject}</td>
                  <td>{t.mjml ? 'MJML' : 'HTML'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
