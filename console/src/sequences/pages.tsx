import { useCallback, useState } from 'preact/hooks';
import { api } from '../api';
import { fmtCount } from '../format';
import { Empty, Failed, Loading } from '../sales/states';
import { useLoad } from '../sales/use-load';
import { SequenceEditor } from './editor';
import { exitedBy, sequenceNumbers } from './numbers';
import { SequencePreviewPane } from './preview';
import { SequenceTimeline } from './timeline';

export { NewSequencePage } from './new-page';

import type { NurtureState, SequenceNumbers } from './types';
import { triggerWords } from './words';

const loadAll = () =>
  Promise.all([
    api.get<NurtureState>('/v1/admin/nurture'),
    // Numbers are extra: the list still shows when the report cannot be read.
    sequenceNumbers().catch(() => null),
  ]);

/** /console/sequences: every sequence of the active config with its live numbers. */
export function SequencesList() {
  const [state, reload] = useLoad(useCallback(loadAll, []));
  const [nurture, numbers] = state.data ?? [null, null];
  const sequences = nurture?.active?.document.sequences ?? [];
  const n = (row: SequenceNumbers | undefined, key: string) => fmtCount(Number(row?.[key] ?? 0));
  return (
    <section class="page sequences">
      <div class="page-head">
        <div>
          <h1 tabIndex={-1}>Sequences</h1>
          {nurture?.active ? <p class="sub">Active config: version {nurture.active.version}</p> : null}
        </div>
        {nurture?.active ? (
          <a class="button primary" href="/console/sequences/new">
            New sequence
          </a>
        ) : null}
      </div>
      {state.status === 'loading' && !state.data ? <Loading what="sequences" /> : null}
      {state.status === 'error' && !state.data ? (
        <Failed what="sequences" error={state.error} retry={reload} />
      ) : null}
      {nurture && !nurture.active ? (
        <Empty title="No nurture config is active yet">
          Publish one with <code>config push</code>, then its sequences show here.
        </Empty>
      ) : null}
      {nurture?.active && sequences.length === 0 ? (
        <Empty title="No sequences yet">
          <a href="/console/sequences/new">Create a sequence</a> to send leads a series of emails when they
          sign up, reach a stage or do something.
        </Empty>
      ) : null}
      {state.data && !numbers ? (
        <p class="sub" role="status">
          The numbers could not be read from the reports just now.
        </p>
      ) : null}
      {sequences.length > 0 ? (
        <div class="card table-wrap">
          <table class="seq-table">
            <caption class="visually-hidden">
              Sequences of version {nurture?.active?.version}, numbers of the last year
            </caption>
            <thead>
              <tr>
                <th scope="col">Sequence</th>
                <th scope="col" class="num">
                  Enrolled
                </th>
                <th scope="col" class="num">
                  Active
                </th>
                <th scope="col" class="num">
                  Completed
                </th>
                <th scope="col" class="num">
                  Exited
                </th>
                <th scope="col">Exited because</th>
              </tr>
            </thead>
            <tbody>
              {sequences.map((s) => {
                const row = numbers?.get(s.id);
                return (
                  <tr key={s.id}>
                    <td>
                      <a href={`/console/sequences/${encodeURIComponent(s.id)}`}>{s.name}</a>
                      <span class="sub">
                        {triggerWords(s.trigger)}
                        {s.enabled === false ? ' · turned off' : ''}
                      </span>
                    </td>
                    <td class="num">{n(row, 'enrolled')}</td>
                    <td class="num">{n(row, 'active')}</td>
                    <td class="num">{n(row, 'completed')}</td>
                    <td class="num">{n(row, 'exited')}</td>
                    <td>{exitedBy(row) || '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

/** /console/sequences/{id} (the timeline and the preview) and /console/sequences/{id}/edit. */
export function SequencePage({ sequenceId, edit }: { sequenceId: string; edit: boolean }) {
  const [state, reload] = useLoad(useCallback(() => api.get<NurtureState>('/v1/admin/nurture'), []));
  const [activated, setActivated] = useState<number | null>(null);
  const nurture = state.data;
  const sequence = nurture?.active?.document.sequences.find((s) => s.id === sequenceId);
  if (state.status === 'loading' && !nurture) return <Loading what="the sequence" />;
  if (state.status === 'error' && !nurture)
    return <Failed what="the sequence" error={state.error} retry={reload} />;
  if (!nurture || !sequence)
    return (
      <section class="page">
        <h1 tabIndex={-1}>Sequence not found</h1>
        <p class="empty">
          The active config has no sequence “{sequenceId}”. <a href="/console/sequences">All sequences</a>
        </p>
      </section>
    );
  const path = `/console/sequences/${encodeURIComponent(sequence.id)}`;
  return (
    <section class="page sequences">
      <p class="crumbs">
        <a href="/console/sequences">Sequences</a>
        {edit ? (
          <>
            {' › '}
            <a href={path}>{sequence.name}</a>
          </>
        ) : null}
      </p>
      <div class="page-head">
        <h1 tabIndex={-1}>{edit ? `Edit ${sequence.name}` : sequence.name}</h1>
        {edit ? null : (
          <a class="button primary" href={`${path}/edit`}>
            Edit<span class="visually-hidden"> {sequence.name}</span>
          </a>
        )}
      </div>
      {edit ? (
        <>
          {activated ? (
            <p class="seq-activated" role="status">
              Version {activated} is active: leads get this sequence as you saved it.{' '}
              <a href={path}>See its timeline and preview</a>
            </p>
          ) : null}
          <SequenceEditor
            key={sequence.id}
            state={nurture}
            sequence={sequence}
            onActivated={(version) => {
              setActivated(version);
              void reload();
            }}
            readLatest={async () => {
              const latest = await api.get<NurtureState>('/v1/admin/nurture');
              await reload();
              return latest;
            }}
          />
        </>
      ) : (
        <div class="seq-layout">
          <SequenceTimeline sequence={sequence} segments={nurture.active?.document.segments ?? []} />
          <SequencePreviewPane sequence={sequence} />
        </div>
      )}
    </section>
  );
}
