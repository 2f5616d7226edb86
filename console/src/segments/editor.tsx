import { useEffect, useRef, useState } from 'preact/hooks';
import { stringify } from 'yaml';
import { api } from '../api';
import { fmtCount, stageLabel } from '../format';
import { fieldErrors, problem } from '../sales/states';
import { ReappliedNote, useVersionConflict, VersionConflict } from '../version-conflict';
import { ConditionRow, FieldSuggestions } from './condition-row';
import { segmentFieldInWords } from './reapply-words';
import { activateVersion, saveSegment } from './save';
import {
  newCondition,
  type SavedSegment,
  type SegmentDefinition,
  type SegmentList,
  type SegmentPreview,
} from './types';

const DEBOUNCE_MS = 400;
type Preview =
  | { status: 'idle' | 'loading' }
  | { status: 'ready'; data: SegmentPreview }
  | { status: 'error'; message: string };
type Saved =
  | { status: 'none' }
  | { status: 'saving' }
  | { status: 'saved'; version: number }
  | { status: 'active'; version: number };

/** Errors of one condition, by its own key (`value`, `in`...; '' for the condition itself), from API paths. */
function conditionErrors(
  errors: Record<string, string>,
  prefix: string,
  index: number,
): Record<string, string> {
  const out: Record<string, string> = {};
  const head = `${prefix}conditions.${index}`;
  for (const [path, message] of Object.entries(errors)) {
    if (path === head) out[''] = message;
    else if (path.startsWith(`${head}.`)) out[path.slice(head.length + 1)] = message;
  }
  return out;
}

/**
 * A segment being written: its conditions, a live count and sample (debounced), save as a version,
 * activate. Saving is based on `version`, the one `initial` was read from: if someone else activated
 * another version since, the page says so and offers to re-apply this edit on the latest one.
 */
