import { useEffect, useState } from 'preact/hooks';

type FormsModule = typeof import('./pages');
let loading: Promise<FormsModule> | undefined;

/** /console/forms, /console/forms/new and /console/forms/{id}, or undefined for another path. */
export function formOfPath(path: string): { formId?: string } | undefined {
  if (path === '/console/forms') return {};
  const one = /^\/console\/forms\/([^/]+)$/.exec(path);
  return one?.[1] ? { formId: decodeURIComponent(one[1]) } : undefined;
}

/** The Forms pages, fetched on first use so the console's initial JS does not grow. */
export function LazyForms({ formId }: { formId?: string }) {
  const [module, setModule] = useState<FormsModule | null>(null);
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
  if (module) return formId ? <module.FormPage formId={formId} /> : <module.FormsList />;
  return (
    <section class="page">
      <h1 tabIndex={-1}>Forms</h1>
      {failed ? (
        <div class="error-state" role="alert">
          <p>The Forms page could not be loaded. Check your connection and try again.</p>
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
          Loading the forms…
        </p>
      )}
    </section>
  );
}
