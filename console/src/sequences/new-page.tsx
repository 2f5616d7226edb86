import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { Empty, Failed, Loading } from '../sales/states';
import { useLoad } from '../sales/use-load';
import { SequenceEditor } from './editor';
import { NewSequenceStart } from './new-start';
import type { NurtureState, Sequence } from './types';

/**
 * /console/sequences/new: the id, name, trigger and first step, then the same editor as an
 * existing sequence; Save adds a version holding it (nothing live), the diff shows it added, and
 * Activate makes it live.
 */
export function NewSequencePage() {
  const [state, reload] = useLoad(useCallback(() => api.get<NurtureState>('/v1/admin/nurture'), []));
  const [started, setStarted] = useState<Sequence | null>(null);
  const [activated, setActivated] = useState<number | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const done = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (started) heading.current?.focus();
  }, [started]);
  useEffect(() => {
    if (activated) done.current?.focus();
  }, [activated]);
  const nurture = state.data;
  if (state.status === 'loading' && !nurture) return <Loading what="the sequences" />;
  if (state.status === 'error' && !nurture)
    return <Failed what="the sequences" error={state.error} retry={reload} />;
  const path = started ? `/console/sequences/${encodeURIComponent(started.id)}` : '';
  return (
    <section class="page sequences">
      <p class="crumbs">
        <a href="/console/sequences">Sequences</a>
      </p>
      <div class="page-head">
        <h1 tabIndex={-1} ref={heading}>
          {started ? `New sequence: ${started.name}` : 'New sequence'}
        </h1>
      </div>
      {!nurture?.active ? (
        <Empty title="No nurture config is active yet">
          A sequence is added to the active config: publish one with <code>config push</code> first.
        </Empty>
      ) : activated && started ? (
        <p class="seq-activated" role="status" tabIndex={-1} ref={done}>
          Version {activated} is active: “{started.name}” is live and enrolls leads from now on.{' '}
          <a href={path}>See its timeline and preview</a>
        </p>
      ) : started ? (
        <SequenceEditor state={nurture} sequence={started} isNew onActivated={setActivated} />
      ) : (
        <NewSequenceStart
          templates={nurture.active.document.templates}
          existing={nurture.active.document.sequences.map((s) => s.id)}
          onStart={setStarted}
        />
      )}
    </section>
  );
}