export function SegmentEditor({ initial, version }: { initial?: SavedSegment; version?: number }) {
  const [id, setId] = useState(initial?.id ?? '');
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [definition, setDefinition] = useState<SegmentDefinition>(
    initial?.definition ?? { match: 'all', conditions: [newCondition('stage')] },
  );
  const [preview, setPreview] = useState<Preview>({ status: 'idle' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<Saved>({ status: 'none' });
  const [saveError, setSaveError] = useState<string | null>(null);
  const latest = useRef(0);
  const based = useVersionConflict<SavedSegment | undefined>({ version, doc: initial });
  const mine = (): SavedSegment => ({ id, name, ...(description ? { description } : {}), definition });

  useEffect(() => {
    const call = ++latest.current;
    setPreview({ status: 'loading' });
    const timer = setTimeout(async () => {
      try {
        const data = await api.post<SegmentPreview>('/v1/admin/segments/preview', { definition });
        if (call !== latest.current) return;
        setErrors({});
        setPreview({ status: 'ready', data });
      } catch (error) {
        if (call !== latest.current) return;
        setErrors(fieldErrors(error));
        setPreview({ status: 'error', message: problem(error) });
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [definition]);

  const setConditions = (conditions: SegmentDefinition['conditions']) => {
    setSaved({ status: 'none' });
    setDefinition({ ...definition, conditions });
  };
  // The version the saved edit started from: activation is refused (409) once another one is active.
  const basedOnRef = useRef<number | undefined>(undefined);
  const savedRef = useRef<SavedSegment | undefined>(undefined);
  const save = async (event: Event) => {
    event.preventDefault();
    setSaved({ status: 'saving' });
    setSaveError(null);
    based.dismiss();
    try {
      const segment = mine();
      const { version, basedOn } = await saveSegment(segment, initial?.id, based.base.version);
      basedOnRef.current = basedOn;
      savedRef.current = segment;
      setSaved({ status: 'saved', version });
    } catch (error) {
      setSaved({ status: 'none' });
      if (based.caught(error)) return;
      const byPath = fieldErrors(error);
      // config.segments.<id>.definition.… → definition.… (the same fields the preview names).
      const mine = Object.fromEntries(
        Object.entries(byPath).map(([path, message]) => [
          path.replace(/^config\.segments\.[^.]+\./, ''),
          message,
        ]),
      );
      setErrors(mine);
      setSaveError(problem(error));
      setSaved({ status: 'none' });
    }
  };
  const activate = async (version: number) => {
    setSaveError(null);
    try {
      await activateVersion(version, basedOnRef.current);
      setSaved({ status: 'active', version });
      // The next edit starts from the version just activated.
      based.rebase({ version, doc: savedRef.current });
    } catch (error) {
      if (based.caught(error)) setSaved({ status: 'none' });
      else setSaveError(problem(error));
    }
  };
  // "Reload and re-apply my change": my edits put on the segment as the latest version has it.
  const reapplyMine = async () => {
    setSaveError(null);
    try {
      const next = await based.reapplyOn(mine(), async () => {
        const list = await api.get<SegmentList>('/v1/admin/segments');
        const theirs = list.segments.find((s) => s.id === (initial?.id ?? id));
        return { version: list.version ?? undefined, doc: theirs };
      });
      if (next) {
        setName(next.name);
        setDescription(next.description ?? '');
        setDefinition(next.definition);
      }
      setSaved({ status: 'none' });
    } catch (error) {
      setSaveError(problem(error));
    }
  };

  return (
    <section class="page segments" aria-labelledby="segment-title">
      <div class="page-head">
        <h1 id="segment-title" tabIndex={-1}>
          {initial ? `Segment: ${initial.name}` : 'New segment'}
        </h1>
        <a href="/console/segments">All segments</a>
      </div>
      <div class="seg-layout">
        <form class="seg-form" onSubmit={save} noValidate>
          <FieldSuggestions />
          <div class="seg-control">
            <label for="seg-name">Name</label>
            <input
              id="seg-name"
              value={name}
              required
              aria-invalid={errors.name ? true : undefined}
              onInput={(e) => setName(e.currentTarget.value)}
            />
            {errors.name ? <p class="field-error">{errors.name}</p> : null}
          </div>
          <div class="seg-control">
            <label for="seg-id">Id (lower-case letters, digits and -)</label>
            <input
              id="seg-id"
              value={id}
              readOnly={initial !== undefined}
              aria-invalid={errors.id ? true : undefined}
              onInput={(e) => setId(e.currentTarget.value)}
            />
            {errors.id ? <p class="field-error">{errors.id}</p> : null}
          </div>
          <div class="seg-control">
            <label for="seg-description">Description</label>
            <textarea
              id="seg-description"
              rows={2}
              value={description}
              onInput={(e) => setDescription(e.currentTarget.value)}
            />
          </div>
          <fieldset class="seg-match">
            <legend>Leads must match</legend>
            {(['all', 'any'] as const).map((match) => (
              <label key={match} class="check">
                <input
                  type="radio"
                  name="seg-match"
                  value={match}
                  checked={definition.match === match}
                  onChange={() => setDefinition({ ...definition, match })}
                />{' '}
                {match === 'all' ? 'all conditions' : 'any condition'}
              </label>
            ))}
          </fieldset>
          {definition.conditions.length === 0 ? (
            <p class="empty">No conditions: every lead is in this segment.</p>
          ) : null}
          {definition.conditions.map((condition, index) => (
            <ConditionRow
              key={index}
              index={index}
              condition={condition}
              errors={conditionErrors(errors, 'definition.', index)}
              onChange={(next) =>
                setConditions(definition.conditions.map((c, i) => (i === index ? next : c)))
              }
              onRemove={() => setConditions(definition.conditions.filter((_, i) => i !== index))}
            />
          ))}
          {based.reapplied ? (
            <ReappliedNote
              class="seg-reapplied"
              reapplied={based.reapplied}
              fieldInWords={(path) => segmentFieldInWords(path, mine())}
            />
          ) : null}
          <div class="seg-actions">
            <button
              type="button"
              class="button"
              onClick={() => setConditions([...definition.conditions, newCondition('field')])}
            >
              Add condition
            </button>
            <button type="submit" class="button primary" disabled={saved.status === 'saving'}>
              {saved.status === 'saving' ? 'Saving…' : 'Save as new version'}
            </button>
          </div>
          <div role="status" class="seg-saved">
            {saved.status === 'saved' ? (
              <p>
                Saved as nurture config version {saved.version}; nothing changes until it is active.{' '}
                <button type="button" class="button primary" onClick={() => activate(saved.version)}>
                  Activate version {saved.version}
                </button>
              </p>
            ) : saved.status === 'active' ? (
              <p>
                Version {saved.version} is active: broadcasts, the lead list and sequences use this segment
                now. <a href="/console/segments">Back to segments</a>
              </p>
            ) : null}
          </div>
          {saveError ? (
            <p class="error-state" role="alert">
              Not saved: {saveError}
            </p>
          ) : null}
          {based.conflict ? (
            <VersionConflict error={based.conflict} yaml={stringify(mine())} onReapply={reapplyMine} />
          ) : null}
        </form>
        <SegmentCount preview={preview} />
      </div>
    </section>
  );
}

function SegmentCount({ preview }: { preview: Preview }) {
  return (
    <aside class="seg-preview" aria-labelledby="seg-preview-title">
      <h2 id="seg-preview-title">Matching leads</h2>
      <p class="seg-count" aria-live="polite" aria-busy={preview.status === 'loading'}>
        {preview.status === 'ready'
          ? `${fmtCount(preview.data.count)}${preview.data.complete ? '' : '+'} of ${fmtCount(preview.data.scanned)} leads${preview.data.complete ? '' : ' read so far'}`
          : preview.status === 'error'
            ? 'The segment has errors: see the fields.'
            : 'Counting…'}
      </p>
      {preview.status === 'error' ? (
        <p class="field-error" role="alert">
          {preview.message}
        </p>
      ) : null}
      {preview.status === 'ready' && preview.data.sample.length > 0 ? (
        <div class="table-wrap">
          <table class="seg-sample">
            <caption>The first {preview.data.sample.length} matching leads</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Company</th>
                <th scope="col">Stage</th>
                <th scope="col" class="num">
                  Score
                </th>
              </tr>
            </thead>
            <tbody>
              {preview.data.sample.map((lead) => (
                <tr key={lead.leadId}>
                  <td>
                    <a href={`/console/leads/${encodeURIComponent(lead.leadId)}`}>{lead.name ?? 'No name'}</a>
                  </td>
                  <td>{lead.company ?? '—'}</td>
                  <td>{stageLabel(lead.stage)}</td>
                  <td class="num">{lead.score ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : preview.status === 'ready' ? (
        <p class="empty">No lead matches these conditions yet.</p>
      ) : null}
    </aside>
  );
}
