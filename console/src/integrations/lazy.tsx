import { LazyPage, moduleLoader } from '../lazy';

const pages = moduleLoader(() => import('./pages'));

/** /console/integrations, .../new and .../{endpointId}, or undefined for another path. */
export function integrationOfPath(path: string): { endpointId?: string } | undefined {
  if (path === '/console/integrations') return {};
  const one = /^\/console\/integrations\/([^/]+)$/.exec(path);
  return one?.[1] ? { endpointId: decodeURIComponent(one[1]) } : undefined;
}

/** The Integrations pages (admins only), fetched on first use so the console's first load stays small. */
export function LazyIntegrations({ endpointId }: { endpointId?: string }) {
  return (
    <LazyPage
      loader={pages}
      title="Integrations"
      loadingText="Loading the integrations…"
      failedWhat="The Integrations page"
    >
      {(m) => <m.IntegrationsRoute endpointId={endpointId} />}
    </LazyPage>
  );
}
