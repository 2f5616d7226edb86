import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { stringify } from 'yaml';
import { ApiError, api, problem } from '../api';
import { VersionConflict } from '../version-conflict';
import { ActivateBar } from './activate-bar';
import { problemsOfSequence, whereInWords } from './errors';
import { SequenceForm } from './form';
import { SequencePreviewPane } from './preview';
import { saveSequence, withSequence } from './save';
import { Tabs } from './tabs';
import type { NurtureState, Sequence, Validation } from './types';
import { YamlView } from './yaml-view';

const VALIDATE_DELAY_MS = 400;
type Tab = 'form' | 'yaml';

/**
 * Editing one sequence: a form for every field and a YAML tab on the same document, both checked
 * by POST /v1/admin/nurture/validate (the whole config with this sequence in it) as you type, each
 * problem shown at its field in words. Save adds a version; its diff against the active one is
 * shown before Activate. A new sequence (`isNew`, from "New sequence") is added to the config when
 * saved, and its diff shows every line as added.
 */
export function SequenceEditor({
  state,
  sequence: original,
  draft,
  isNew = false,
  onActivated,
  onReapply,
}: {
  state: NurtureState;
  sequence: Sequence;
  /** A change carried over from before a reload ("Reload and re-apply my change"). */
  draft?: Sequence;
  isNew?: boolean;
  onActivated: (version: number) => void;
  /** Reloads the latest version and opens this editor on it with my edits (original → doc) re-applied. */
  onReapply?: (original: Sequence, doc: Sequence) => void;
}) {
  const [doc, setDoc] = useState<Sequence>(draft ?? original);
  const [conflict, setConflict] = useState<ApiError | null>(null);
  const [tab, setTab] = useState<Tab>('form');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [checking, setChecking] = useState(false);
  const [saved, setSaved] = useState<number | null>(null);
  const [message, setMessage] = useState('');
  const [failure, setFailure] = useState('');
  const latest = useRef(0);
  const document = state.active?.document;
  const { index } = useMemo(() => withSequence(state, doc, original.id), [state, doc, original.id]);

  useEffect(() => {
    const call = ++latest.current;
    setChecking(true);
    const timer = setTimeout(async () => {
      try {
        const { config } = withSequence(state, doc, original.id);
        const result = await api.post<Validation>('/v1/admin/nurture/validate', { config });
        if (call !== latest.current) return;
        setErrors(result.valid ? {} : problemsOfSequence(result.errors, index));
      } catch (error) {
        if (call !== latest.current) return;
        setErrors(
          error instanceof ApiError ? problemsOfSequence(error.details, index) : { '': problem(error) },
        );
      } finally {
        if (call === latest.current) setChecking(false);
      }
    }, VALIDATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [doc, state, original.id, index]);

  const change = (next: Sequence) => {
    setDoc(next);
    setConflict(null);
    setSaved(null);
    setMessage('');
  };
  const problems = Object.entries(errors).map(([key, msg]) => ({
    where: whereInWords(key, doc),
    message: msg,
  }));
  const dirty = isNew || JSON.stringify(doc) !== JSON.stringify(original);
  const save = async () => {
    setFailure('');
    try {
      const version = await saveSequence(state, doc, original.id);
      setSaved(version);
      setMessage(`Saved as version ${version}. Nothing changes for leads until it is activated.`);
    } catch (error) {
      if (error instanceof ApiError && error.versionConflict) return setConflict(error);
      if (error instanceof ApiError && error.details.length > 0)
        setErrors(problemsOfSequence(error.details, index));
      setFailure(problem(error));
    }
  };
  return (
    <div class="seq-editor">
      <p class="seq-check-status" role="status">
        {checking
          ? 'Checking…'
          : problems.length === 0
            ? 'No problems found.'
            : `${problems.length} problem${problems.length === 1 ? '' : 's'} to fix.`}
      </p>
      <Tabs
        label="Edit the sequence as"
        tabs={[
          { id: 'form', label: 'Form' },
          { id: 'yaml', label: 'YAML' },
        ]}
        selected={tab}
        onSelect={setTab}
      >
        {tab === 'form' ? (
          <SequenceForm
            value={doc}
            onChange={change}
            errors={errors}
            templates={document?.templates ?? []}
            segments={document?.segments ?? []}
          />
        ) : (
          <YamlView value={doc} onChange={change} problems={problems} />
        )}
      </Tabs>
      {tab === 'form' && problems.some((p) => p.where.startsWith('Elsewhere')) ? (
        <ul class="field-error">
          {problems
            .filter((p) => p.where.startsWith('Elsewhere'))
            .map((p) => (
              <li key={p.where}>
                {p.where}: {p.message}
              </li>
            ))}
        </ul>
      ) : null}
      <div class="seq-save">
        <button
          type="button"
          class="button primary"
          disabled={!dirty || problems.length > 0 || checking}
          onClick={save}
        >
          Save as new version
        </button>
        {!dirty ? <span class="sub">No changes yet.</span> : null}
        <p role="status">{message}</p>
        {failure ? (
          <p class="error-state" role="alert">
            {failure}
          </p>
        ) : null}
      </div>
      {saved && state.active ? (
        <ActivateBar
          active={state.active.version}
          saved={saved}
          before={isNew ? '' : stringify(original)}
          after={stringify(doc)}
          onActivated={onActivated}
          onConflict={(error) => {
            setSaved(null);
            setMessage('');
            setConflict(error);
          }}
        />
      ) : null}
      {conflict ? (
        <VersionConflict
          error={conflict}
          yaml={stringify(doc)}
          onReapply={onReapply ? () => onReapply(original, doc) : undefined}
        />
      ) : null}
      {/* The saved version previewed before it is activated: what leads would get from it. */}
      {saved ? <SequencePreviewPane sequence={doc} version={saved} /> : null}
    </div>
  );
}
