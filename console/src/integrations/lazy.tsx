import { useEffect, useState } from 'preact/hooks';

type IntegrationsModule = typeof import('./pages');
let loading: Promise<IntegrationsModule> | undefined;

/** /console/integrations, .../new and .../{endpointId}, or undefined for another path. */
export function integrationOfPath(path: string): { endpointId?: string } | undefined {
  if (path === '/console/integrations') return {};
  const one = /^\/console\/integrations\/([^/]+)$/.exec(path);
  return one?.[1] ? { endpointId: decodeURIComponent(one[1]) } : undefined;
}

/** The Integrations pages (admins only), fetched on first use so the console's first load stays small. */
export function LazyIntegrations({ endpointId }: { endpointId?: string }) {
  const [module, setModule] = useState<IntegrationsModule | null>(null);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    loading ??= import('./pages');
    loading.then(
      (m) => setModule(() => m),
      () => {
        loading = undefined;
        setFailed(true);
      },
    );
  }, [attempt]);
  if (module) return <module.IntegrationsRoute endpointId={endpointId} />;
  return (
    <section class="page">
      <h1 tabIndex={-1}>Integrations</h1>
      {failed ? (
        <div class="error-state" role="alert">
          <p>The Integrations page could not be loaded. Check your connection and try again.</p>
          <button
            type="button"
            class="button"
            onClick={() => {
              setFailed(false);
              setAttempt((n) => n + 1);
            }}
          >
            Retry
          </button>
        </div>
      ) : (
        <p class="empty" role="status">
          Loading the integrations…
        </p>
      )}
    </section>
  );
}
