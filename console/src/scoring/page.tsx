import { useCallback, useEffect, useState } from 'preact/hooks';
import { stringify } from 'yaml';
import { ApiError, api, problem } from '../api';
import { Failed, Loading } from '../sales/states';
import { useLoad } from '../sales/use-load';
import { ReappliedNote, useVersionConflict, VersionConflict } from '../version-conflict';
import { BacktestPanel } from './backtest';
import { errorsByCell } from './cells';
import { EngagementRulesTable } from './engagement-rules';
import { FitRulesTable } from './fit-rules';
import { JumpLinks, Page } from './frame';
import { ProblemList } from './problems';
import { scoringFieldInWords } from './reapply-words';
import { SimulatePanel } from './simulate';
import { ThresholdsForm } from './thresholds';
import type { Problem, ScoringModel, ScoringVersions, Validation } from './types';
import { RescoreStatus, useRescore, VersionsTable } from './versions';

/** Where a marketer starts when no model was ever published: no rules, the example's thresholds. */
const BLANK: ScoringModel = {
  fit: [],
  engagement: [],
  decay: 'off',
  grades: { A: 55, B: 40, C: 25, D: 10 },
  thresholds: { mql: 40, hot: 80 },
};

/** A saved draft: its version, whether it is active, the version it was based on, and the model saved. */
type Saved = { version: number; active: boolean; basedOn?: number; model: ScoringModel } | null;

/**
 * /console/scoring: the active model's rules as an editable table with their meaning in words; a
 * draft is checked, simulated against a lead, backtested, saved as a new version and activated
 * (then every lead is rescored, with its progress). Nothing changes until a version is activated.
 */
