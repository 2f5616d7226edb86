import { useCallback, useState } from 'preact/hooks';
import { api } from '../api';
import { fmtTime } from '../format';
import { Empty, Failed, Loading, problem } from '../sales/states';
import { useLoad } from '../sales/use-load';
import { type Delivery, type DeliveryPage, endpointPath, OUTCOME_LABELS } from './types';

const PAGE = 20;

/**
 * An endpoint's delivery log, newest first, a page at a time (kept 30 days); Retry on a delivery
 * that did not get through queues its event again with the same webhook-id (the retry route).
 */
export function DeliveryLog({ endpointId, onRefresh }: { endpointId: string; onRefresh: () => void }) {
  const base = `${endpointPath(endpointId)}/deliveries`;
  const load = useCallback(() => api.get<DeliveryPage>(`${base}?limit=${PAGE}`), [base]);
  const [state, reload] = useLoad(load);
  const [more, setMore] = useState<{ rows: Delivery[]; cursor?: string } | null>(null);
  const [said, setSaid] = useState('');
  const rows = [...(state.data?.deliveries ?? []), ...(more?.rows ?? [])];
  const cursor = more ? more.cursor : state.data?.cursor;
  // An event delivered since (a later retry got through) is not offered again.
  const delivered = new Set(rows.filter((d) => d.outcome === 'delivered').map((d) => d.eventId));

  async function showMore() {
    if (!cursor) return;
    try {
      const page = await api.get<DeliveryPage>(`${base}?limit=${PAGE}&cursor=${encodeURIComponent(cursor)}`);
      setMore({ rows: [...(more?.rows ?? []), ...page.deliveries], cursor: page.cursor });
    } catch (error) {
      setSaid(`Could not load more deliveries: ${problem(error)}`);
    }
  }
  async function retry(d: Delivery) {
    try {
      await api.post(`${base}/${encodeURIComponent(d.deliveryId)}/retry`);
      setSaid(
        `Queued ${d.eventType} again (same webhook-id ${d.eventId}); its outcome appears here in a moment.`,
      );
      setMore(null);
      setTimeout(() => {
        void reload();
        onRefresh();
      }, 1500);
    } catch (error) {
      setSaid(`Could not retry: ${problem(error)}`);
    }
  }

  return (
    <section aria-labelledby="wh-log-title" class="wh-log">
      <div class="page-head">
        <h2 id="wh-log-title">Delivery log</h2>
        <button
          type="button"
          class="button quiet"
          onClick={() => {
            setMore(null);
            void reload();
            onRefresh();
          }}
        >
          Refresh
        </button>
      </div>
      <p role="status" class="wh-said">
        {said}
      </p>
      {state.status === 'loading' && !state.data ? <Loading what="the delivery log" /> : null}
      {state.status === 'error' ? (
        <Failed what="the delivery log" error={state.error} retry={reload} />
      ) : null}
      {state.data && rows.length === 0 ? (
        <Empty title="No deliveries in the last 30 days">
          Events of the chosen types are sent as they happen; a test ping is not logged.
        </Empty>
      ) : null}
      {rows.length > 0 ? (
        <div class="table-wrap">
          <table class="wh-table wh-deliveries">
            <caption class="visually-hidden">Deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Event</th>
                <th scope="col">Outcome</th>
                <th scope="col" class="num">
                  HTTP
                </th>
                <th scope="col" class="num">
                  Latency
                </th>
                <th scope="col" class="num">
                  Attempt
                </th>
                <th scope="col">Response</th>
                <th scope="col">
                  <span class="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.deliveryId}>
                  <td>{fmtTime(d.at)}</td>
                  <td>
                    {d.eventType}
                    <span class="sub wh-id">{d.eventId}</span>
                  </td>
                  <td>
                    <span class={`wh-outcome wh-outcome--${d.outcome}`}>{OUTCOME_LABELS[d.outcome]}</span>
                    {d.nextAttemptAt ? <span class="sub">next try {fmtTime(d.nextAttemptAt)}</span> : null}
                  </td>
                  <td class="num">{d.status ?? '—'}</td>
                  <td class="num">{d.latencyMs} ms</td>
                  <td class="num">{d.attempt}</td>
                  <td class="wh-excerpt">{d.excerpt ?? d.reason ?? ''}</td>
                  <td>
                    {d.outcome !== 'delivered' && !delivered.has(d.eventId) ? (
                      <button type="button" class="button" onClick={() => retry(d)}>
                        Retry
                        <span class="visually-hidden">
                          {' '}
                          {d.eventType} of {fmtTime(d.at)}
                        </span>
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {cursor ? (
        <button type="button" class="button" onClick={showMore}>
          Show older deliveries
        </button>
      ) : null}
    </section>
  );
}
