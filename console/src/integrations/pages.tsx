import { EndpointPage } from './endpoint';
import { IntegrationsPage, NewEndpointPage } from './list';

/** The Integrations pages, loaded on first use (lazy.tsx). */
export function IntegrationsRoute({ endpointId }: { endpointId?: string }) {
  if (endpointId === 'new') return <NewEndpointPage />;
  return endpointId ? <EndpointPage key={endpointId} endpointId={endpointId} /> : <IntegrationsPage />;
}
