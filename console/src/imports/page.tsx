import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, problem } from '../api';
import { fieldErrors } from '../sales/states';
import { useLoad } from '../sales/use-load';
import type { TemplateVariables } from '../templates/types';
import { ConsentFields, type ConsentForm, consentBody, NEW_CONSENT } from './consent-fields';
import { type CsvHead, estimateRows, NotCsvError, readCsvHead } from './csv-head';
import { guessMapping, IGNORE, looksLikeConsent } from './guess';
import { MappingTable } from './mapping-table';
import { follow, type ImportView, startRun, uploadFile } from './run';
import { RunProgress, RunResult } from './run-panel';

type Phase = 'edit' | 'busy' | 'running' | 'finished';

/**
 * /console/leads/import: choose a CSV (its header read in the browser) → map the columns (guessed by
 * name) → the consent basis → a dry run first (what would happen) → the import, with its progress →
 * the result and the error report. The file is uploaded once, on the first run, to the import's link.
 */
export function ImportPage() {
  const loadFields = useCallback(() => api.get<TemplateVariables>('/v1/admin/templates/variables'), []);
  const [fields] = useLoad(loadFields);
  const customFields = (fields.data?.variables ?? [])
    .filter((v) => v.group === 'custom')
    .map((v) => v.name.replace(/^custom\./, ''));
  const [file, setFile] = useState<File | null>(null);
  const [head, setHead] = useState<CsvHead | null>(null);
  const [fileError, setFileError] = useState('');
  const [rows, setRows] = useState<number | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [consent, setConsent] = useState<ConsentForm>(NEW_CONSENT);
  const [importId, setImportId] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>('edit');
  const [busyText, setBusyText] = useState('');
  const [view, setView] = useState<ImportView | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState('');
  const live = useRef(true);
  useEffect(
    () => () => {
      live.current = false;
    },
    [],
  );

  async function choose(chosen: File | undefined) {
    setFile(null);
    setHead(null);
    setImportId(null);
    setView(null);
    setErrors({});
    setFailure('');
    setRows(null);
    setPhase('edit');
    if (!chosen) return;
    try {
      const read = await readCsvHead(chosen);
      setFileError('');
      setFile(chosen);
      setHead(read);
      const consentColumn = read.header.find(looksLikeConsent) ?? '';
      const guessed = guessMapping(read.header, customFields);
      if (consentColumn) guessed[consentColumn] = IGNORE;
      setMapping(guessed);
      setConsent({ ...NEW_CONSENT, column: consentColumn });
      estimateRows(chosen).then(
        (n) => live.current && setRows(n),
        () => undefined,
      );
    } catch (error) {
      setFileError(
        error instanceof NotCsvError ? error.message : `The file could not be read: ${problem(error)}`,
      );
    }
  }

  async function run(dryRun: boolean) {
    if (!file || !head) return;
    setPhase('busy');
    setErrors({});
    setFailure('');
    try {
      let id = importId;
      if (!id) {
        id = await uploadFile(file, setBusyText);
        setImportId(id);
      }
      setBusyText(dryRun ? 'Starting the dry run…' : 'Starting the import…');
      const sent = Object.fromEntries(
        Object.entries(mapping).filter(([column]) => column !== '' && column !== consent.column),
      );
      const started = await startRun(id, { mapping: sent, ...consentBody(consent), dryRun });
      setPhase('running');
      const last = await follow(started, setView, () => live.current);
      if (live.current) setPhase('finished');
      return last;
    } catch (error) {
      if (!live.current) return;
      setErrors(fieldErrors(error));
      setFailure(
        error instanceof ApiError && error.code === 'validation_failed'
          ? `${error.message} See the marked fields.`
          : problem(error),
      );
      setPhase('edit');
    }
  }

  // A changed mapping or consent makes the last dry run stale: the import is offered after a new one.
  const edited = () => {
    if (phase !== 'finished' || view?.dryRun !== true) return;
    setPhase('edit');
    setView(null);
  };
  const imported = phase === 'finished' && view?.dryRun === false;
  const locked = phase === 'busy' || phase === 'running' || imported;
  return (
    <section class="page imports" aria-labelledby="imp-title">
      <p class="crumbs">
        <a href="/console/leads">Leads</a> /
      </p>
      <h1 id="imp-title" tabIndex={-1}>
        Import leads from CSV
      </h1>
      <div class="card">
        <h2>1. Choose the file</h2>
        <label for="imp-file">CSV file (the first row names the columns; up to 50 MB)</label>
        <input
          id="imp-file"
          type="file"
          accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
          disabled={locked}
          aria-invalid={fileError ? 'true' : undefined}
          aria-describedby={fileError ? 'imp-file-error' : undefined}
          onChange={(e) => choose(e.currentTarget.files?.[0])}
        />
        {fileError ? (
          <p class="error-state" id="imp-file-error" role="alert">
            {fileError}
          </p>
        ) : null}
        {errors.file ? <p class="field-error">{errors.file}</p> : null}
        {!head && !fileError ? (
          <p class="empty">
            No file chosen yet. Export your contacts from a spreadsheet, HubSpot, Mautic or another tool as
            CSV, with one column of email addresses; everything else is optional.
          </p>
        ) : null}
        {head && file ? (
          <p class="sub">
            {file.name}: {head.header.length} columns{rows !== null ? `, about ${rows} rows` : ''}.
          </p>
        ) : null}
      </div>
      {head ? (
        <fieldset class="imp-steps" disabled={locked}>
          <div class="card">
            <h2>2. Match the columns to lead fields</h2>
            <p class="sub">
              Guessed from the headers: check each one. One column must go to Email. Rows are matched to
              existing leads by email, as forms are.
            </p>
            {fields.status === 'loading' ? (
              <p class="sub" role="status">
                Loading the custom fields…
              </p>
            ) : null}
            {fields.status === 'error' ? (
              <p class="notice warn">
                The custom fields in use could not be loaded ({problem(fields.error)}); new custom fields can
                still be made from a column.
              </p>
            ) : null}
            {errors.mapping ? <p class="field-error">{errors.mapping}</p> : null}
            <MappingTable
              head={head}
              mapping={mapping}
              onChange={(next) => {
                setMapping(next);
                edited();
              }}
              customFields={customFields}
              consentColumn={consent.column}
              errors={errors}
            />
          </div>
          <div class="card">
            <h2>3. Consent</h2>
            <ConsentFields
              value={consent}
              onChange={(next) => {
                setConsent(next);
                edited();
              }}
              header={head.header}
              errors={errors}
            />
          </div>
        </fieldset>
      ) : null}
      {head ? (
        <div class="card imp-run">
          <h2>4. Dry run, then import</h2>
          {failure ? (
            <p class="error-state" role="alert">
              {failure}
            </p>
          ) : null}
          {phase === 'busy' ? <p role="status">{busyText}</p> : null}
          {phase === 'running' && view ? <RunProgress view={view} rows={rows} /> : null}
          {phase === 'finished' && view ? <RunResult view={view} /> : null}
          <Actions phase={phase} view={view} onRun={run} />
        </div>
      ) : null}
    </section>
  );
}

function Actions(props: { phase: Phase; view: ImportView | null; onRun: (dryRun: boolean) => void }) {
  const { phase, view } = props;
  if (phase === 'busy' || phase === 'running') return null;
  if (phase === 'finished' && view?.dryRun === false)
    return (
      <p class="bc-actions">
        <a class="button primary" href="/console/leads">
          See the leads
        </a>
      </p>
    );
  const dryDone = phase === 'finished' && view?.dryRun === true && view.status === 'done';
  return (
    <p class="bc-actions">
      <button type="button" class={dryDone ? 'button' : 'button primary'} onClick={() => props.onRun(true)}>
        {dryDone ? 'Dry run again' : 'Dry run (changes nothing)'}
      </button>
      {dryDone ? (
        <button type="button" class="button primary" onClick={() => props.onRun(false)}>
          Import {view.counts.read} rows
        </button>
      ) : (
        <span class="sub">The import is offered once a dry run has shown what it would do.</span>
      )}
    </p>
  );
}
