import { useEffect, useState } from 'preact/hooks';

type SequencesModule = typeof import('./pages');
let loading: Promise<SequencesModule> | undefined;

export { sequenceOfPath } from './paths';

/** The sequence pages, fetched on first use (the YAML library and the form stay out of the first load). */
export function LazySequences({ sequenceId, edit }: { sequenceId?: string; edit?: boolean }) {
  const [module, setModule] = useState<SequencesModule | null>(null);
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
        <h1 tabIndex={-1}>Sequences</h1>
        <div class="error-state" role="alert">
          <p>The sequence pages could not be loaded. Check your connection and try again.</p>
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
        <h1 tabIndex={-1}>Sequences</h1>
        <p class="empty" role="status">
          Loading the sequences…
        </p>
      </section>
    );
  return sequenceId ? (
    <module.SequencePage
      key={`${sequenceId}${edit ? '/edit' : ''}`}
      sequenceId={sequenceId}
      edit={edit ?? false}
    />
  ) : (
    <module.SequencesList />
  );
}
