import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { stringify } from 'yaml';
import { ApiError, api, problem } from '../api';
import { ReappliedNote, useVersionConflict, VersionConflict } from '../version-conflict';
import { ActivateBar } from './activate-bar';
import { problemsOfSequence, whereInWords } from './errors';
import { SequenceForm } from './form';
import { SequencePreviewPane } from './preview';
import { sequenceFieldInWords } from './reapply-words';
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
 * saved, and its diff shows every line as added. Save and activate are based on the version the
 * edit started from: if someone else activated another one since, the notice offers to re-apply
 * this edit on the latest version (where the page can read it: `readLatest`).
 */
export function SequenceEditor({
  state,
  sequence: original,
  isNew = false,
  onActivated,
  readLatest,
}: {
  state: NurtureState;
  sequence: Sequence;
  isNew?: boolean;
  onActivated: (version: number) => void;
  /**
   * Reads the latest nurture config (and shows it on the page, so `state` and `sequence` follow):
   * "Reload and re-apply my change" puts my edits on its version of this sequence.
   */
  readLatest?: () => Promise<NurtureState>;
}) {
  const [doc, setDoc] = useState<Sequence>(original);
  // The version the edit started from (sent as basedOn) and the sequence as it was then.
  const based = useVersionConflict<Sequence>({ version: state.active?.version, doc: original });
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
    based.dismiss();
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
      const version = await saveSequence(state, doc, original.id, based.base.version);
      setSaved(version);
      setMessage(`Saved as version ${version}. Nothing changes for leads until it is activated.`);
    } catch (error) {
      if (based.caught(error)) return;
      if (error instanceof ApiError && error.details.length > 0)
        setErrors(problemsOfSequence(error.details, index));
      setFailure(problem(error));
    }
  };
  // "Reload and re-apply my change": my edits put on the sequence as the latest version has it.
  const reapplyMine = readLatest
    ? async () => {
        setFailure('');
        try {
          const next = await based.reapplyOn(doc, async () => {
            const nurture = await readLatest();
            const theirs = nurture.active?.document.sequences.find((s) => s.id === original.id);
            return { version: nurture.active?.version, doc: theirs ?? doc };
          });
          setDoc(next);
          setSaved(null);
          setMessage('');
        } catch (error) {
          setFailure(problem(error));
        }
      }
    : undefined;
  return (
    <div class="seq-editor">
      {based.reapplied ? (
        <ReappliedNote
          class="seq-reapplied"
          reapplied={based.reapplied}
          fieldInWords={(path) => sequenceFieldInWords(path, doc)}
        />
      ) : null}
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
          onActivated={(version) => {
            setSaved(null);
            setMessage('');
            // The next edit starts from the version just activated.
            based.rebase({ version, doc });
            onActivated(version);
          }}
          onConflict={(error) => {
            setSaved(null);
            setMessage('');
            based.caught(error);
          }}
        />
      ) : null}
      {based.conflict ? (
        <VersionConflict error={based.conflict} yaml={stringify(doc)} onReapply={reapplyMine} />
      ) : null}
      {/* The saved version previewed before it is activated: what leads would get from it. */}
      {saved ? <SequencePreviewPane sequence={doc} version={saved} /> : null}
    </div>
  );
}
