import { useEffect, useState } from 'preact/hooks';
import { api, problem } from '../api';
import { fmtCount, stageLabel } from '../format';
import type { LeadView } from '../leads/types';
import { addPage, type Change, EMPTY_TALLY, PAGE, PAGES_PER_RUN, type Tally } from './tally';
import type { Backtest, ScoringModel } from './types';

/** Backtest the draft: every stored lead rescored under it (nothing written), counted and sampled. */
export function BacktestPanel({ draft }: { draft: ScoringModel }) {
  const [tally, setTally] = useState<Tally | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [ranFor, setRanFor] = useState('');
  const stale = tally !== null && ranFor !== JSON.stringify(draft);
  async function run(from: Tally) {
    setBusy(true);
    setError(null);
    setRanFor(JSON.stringify(draft));
    let next = from;
    try {
      for (let i = 0; i < PAGES_PER_RUN; i += 1) {
        const page = await api.post<Backtest>('/v1/admin/scoring/backtest', {
          model: draft,
          cursor: next.cursor,
          limit: PAGE,
        });
        next = addPage(next, page);
        setTally(next);
        if (!next.cursor) break;
      }
    } catch (e) {
      setError(problem(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section class="card" aria-labelledby="sc-backtest" id="sc-part-backtest" tabIndex={-1}>
      <h2 id="sc-backtest">Backtest the draft</h2>
      <p class="sub">Rescores the stored leads under the draft without changing them.</p>
      <button type="button" class="button" disabled={busy} onClick={() => run(EMPTY_TALLY)}>
        Run backtest
      </button>
      {busy ? <p role="status">Checked {fmtCount(tally?.scanned ?? 0)} leads so far…</p> : null}
      {error ? (
        <p class="field-error" role="alert">
          The backtest stopped: {error}
        </p>
      ) : null}
      {tally && !busy && stale ? (
        <p class="notice warn">
          The draft changed since this backtest: run it again to see what the draft does now.
        </p>
      ) : null}
      {tally && !busy ? <BacktestResult tally={tally} more={() => run(tally)} /> : null}
    </section>
  );
}

/** The sample's email addresses (a backtest answers lead ids only), read once per lead. */
function useEmails(leadIds: string[]): Record<string, string> {
  const [emails, setEmails] = useState<Record<string, string>>({});
  const key = leadIds.join(',');
  useEffect(() => {
    let stopped = false;
    for (const leadId of leadIds) {
      if (emails[leadId]) continue;
      api.get<LeadView>(`/v1/admin/leads/${encodeURIComponent(leadId)}`).then(
        (lead) => {
          if (!stopped) setEmails((known) => ({ ...known, [leadId]: lead.email }));
        },
        () => {
          // the link still names the lead by id
        },
      );
    }
    return () => {
      stopped = true;
    };
  }, [key]);
  return emails;
}

function BacktestResult({ tally, more }: { tally: Tally; more: () => void }) {
  const emails = useEmails(tally.sample.map((c) => c.leadId));
  return (
    <div class="sc-backtest" aria-live="polite">
      <dl class="metrics">
        <div>
          <dt>Leads checked</dt>
          <dd>{fmtCount(tally.scanned)}</dd>
        </div>
        <div>
          <dt>Change grade</dt>
          <dd>{fmtCount(tally.grade)}</dd>
        </div>
        <div>
          <dt>Turn hot</dt>
          <dd>{fmtCount(tally.turnsHot.length)}</dd>
        </div>
        <div>
          <dt>Stop being hot</dt>
          <dd>{fmtCount(tally.stopsHot.length)}</dd>
        </div>
      </dl>
      <p>
        {fmtCount(tally.changed)} of {fmtCount(tally.scanned)} leads would get another score, grade or stage.
        {tally.cursor ? ' More leads are left to check.' : ' Every lead was checked.'}
      </p>
      {tally.cursor ? (
        <button type="button" class="button" onClick={more}>
          Check more leads
        </button>
      ) : null}
      {tally.sample.length > 0 ? (
        <div class="sc-table-wrap">
          <table class="compact">
            <caption>Leads that change (first {tally.sample.length})</caption>
            <thead>
              <tr>
                <th scope="col">Lead</th>
                <th scope="col">Score</th>
                <th scope="col">Grade</th>
                <th scope="col">Stage</th>
                <th scope="col">Hot</th>
              </tr>
            </thead>
            <tbody>
              {tally.sample.map((c) => (
                <tr key={c.leadId}>
                  <td>
                    <a href={`/console/leads/${encodeURIComponent(c.leadId)}`}>
                      {emails[c.leadId] ?? `Lead ${c.leadId.slice(0, 10)}…`}
                    </a>
                  </td>
                  <td>
                    {c.from.total ?? '—'} → {c.to.total ?? '—'}
                  </td>
                  <td>
                    {c.from.grade ?? '—'} → {c.to.grade ?? '—'}
                  </td>
                  <td>
                    {stageLabel(c.from.stage)} → {stageLabel(c.to.stage)}
                  </td>
                  <td>{hotWords(c)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

function hotWords(c: Change): string {
  if (c.to.hot && !c.from.hot) return 'turns hot';
  if (c.from.hot && !c.to.hot) return 'stops being hot';
  return c.to.hot ? 'stays hot' : '—';
}
