import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, problem } from '../api';
import { fmtCount, stageLabel } from '../format';
import { STAGES } from '../leads/types';
import { Failed, Loading } from '../sales/states';
import { useLoad } from '../sales/use-load';
import type { SegmentList, SegmentPreview } from '../segments/types';

/** Who a new broadcast goes to: leads at chosen stages, or a saved segment of the active config. */
export type Audience = { kind: 'stages'; stages: string[] } | { kind: 'segment'; segmentId: string };

const FIRST_STAGES = ['subscriber'];
export const NEW_AUDIENCE: Audience = { kind: 'stages', stages: FIRST_STAGES };

/** The broadcast body's `segment`: consent is always required; a saved segment is named by its id. */
export function segmentBody(audience: Audience) {
  if (audience.kind === 'segment')
    return { ...(audience.segmentId ? { segmentId: audience.segmentId } : {}), consent: true as const };
  return { ...(audience.stages.length > 0 ? { stages: audience.stages } : {}), consent: true as const };
}

interface Props {
  audience: Audience;
  onChange: (audience: Audience) => void;
  error?: string;
}

/** The "Who" of a new broadcast: stages as checkboxes, or a saved segment picked with its live count. */
export function AudienceFields({ audience, onChange, error }: Props) {
  const [stages, setStages] = useState(audience.kind === 'stages' ? audience.stages : FIRST_STAGES);
  return (
    <fieldset>
      <legend>Who (only leads who gave marketing consent)</legend>
      <label class="check">
        <input
          type="radio"
          name="bc-audience"
          checked={audience.kind === 'stages'}
          onChange={() => onChange({ kind: 'stages', stages })}
        />{' '}
        Leads at these stages
      </label>
      <label class="check">
        <input
          type="radio"
          name="bc-audience"
          checked={audience.kind === 'segment'}
          onChange={() => onChange({ kind: 'segment', segmentId: '' })}
        />{' '}
        A saved segment
      </label>
      {audience.kind === 'stages' ? (
        <fieldset>
          <legend>Stages</legend>
          {STAGES.map((stage) => (
            <label key={stage} class="check">
              <input
                type="checkbox"
                checked={audience.stages.includes(stage)}
                onChange={(e) => {
                  const next = e.currentTarget.checked
                    ? [...audience.stages, stage]
                    : audience.stages.filter((s) => s !== stage);
                  setStages(next);
                  onChange({ kind: 'stages', stages: next });
                }}
              />{' '}
              {stageLabel(stage)}
            </label>
          ))}
        </fieldset>
      ) : (
        <SegmentPicker
          segmentId={audience.segmentId}
          onChange={(segmentId) => onChange({ kind: 'segment', segmentId })}
        />
      )}
      {error ? <p class="field-error">{error}</p> : null}
    </fieldset>
  );
}

/** The saved segments (GET /v1/admin/segments) and the chosen one's live count (its preview). */
function SegmentPicker({ segmentId, onChange }: { segmentId: string; onChange: (id: string) => void }) {
  const load = useCallback(() => api.get<SegmentList>('/v1/admin/segments'), []);
  const [list, reload] = useLoad(load);
  const [count, setCount] = useState<{ id: string; text: string } | null>(null);
  const segments = list.data?.segments ?? [];
  const chosen = segmentId || segments[0]?.id || '';
  useEffect(() => {
    if (chosen && chosen !== segmentId) onChange(chosen);
  }, [chosen, segmentId, onChange]);
  useEffect(() => {
    if (!chosen) return;
    let live = true;
    setCount(null);
    api.post<SegmentPreview>('/v1/admin/segments/preview', { segmentId: chosen }).then(
      (p) =>
        live &&
        setCount({
          id: chosen,
          text: `${fmtCount(p.count)}${p.complete ? '' : '+'} ${p.count === 1 ? 'lead matches' : 'leads match'} this segment now`,
        }),
      (e) => live && setCount({ id: chosen, text: `Not counted: ${problem(e)}` }),
    );
    return () => {
      live = false;
    };
  }, [chosen]);

  if (list.status === 'loading' && !list.data) return <Loading what="saved segments" />;
  if (list.status === 'error' && !list.data)
    return <Failed what="saved segments" error={list.error} retry={reload} />;
  if (segments.length === 0)
    return (
      <p class="empty">
        No saved segments yet. <a href="/console/segments/new">Create a segment</a>, activate it, and it can
        be chosen here.
      </p>
    );
  const description = segments.find((s) => s.id === chosen)?.description;
  return (
    <>
      <label for="bc-segment">Saved segment</label>
      <select
        id="bc-segment"
        value={chosen}
        aria-describedby="bc-segment-count"
        onChange={(e) => onChange(e.currentTarget.value)}
      >
        {segments.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      {description ? <p class="sub">{description}</p> : null}
      <p id="bc-segment-count" class="bc-segment-count" aria-live="polite" aria-busy={count?.id !== chosen}>
        {count?.id === chosen ? count.text : 'Counting…'}
      </p>
      <p class="sub">
        Of these, leads without marketing consent, owned by sales or suppressed are left out: Count recipients
        says how many.
      </p>
    </>
  );
}
