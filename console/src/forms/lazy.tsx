import { LazyPage, moduleLoader } from '../lazy';

const pages = moduleLoader(() => import('./pages'));

/** /console/forms, /console/forms/new and /console/forms/{id}, or undefined for another path. */
export function formOfPath(path: string): { formId?: string } | undefined {
  if (path === '/console/forms') return {};
  const one = /^\/console\/forms\/([^/]+)$/.exec(path);
  return one?.[1] ? { formId: decodeURIComponent(one[1]) } : undefined;
}

/** The Forms pages, fetched on first use so the console's initial JS does not grow. */
export function LazyForms({ formId }: { formId?: string }) {
  return (
    <LazyPage loader={pages} title="Forms" loadingText="Loading the forms…" failedWhat="The Forms page">
      {(m) => (formId ? <m.FormPage formId={formId} /> : <m.FormsList />)}
    </LazyPage>
  );
}
