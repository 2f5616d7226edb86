import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { fmtCount, fmtTime } from '../format';
import { Failed, Loading, problem } from '../sales/states';
import { useLoad } from '../sales/use-load';
import { type Broadcast, type BroadcastResults, STATUS_LABELS } from './types';

const LIVE = new Set(['scheduled', 'running']);

/** One broadcast: what and when, its progress and results (refreshed while it runs), cancel with a confirmation. */
export function BroadcastPage({ broadcastId }: { broadcastId: string }) {
  const path = `/v1/admin/broadcasts/${encodeURIComponent(broadcastId)}`;
  const load = useCallback(async () => {
    const [broadcast, results] = await Promise.all([
      api.get<Broadcast>(path),
      api.get<BroadcastResults>(`${path}/results`),
    ]);
    return { broadcast, results };
  }, [path]);
  const [state, reload] = useLoad(load);
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState('');
  // Refreshed while it runs, and while sends of a done (or cancelled) one are still being counted.
  const live = state.data
    ? LIVE.has(state.data.broadcast.status) || state.data.results.progress.pending > 0
    : false;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => void reload(), 3000);
    return () => clearInterval(timer);
  }, [live, reload]);

  if (state.status === 'loading' && !state.data) return <Loading what="the broadcast" />;
  if (!state.data)
    return (
      <Failed what="the broadcast" error={state.status === 'error' ? state.error : null} retry={reload} />
    );
  const { broadcast: b, results: r } = state.data;
  const cancellable = b.status === 'draft' || b.status === 'scheduled' || b.status === 'running';

  async function cancel() {
    try {
      await api.post(`${path}/cancel`);
      setConfirming(false);
      setMessage('Cancelled: nothing more of this broadcast goes out.');
      await reload();
    } catch (error) {
      setConfirming(false);
      setMessage(`Could not cancel: ${problem(error)}`);
    }
  }

  return (
    <section class="page broadcasts">
      <p>
        <a href="/console/broadcasts">All broadcasts</a>
      </p>
      <div class="page-head">
        <h1 tabIndex={-1}>{b.name}</h1>
        <span class={`bc-status bc-status--${b.status}`}>{STATUS_LABELS[b.status]}</span>
      </div>
      <dl class="fields">
        <dt>Template</dt>
        <dd>{b.template}</dd>
        <dt>Who</dt>
        <dd>
          {b.segment.segmentId
            ? `Saved segment ${b.segment.segmentId} (as it was when the broadcast was made)`
            : (b.segment.stages?.join(', ') ?? 'every stage')}
          , with marketing consent
        </dd>
        <dt>Send at</dt>
        <dd>{fmtTime(b.sendAt)}</dd>
        <dt>Created by</dt>
        <dd>
          {b.by.name}, {fmtTime(b.createdAt)}
        </dd>
        {b.cancelledBy ? (
          <>
            <dt>Cancelled by</dt>
            <dd>
              {b.cancelledBy.name}, {fmtTime(b.cancelledAt)}
            </dd>
          </>
        ) : null}
      </dl>
      <p role="status">{message}</p>
      {cancellable ? (
        <button type="button" class="button danger" onClick={() => setConfirming(true)}>
          Cancel broadcast
        </button>
      ) : null}
      {confirming ? (
        <ConfirmCancel name={b.name} onConfirm={cancel} onClose={() => setConfirming(false)} />
      ) : null}
      <h2>Progress</h2>
      <Counts
        label="Progress"
        rows={[
          ['Recipients', r.progress.enrolled],
          ['Sent', r.progress.sent],
          ['Skipped', r.progress.skipped],
          ['Failed', r.progress.failed],
          ['Waiting to send', r.progress.pending],
        ]}
      />
      <h2>Results</h2>
      <Counts
        label="Results"
        rows={[
          ['Delivered', r.results.delivered],
          ['Opened (unique)', r.results.opened],
          ['Clicked (unique)', r.results.clicked],
          ['Bounced', r.results.bounced],
          ['Unsubscribed', r.results.unsubscribed],
        ]}
      />
      <p class="hint">
        The reports count at most a minute behind{r.freshAsOf ? ` (as of ${fmtTime(r.freshAsOf)})` : ''}.
      </p>
      {r.abTest ? <AbResults ab={r.abTest} /> : null}
    </section>
  );
}

function Counts({ label, rows }: { label: string; rows: [string, number][] }) {
  return (
    <dl class="bc-counts" aria-label={label}>
      {rows.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{fmtCount(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function AbResults({ ab }: { ab: NonNullable<BroadcastResults['abTest']> }) {
  const metric = ab.metric === 'opened' ? 'Open rate' : 'Click rate';
  return (
    <>
      <h2>A/B test</h2>
      <p>
        {ab.winner
          ? `Variant ${ab.winner.toUpperCase()} won and went to everyone else.`
          : `The winner is chosen at ${fmtTime(ab.decideAt)} by ${metric.toLowerCase()}.`}{' '}
        {ab.significance ? <strong>{ab.significance.label}</strong> : null}
      </p>
      <div class="table-wrap">
        <table class="compact">
          <caption class="visually-hidden">Results per variant</caption>
          <thead>
            <tr>
              <th scope="col">Variant</th>
              <th scope="col">Subject or template</th>
              <th scope="col" class="num">
                Sent
              </th>
              <th scope="col" class="num">
                Opened
              </th>
              <th scope="col" class="num">
                Clicked
              </th>
              <th scope="col" class="num">
                {metric}
              </th>
            </tr>
          </thead>
          <tbody>
            {ab.variants.map((v) => (
              <tr key={v.id}>
                <th scope="row">
                  {v.id.toUpperCase()}
                  {v.winner ? ' (winner)' : ''}
                </th>
                <td>{v.subject ?? v.template}</td>
                <td class="num">{fmtCount(v.sent)}</td>
                <td class="num">{fmtCount(v.opened)}</td>
                <td class="num">{fmtCount(v.clicked)}</td>
                <td class="num">{(v.rate * 100).toFixed(1)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The browser's modal <dialog>: focus stays inside, Escape closes, focus returns to the button. */
function ConfirmCancel({
  name,
  onConfirm,
  onClose,
}: {
  name: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog?.showModal();
    return () => {
      dialog?.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class="sales-dialog"
      aria-labelledby="bc-cancel-title"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id="bc-cancel-title">Cancel “{name}”?</h2>
      <p>Nothing more of it goes out: recipients not sent yet are skipped. This cannot be undone.</p>
      <div class="bc-actions">
        <button type="button" class="button danger" onClick={onConfirm}>
          Yes, cancel it
        </button>
        <button type="button" class="button" onClick={onClose}>
          Keep it
        </button>
      </div>
    </dialog>
  );
}
