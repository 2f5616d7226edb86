import { useEffect, useState } from 'preact/hooks';

type TemplatesModule = typeof import('./pages');
let loading: Promise<TemplatesModule> | undefined;

/** /console/templates and /console/templates/{id}, or undefined for another path. */
export function templateOfPath(path: string): { templateId?: string } | undefined {
  if (path === '/console/templates') return {};
  const one = /^\/console\/templates\/([^/]+)$/.exec(path);
  return one?.[1] ? { templateId: decodeURIComponent(one[1]) } : undefined;
}

/**
 * The template pages, fetched on first use: the editor (CodeMirror) is their own file, so the
 * console's initial JS does not grow.
 */
export function LazyTemplates({ templateId }: { templateId?: string }) {
  const [module, setModule] = useState<TemplatesModule | null>(null);
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
  if (failed)
    return (
      <section class="page">
        <h1 tabIndex={-1}>Templates</h1>
        <div class="error-state" role="alert">
          <p>The template editor could not be loaded. Check your connection and try again.</p>
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
      </section>
    );
  if (!module)
    return (
      <section class="page">
        <h1 tabIndex={-1}>Templates</h1>
        <p class="empty" role="status">
          Loading the templates…
        </p>
      </section>
    );
  return templateId ? <module.TemplateEditor templateId={templateId} /> : <module.TemplatesList />;
}
