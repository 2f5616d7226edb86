import { useCallback, useState } from 'preact/hooks';
import { api } from '../api';
import { fmtCount, fmtTime } from '../format';
import { Empty, Failed, Loading } from '../sales/states';
import { useLoad } from '../sales/use-load';
import { type Broadcast, type BroadcastList, STATUS_LABELS, STATUSES } from './types';

/** Broadcasts, newest first, by status (links, so a filter has its own URL), a page at a time. */
export function BroadcastsPage({ search }: { search: URLSearchParams }) {
  const status = search.get('status') ?? '';
  const load = useCallback(
    () =>
      api.get<BroadcastList>(`/v1/admin/broadcasts${status ? `?status=${encodeURIComponent(status)}` : ''}`),
    [status],
  );
  const [state, reload] = useLoad(load);
  const [more, setMore] = useState<{ rows: Broadcast[]; cursor: string | null } | null>(null);
  const rows = [...(state.data?.broadcasts ?? []), ...(more?.rows ?? [])];
  const cursor = more ? more.cursor : (state.data?.cursor ?? null);
  const loadMore = async () => {
    if (!cursor) return;
    const page = await api.get<BroadcastList>(
      `/v1/admin/broadcasts?cursor=${encodeURIComponent(cursor)}${status ? `&status=${status}` : ''}`,
    );
    setMore({ rows: [...(more?.rows ?? []), ...page.broadcasts], cursor: page.cursor });
  };
  return (
    <section class="page broadcasts">
      <div class="page-head">
        <h1 tabIndex={-1}>Broadcasts</h1>
        <a class="button primary" href="/console/broadcasts/new">
          New broadcast
        </a>
      </div>
      <nav aria-label="Broadcast status" class="bc-tabs">
        <ul>
          {STATUSES.map((s) => (
            <li key={s.id}>
              <a
                href={`/console/broadcasts${s.id ? `?status=${s.id}` : ''}`}
                aria-current={status === s.id ? 'page' : undefined}
                onClick={() => setMore(null)}
              >
                {s.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {state.status === 'loading' && !state.data ? <Loading what="broadcasts" /> : null}
      {state.status === 'error' ? <Failed what="broadcasts" error={state.error} retry={reload} /> : null}
      {state.data && rows.length === 0 ? (
        <Empty
          title={
            status
              ? `No ${STATUS_LABELS[status as Broadcast['status']]?.toLowerCase() ?? ''} broadcasts`
              : 'No broadcasts yet'
          }
        >
          <a href="/console/broadcasts/new">Create a broadcast</a> to email a segment of your leads.
        </Empty>
      ) : null}
      {rows.length > 0 ? (
        <div class="table-wrap">
          <table class="bc-table">
            <caption class="visually-hidden">Broadcasts, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Template</th>
                <th scope="col">Send at</th>
                <th scope="col" class="num">
                  Recipients
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => (
                <tr key={b.broadcastId}>
                  <td>
                    <a href={`/console/broadcasts/${b.broadcastId}`}>{b.name}</a>
                    {b.abTest ? <span class="bc-badge">A/B</span> : null}
                  </td>
                  <td>
                    <span class={`bc-status bc-status--${b.status}`}>{STATUS_LABELS[b.status]}</span>
                  </td>
                  <td>{b.template}</td>
                  <td>{fmtTime(b.sendAt)}</td>
                  <td class="num">{b.status === 'draft' ? '—' : fmtCount(b.enrolled)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {cursor ? (
        <button type="button" class="button" onClick={loadMore}>
          Show more
        </button>
      ) : null}
    </section>
  );
}
