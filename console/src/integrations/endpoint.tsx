import { useCallback, useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { fmtTime } from '../format';
import { navigate } from '../router';
import { Failed, Loading, problem } from '../sales/states';
import { Modal } from '../sales/team-dialogs';
import { useLoad } from '../sales/use-load';
import { DeliveryLog } from './deliveries';
import { EndpointForm } from './endpoint-form';
import { EndpointStatus } from './list';
import { SecretOnce } from './secret';
import { type Endpoint, endpointPath, type TestResult } from './types';

/**
 * /console/integrations/{id}: one endpoint — its state, a test ping and its answer, pause or resume,
 * edit, rotate the secret (shown once), delete (confirmed), and its delivery log with Retry.
 */
export function EndpointPage({ endpointId }: { endpointId: string }) {
  const path = endpointPath(endpointId);
  const load = useCallback(() => api.get<Endpoint>(path), [path]);
  const [state, reload] = useLoad(load);
  const [said, setSaid] = useState('');
  const [test, setTest] = useState<TestResult | 'sending' | null>(null);
  const [rotated, setRotated] = useState<{ secret: string; previousSecretUntil: string } | null>(null);
  const [dialog, setDialog] = useState<'delete' | 'rotate' | null>(null);
  const [editing, setEditing] = useState(false);

  if (state.status === 'loading' && !state.data) return <Loading what="the endpoint" />;
  if (state.status === 'error' && state.error instanceof ApiError && state.error.status === 404)
    return (
      <section class="page integrations">
        <h1 tabIndex={-1}>No such endpoint</h1>
        <p class="empty">
          It was deleted, or the link is wrong. <a href="/console/integrations">All integrations</a>
        </p>
      </section>
    );
  if (!state.data)
    return (
      <Failed what="the endpoint" error={state.status === 'error' ? state.error : null} retry={reload} />
    );
  const e = state.data;

  async function act(what: () => Promise<unknown>, done: string) {
    try {
      await what();
      setSaid(done);
      await reload();
    } catch (error) {
      setSaid(`That did not work: ${problem(error)}`);
    }
  }
  async function ping() {
    setTest('sending');
    try {
      setTest(await api.post<TestResult>(`${path}/test`));
    } catch (error) {
      setTest(null);
      setSaid(`The test ping could not be sent: ${problem(error)}`);
    }
  }

  return (
    <section class="page integrations">
      <p>
        <a href="/console/integrations">All integrations</a>
      </p>
      <div class="page-head">
        <h1 tabIndex={-1} class="wh-url">
          {e.description || e.url}
        </h1>
      </div>
      <dl class="fields">
        <dt>URL</dt>
        <dd class="wh-url">{e.url}</dd>
        <dt>Status</dt>
        <dd>
          <EndpointStatus endpoint={e} />
        </dd>
        <dt>Event types</dt>
        <dd>{e.eventTypes.join(', ')}</dd>
        <dt>Last success</dt>
        <dd>{fmtTime(e.lastSuccessAt)}</dd>
        {e.previousSecretUntil && Date.parse(e.previousSecretUntil) > Date.now() ? (
          <>
            <dt>Previous secret</dt>
            <dd>still signs until {fmtTime(e.previousSecretUntil)}</dd>
          </>
        ) : null}
        <dt>Changed by</dt>
        <dd>
          {e.updatedBy.name}, {fmtTime(e.updatedAt)} (added by {e.createdBy.name}, {fmtTime(e.createdAt)})
        </dd>
      </dl>
      <p role="status" class="wh-said">
        {said}
      </p>
      <div class="bc-actions">
        <button type="button" class="button primary" onClick={ping} disabled={test === 'sending'}>
          Send test ping
        </button>
        {e.status === 'active' ? (
          <button
            type="button"
            class="button"
            onClick={() =>
              act(
                () => api.patch(path, { status: 'paused' }),
                'Paused: events from now on are neither sent to it nor kept for it.',
              )
            }
          >
            Pause
          </button>
        ) : (
          <button
            type="button"
            class="button"
            onClick={() =>
              act(() => api.patch(path, { status: 'active' }), 'Active again: new events are sent to it.')
            }
          >
            Resume
          </button>
        )}
        <button type="button" class="button" onClick={() => setEditing(!editing)} aria-expanded={editing}>
          Edit
        </button>
        <button type="button" class="button" onClick={() => setDialog('rotate')}>
          Rotate secret
        </button>
        <button type="button" class="button danger" onClick={() => setDialog('delete')}>
          Delete
        </button>
      </div>
      <TestAnswer test={test} />
      {rotated ? (
        <SecretOnce
          secret={rotated.secret}
          note={`The old secret keeps signing every delivery too until ${fmtTime(rotated.previousSecretUntil)} (24 hours), so your receiver can switch over.`}
        />
      ) : null}
      {editing ? (
        <EndpointForm
          initial={{ url: e.url, description: e.description, eventTypes: e.eventTypes }}
          submitLabel="Save changes"
          save={async (fields) => {
            await api.patch(path, fields);
            setEditing(false);
            setSaid('Saved.');
            await reload();
          }}
        />
      ) : null}
      {dialog === 'delete' ? (
        <Modal title="Delete this endpoint?" onClose={() => setDialog(null)}>
          <p>
            Leadflow stops sending to <span class="wh-url">{e.url}</span> and its delivery log is no longer
            shown. This cannot be undone.
          </p>
          <div class="bc-actions">
            <button
              type="button"
              class="button danger"
              onClick={() =>
                api.delete(path).then(
                  () => navigate('/console/integrations'),
                  (error) => {
                    setDialog(null);
                    setSaid(`Could not delete: ${problem(error)}`);
                  },
                )
              }
            >
              Yes, delete it
            </button>
            <button type="button" class="button" onClick={() => setDialog(null)}>
              Keep it
            </button>
          </div>
        </Modal>
      ) : null}
      {dialog === 'rotate' ? (
        <Modal title="Rotate the signing secret?" onClose={() => setDialog(null)}>
          <p>
            A new secret is made and shown once. The old one keeps signing deliveries for 24 hours, then
            stops.
          </p>
          <div class="bc-actions">
            <button
              type="button"
              class="button primary"
              onClick={() =>
                api.post<{ secret: string; previousSecretUntil: string }>(`${path}/rotate-secret`).then(
                  (answer) => {
                    setDialog(null);
                    setRotated(answer);
                    void reload();
                  },
                  (error) => {
                    setDialog(null);
                    setSaid(`Could not rotate: ${problem(error)}`);
                  },
                )
              }
            >
              Rotate
            </button>
            <button type="button" class="button" onClick={() => setDialog(null)}>
              Cancel
            </button>
          </div>
        </Modal>
      ) : null}
      <DeliveryLog endpointId={e.id} onRefresh={() => void reload()} />
    </section>
  );
}

function TestAnswer({ test }: { test: TestResult | 'sending' | null }) {
  return (
    <div aria-live="polite" class="wh-test">
      {test === 'sending' ? <p>Sending a signed webhook.test…</p> : null}
      {test && test !== 'sending' ? (
        <p class={test.delivered ? 'wh-test--ok' : 'wh-test--failed'}>
          <strong>{test.delivered ? 'Test ping delivered' : 'Test ping failed'}</strong>:{' '}
          {test.status ? `HTTP ${test.status}` : test.reason}, {test.latencyMs} ms
          {test.excerpt ? (
            <>
              {' '}
              — <q>{test.excerpt}</q>
            </>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}
