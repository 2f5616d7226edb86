import { LazyPage, moduleLoader } from '../lazy';

const pages = moduleLoader(() => import('./pages'));

/** /console/templates and /console/templates/{id}, or undefined for another path. */
export function templateOfPath(path: string): { templateId?: string } | undefined {
  if (path === '/console/templates') return {};
  const one = /^\/console\/templates\/([^/]+)$/.exec(path);
  return one?.[1] ? { templateId: decodeURIComponent(one[1]) } : undefined;
}

/** The template pages, fetched on first use: the editor (CodeMirror) is their own file. */
export function LazyTemplates({ templateId }: { templateId?: string }) {
  return (
    <LazyPage
      loader={pages}
      title="Templates"
      loadingText="Loading the templates…"
      failedWhat="The template editor"
    >
      {(m) => (templateId ? <m.TemplateEditor templateId={templateId} /> : <m.TemplatesList />)}
    </LazyPage>
  );
}
