import { useCallback, useState } from 'preact/hooks';
import { api } from '../api';
import { fmtAgo, fmtTime } from '../format';
import { Empty, Failed, Loading } from '../sales/states';
import { useLoad } from '../sales/use-load';
import { EndpointForm } from './endpoint-form';
import { SecretOnce } from './secret';
import {
  type Delivery,
  type DeliveryPage,
  ENDPOINTS,
  type Endpoint,
  endpointPath,
  OUTCOME_LABELS,
  STATUS_LABELS,
  stoppedBecause,
} from './types';

/** Each endpoint with its newest delivery (one small log page each; null when it has none yet). */
async function loadEndpoints() {
  const { endpoints } = await api.get<{ endpoints: Endpoint[] }>(ENDPOINTS);
  const last = await Promise.all(
    endpoints.map((e) =>
      api.get<DeliveryPage>(`${endpointPath(e.id)}/deliveries?limit=1`).then(
        (page) => page.deliveries[0] ?? null,
        () => undefined,
      ),
    ),
  );
  return endpoints.map((endpoint, i) => ({ endpoint, last: last[i] }));
}

/** /console/integrations: the outbound webhook endpoints, their state and their newest delivery. */
export function IntegrationsPage() {
  const [state, reload] = useLoad(useCallback(loadEndpoints, []));
  return (
    <section class="page integrations">
      <div class="page-head">
        <h1 tabIndex={-1}>Integrations</h1>
        <a class="button primary" href="/console/integrations/new">
          Add endpoint
        </a>
      </div>
      <h2>Outbound webhooks</h2>
      {state.status === 'loading' && !state.data ? <Loading what="webhook endpoints" /> : null}
      {state.status === 'error' ? (
        <Failed what="webhook endpoints" error={state.error} retry={reload} />
      ) : null}
      {state.data?.length === 0 ? (
        <Empty title="No webhook endpoints yet">
          A webhook endpoint is a URL of your CRM, Zapier, Make or own service: Leadflow POSTs it a signed
          JSON message each time something you choose happens to a lead (it turned hot, changed stage, was
          erased…). <a href="/console/integrations/new">Add an endpoint</a> with its URL and the event types
          it wants, then send it a test ping.
        </Empty>
      ) : null}
      {state.data && state.data.length > 0 ? (
        <div class="table-wrap">
          <table class="wh-table">
            <caption class="visually-hidden">Webhook endpoints</caption>
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Event types</th>
                <th scope="col">Status</th>
                <th scope="col">Last delivery</th>
              </tr>
            </thead>
            <tbody>
              {state.data.map(({ endpoint: e, last }) => (
                <tr key={e.id}>
                  <td>
                    <a href={`/console/integrations/${encodeURIComponent(e.id)}`} class="wh-url">
                      {e.url}
                    </a>
                    {e.description ? <span class="sub">{e.description}</span> : null}
                  </td>
                  <td>{e.eventTypes.join(', ')}</td>
                  <td>
                    <EndpointStatus endpoint={e} />
                  </td>
                  <td>
                    <LastDelivery last={last} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

export function EndpointStatus({ endpoint }: { endpoint: Endpoint }) {
  const why = stoppedBecause(endpoint);
  return (
    <>
      <span class={`wh-status wh-status--${endpoint.status}`}>{STATUS_LABELS[endpoint.status]}</span>
      {why ? <span class="sub">{why}</span> : null}
      {endpoint.failingSince ? (
        <span class="sub wh-failing" title={fmtTime(endpoint.failingSince)}>
          Failing since {fmtTime(endpoint.failingSince)}
        </span>
      ) : null}
    </>
  );
}

function LastDelivery({ last }: { last: Delivery | null | undefined }) {
  if (last === undefined) return <span class="sub">not loaded</span>;
  if (last === null) return <span class="sub">none yet</span>;
  return (
    <>
      <span class={`wh-outcome wh-outcome--${last.outcome}`}>
        {OUTCOME_LABELS[last.outcome]}
        {last.status ? ` (${last.status})` : ''}
      </span>
      <span class="sub" title={fmtTime(last.at)}>
        {last.eventType}, {fmtAgo(last.at)}
      </span>
    </>
  );
}

/** /console/integrations/new: the form, then the secret, this once. */
export function NewEndpointPage() {
  const [created, setCreated] = useState<(Endpoint & { secret: string }) | null>(null);
  if (created)
    return (
      <section class="page integrations">
        <h1 tabIndex={-1}>Endpoint added</h1>
        <p>
          Leadflow now sends <code>{created.eventTypes.join(', ')}</code> to{' '}
          <span class="wh-url">{created.url}</span>.
        </p>
        <SecretOnce secret={created.secret} />
        <p>
          <a class="button primary" href={`/console/integrations/${encodeURIComponent(created.id)}`}>
            I stored it: open the endpoint
          </a>
        </p>
      </section>
    );
  return (
    <section class="page integrations">
      <p>
        <a href="/console/integrations">All integrations</a>
      </p>
      <h1 tabIndex={-1}>Add a webhook endpoint</h1>
      <EndpointForm
        initial={{ url: '', description: '', eventTypes: ['lead.hot'] }}
        submitLabel="Add endpoint"
        cancelHref="/console/integrations"
        save={async (fields) => {
          setCreated(await api.post<Endpoint & { secret: string }>(ENDPOINTS, fields));
          // Focus the new heading so a screen reader hears that the secret is shown.
          setTimeout(() => document.querySelector<HTMLElement>('main h1')?.focus());
        }}
      />
    </section>
  );
}