export function ScoringPage() {
  const load = useCallback(() => api.get<ScoringVersions>('/v1/admin/scoring'), []);
  const [state, reload] = useLoad(load);
  const [draft, setDraft] = useState<ScoringModel | null>(null);
  const [problems, setProblems] = useState<{ errors: Problem[]; warnings: Problem[] }>({
    errors: [],
    warnings: [],
  });
  const [saved, setSaved] = useState<Saved>(null);
  // The active version the draft started from (sent as basedOn: 409 once someone else activated one)
  // and its model (what "Reload and re-apply my change" takes my edits from).
  const based = useVersionConflict<ScoringModel>({ version: undefined, doc: BLANK });
  const { rebase } = based;
  const [edited, setEdited] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [job, jobError, watchRescore] = useRescore();
  const active = state.data?.active ?? null;

  useEffect(() => {
    if (state.status === 'ready' && draft === null) {
      setDraft(structuredClone(active?.document ?? BLANK));
      rebase({ version: active?.version, doc: active?.document ?? BLANK });
    }
  }, [state.status, active, draft, rebase]);

  // The draft is checked as it is edited (after a pause in typing), so errors appear at their fields.
  useEffect(() => {
    if (!draft || !edited) return;
    let stopped = false;
    const timer = setTimeout(async () => {
      try {
        const result = await api.post<Validation>('/v1/admin/scoring/validate', { model: draft });
        if (!stopped)
          setProblems(
            result.valid
              ? { errors: [], warnings: result.warnings }
              : { errors: result.errors, warnings: [] },
          );
      } catch {
        // the explicit check and save say what went wrong
      }
    }, 500);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [draft, edited]);

  if (state.status === 'loading' && !state.data)
    return (
      <Page>
        <Loading what="the scoring model" />
      </Page>
    );
  if (state.status === 'error' && !state.data)
    return (
      <Page>
        <Failed what="the scoring model" error={state.error} retry={reload} />
      </Page>
    );
  if (!draft || !state.data)
    return (
      <Page>
        <Loading what="the scoring model" />
      </Page>
    );

  const edit = (next: ScoringModel) => {
    setDraft(next);
    setEdited(true);
    setSaved(null);
  };
  const errors = errorsByCell(problems.errors);

  async function act(what: string, work: () => Promise<void>) {
    setBusy(what);
    setFailure(null);
    based.dismiss();
    try {
      await work();
    } catch (error) {
      if (based.caught(error)) return;
      if (error instanceof ApiError && error.status === 400 && error.details.length > 0) {
        const strip = (p: Problem) => ({ ...p, path: p.path.replace(/^model\.?/, '') });
        setProblems({ errors: error.details.map(strip), warnings: [] });
      } else setFailure(problem(error));
    } finally {
      setBusy(null);
    }
  }
  const check = () =>
    act('check', async () => {
      const result = await api.post<Validation>('/v1/admin/scoring/validate', { model: draft });
      setProblems(
        result.valid ? { errors: [], warnings: result.warnings } : { errors: result.errors, warnings: [] },
      );
    });
  const save = () =>
    act('save', async () => {
      const basedOn = based.base.version;
      const added = await api.post<{ version: number; warnings: Problem[] }>('/v1/admin/scoring/versions', {
        model: draft,
        ...(basedOn ? { basedOn } : {}),
      });
      setProblems({ errors: [], warnings: added.warnings });
      setSaved({ version: added.version, active: false, ...(basedOn ? { basedOn } : {}), model: draft });
      await reload();
    });
  // "Reload and re-apply my change": my edits (from the version the draft started from) put on the
  // latest active model; a field both changed keeps mine and is named.
  const reapplyDraft = async () => {
    const next = await based.reapplyOn(draft, async () => {
      const latest = (await api.get<ScoringVersions>('/v1/admin/scoring')).active;
      return { version: latest?.version, doc: latest?.document ?? BLANK };
    });
    setDraft(next);
    setSaved(null);
    await reload();
  };
  const activate = (version: number) =>
    act('activate', async () => {
      // The saved draft's own base; a rollback from the table is based on the active version shown.
      const basedOn = saved?.version === version ? saved.basedOn : active?.version;
      await api.post(`/v1/admin/scoring/versions/${version}/activate`, basedOn ? { basedOn } : {});
      if (saved?.version === version) {
        setSaved({ version, active: true, model: saved.model });
        // The next edit starts from the version just activated.
        rebase({ version, doc: saved.model });
      }
      watchRescore();
      await reload();
    });

  return (
    <Page sub={active ? `Active model: version ${active.version}` : 'No model is active yet'}>
      {!active ? (
        <p class="notice">
          No scoring model is active yet, so leads are not scored. Write rules below, save them as a version
          and activate it.
        </p>
      ) : null}
      <JumpLinks />
      <section class="card" aria-labelledby="sc-rules">
        <h2 id="sc-rules">Rules</h2>
        <p class="sub">
          Fit points give the grade; fit and engagement points together make a lead an MQL, then hot. Edits
          make a draft: nothing changes until a saved version is activated.
        </p>
        <div id="sc-part-fit" tabIndex={-1}>
          <FitRulesTable rules={draft.fit} errors={errors} onChange={(fit) => edit({ ...draft, fit })} />
        </div>
        <div id="sc-part-engagement" tabIndex={-1}>
          <EngagementRulesTable
            rules={draft.engagement}
            errors={errors}
            onChange={(engagement) => edit({ ...draft, engagement })}
          />
        </div>
        <div id="sc-part-thresholds" tabIndex={-1}>
          <ThresholdsForm model={draft} errors={errors} onChange={edit} />
        </div>
        <ProblemList errors={problems.errors} warnings={problems.warnings} model={draft} />
        <div class="sc-actions" id="sc-part-save" tabIndex={-1}>
          <button type="button" class="button" disabled={busy !== null} onClick={check}>
            Check the draft
          </button>
          <button type="button" class="button primary" disabled={busy !== null} onClick={save}>
            Save as new version
          </button>
          {edited && !saved ? (
            <button
              type="button"
              class="button quiet"
              disabled={busy !== null}
              onClick={() => {
                setDraft(structuredClone(active?.document ?? BLANK));
                rebase({ version: active?.version, doc: active?.document ?? BLANK });
                setEdited(false);
                setProblems({ errors: [], warnings: [] });
              }}
            >
              Discard changes
            </button>
          ) : null}
          {saved && !saved.active ? (
            <button
              type="button"
              class="button primary"
              disabled={busy !== null}
              onClick={() => activate(saved.version)}
            >
              Activate version {saved.version}
            </button>
          ) : null}
        </div>
        <p class="sc-saved" role="status">
          {busy === 'check' ? 'Checking the draft…' : null}
          {busy === 'save' ? 'Saving…' : null}
          {busy === 'activate' ? 'Activating…' : null}
          {!busy && saved && !saved.active
            ? `Saved as version ${saved.version}. It is not active: nothing changes until you activate it.`
            : null}
          {!busy && saved?.active ? `Version ${saved.version} is active.` : null}
        </p>
        {failure ? (
          <p class="field-error" role="alert">
            {failure}
          </p>
        ) : null}
        {based.reapplied ? (
          <ReappliedNote
            class="sc-reapplied"
            reapplied={based.reapplied}
            fieldInWords={(path) => scoringFieldInWords(path, draft)}
          />
        ) : null}
        {based.conflict ? (
          <VersionConflict
            error={based.conflict}
            yaml={stringify(draft)}
            onReapply={() => act('reload', reapplyDraft)}
          />
        ) : null}
      </section>
      <SimulatePanel draft={draft} hasActive={active !== null} />
      <BacktestPanel draft={draft} />
      <section class="card" aria-labelledby="sc-versions" id="sc-part-versions" tabIndex={-1}>
        <h2 id="sc-versions">Versions</h2>
        <RescoreStatus job={job} error={jobError} />
        <VersionsTable
          versions={state.data.versions}
          activeVersion={active?.version ?? null}
          busy={busy !== null}
          onActivate={activate}
        />
      </section>
    </Page>
  );
}
