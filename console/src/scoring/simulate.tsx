import { useState } from 'preact/hooks';
import { ApiError, api, problem } from '../api';
import { stageLabel } from '../format';
import type { LeadView } from '../leads/types';
import type { ScoringModel, Simulation } from './types';

type Found = { lead: LeadView; before: Simulation | null; after: Simulation };
type State =
  | { status: 'idle' }
  | { status: 'busy' }
  | { status: 'error'; message: string }
  | ({ status: 'done' } & Found);

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/**
 * Simulate the draft against a lead found by email: the same lead scored by the active model and
 * by the draft, side by side (both rebuilt from its timeline now, so only the model differs).
 */
export function SimulatePanel({ draft, hasActive }: { draft: ScoringModel; hasActive: boolean }) {
  const [email, setEmail] = useState('');
  const [state, setState] = useState<State>({ status: 'idle' });
  async function run(event: Event) {
    event.preventDefault();
    if (!email.trim()) {
      setState({ status: 'error', message: 'Type the email address of a lead.' });
      return;
    }
    setState({ status: 'busy' });
    try {
      const lead = await api.get<LeadView>(`/v1/admin/leads?email=${encodeURIComponent(email.trim())}`);
      const [before, after] = await Promise.all([
        hasActive ? api.post<Simulation>('/v1/admin/scoring/simulate', { leadId: lead.leadId }) : null,
        api.post<Simulation>('/v1/admin/scoring/simulate', { leadId: lead.leadId, model: draft }),
      ]);
      setState({ status: 'done', lead, before, after });
    } catch (error) {
      const message =
        error instanceof ApiError && error.status === 404
          ? `No lead has the email ${email.trim()}.`
          : problem(error);
      setState({ status: 'error', message });
    }
  }
  return (
    <section class="card" aria-labelledby="sc-simulate" id="sc-part-simulate" tabIndex={-1}>
      <h2 id="sc-simulate">Simulate against a lead</h2>
      <form class="sc-inline" onSubmit={run}>
        <label class="sc-field">
          <span>Lead's email</span>
          <input type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <button type="submit" class="button" disabled={state.status === 'busy'}>
          Simulate
        </button>
      </form>
      {state.status === 'busy' ? <p role="status">Scoring the lead under both models…</p> : null}
      {state.status === 'error' ? (
        <p class="field-error" role="alert">
          {state.message}
        </p>
      ) : null}
      {state.status === 'done' ? (
        <>
          <p>
            <a href={`/console/leads/${encodeURIComponent(state.lead.leadId)}`}>{state.lead.email}</a>
          </p>
          <div class="sc-side-by-side">
            <ScoreColumn
              title={
                state.before ? `Now (active version ${state.before.modelVersion})` : 'Now (no active model)'
              }
              sim={state.before}
            />
            <ScoreColumn title="With the draft" sim={state.after} before={state.before} />
          </div>
        </>
      ) : null}
    </section>
  );
}

/** What the draft changes about a rule, against the active model: "was +10", "new". */
function changeOf(rule: string, points: number, before: Simulation | null | undefined): string {
  if (!before?.score) return '';
  const was = before.score.breakdown.find((row) => row.rule === rule);
  if (!was) return ' (new)';
  return was.points === points ? '' : ` (was ${signed(was.points)})`;
}

function ScoreColumn(props: { title: string; sim: Simulation | null; before?: Simulation | null }) {
  const { title, sim, before } = props;
  const score = sim?.score;
  // With a `before`, this is the draft's column: it also names the rules that no longer count.
  const gone =
    before?.score && score
      ? before.score.breakdown.filter((row) => !score.breakdown.some((r) => r.rule === row.rule))
      : [];
  return (
    <section class="sc-column" aria-label={title}>
      <h3>{title}</h3>
      {!sim || !score ? (
        <p class="empty">Not scored.</p>
      ) : (
        <>
          <p class="sc-total">
            <strong>{score.total}</strong> points · grade <strong>{score.grade}</strong> ·{' '}
            {stageLabel(sim.stage)}
            {score.hot ? ' · hot' : ''}
          </p>
          <p class="sub">
            fit {score.fit}, engagement {score.engagement}
          </p>
          <table class="compact">
            <caption class="visually-hidden">{title}: points by rule</caption>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col" class="num">
                  Points
                </th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {score.breakdown.length === 0 ? (
                <tr>
                  <td colSpan={3}>No rule gave points.</td>
                </tr>
              ) : (
                score.breakdown.map((row) => (
                  <tr key={row.rule}>
                    <td>{row.rule}</td>
                    <td class="num">
                      {signed(row.points)}
                      {before !== undefined ? (
                        <span class="sub">{changeOf(row.rule, row.points, before)}</span>
                      ) : null}
                    </td>
                    <td>{row.reason}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
          {gone.length > 0 ? (
            <p class="sub">
              No longer counts: {gone.map((row) => `${row.rule} (${signed(row.points)})`).join(', ')}.
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
