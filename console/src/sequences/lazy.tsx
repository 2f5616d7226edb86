import { LazyPage, moduleLoader } from '../lazy';

export { sequenceOfPath } from './paths';

const pages = moduleLoader(() => import('./pages'));

/** The sequence pages, fetched on first use (the YAML library and the form stay out of the first load). */
export function LazySequences({
  sequenceId,
  edit,
  create,
}: {
  sequenceId?: string;
  edit?: boolean;
  create?: boolean;
}) {
  return (
    <LazyPage
      loader={pages}
      title="Sequences"
      loadingText="Loading the sequences…"
      failedWhat="The sequence pages"
    >
      {(m) =>
        create ? (
          <m.NewSequencePage />
        ) : sequenceId ? (
          <m.SequencePage
            key={`${sequenceId}${edit ? '/edit' : ''}`}
            sequenceId={sequenceId}
            edit={edit ?? false}
          />
        ) : (
          <m.SequencesList />
        )
      }
    </LazyPage>
  );
}
