import type { LeadView, PathToHot } from './types';

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** The score: figures, the breakdown with reasons, the model version and what it would take to become hot. */
export function ScoreCard({ lead }: { lead: LeadView }) {
  const score = lead.score;
  return (
    <section class="card" aria-labelledby="score-title">
      <h2 id="score-title">Score</h2>
      {!score ? (
        <p class="empty">Not scored: no scoring model is published yet.</p>
      ) : (
        <>
          <dl class="metrics">
            <div>
              <dt>Total</dt>
              <dd>{score.total}</dd>
            </div>
            <div>
              <dt>Fit</dt>
              <dd>{score.fit}</dd>
            </div>
            <div>
              <dt>Engagement</dt>
              <dd>{score.engagement}</dd>
            </div>
            <div>
              <dt>Grade</dt>
              <dd>{score.grade}</dd>
            </div>
          </dl>
          <p class="sub">
            {score.hot
              ? 'Hot: handed to sales'
              : score.mql
                ? 'Marketing qualified (MQL)'
                : 'Not qualified yet'}{' '}
            · model version {score.modelVersion}
          </p>
          {score.breakdown.length > 0 && (
            <table class="compact">
              <caption class="visually-hidden">Why this score</caption>
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Points</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {score.breakdown.map((row) => (
                  <tr key={row.rule}>
                    <td class="rule">{row.rule}</td>
                    <td class="kind">{row.kind}</td>
                    <td class="num">{signed(row.points)}</td>
                    <td class="reason">{row.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {lead.pathToHot && <PathToHotView path={lead.pathToHot} />}
    </section>
  );
}

function PathToHotView({ path }: { path: PathToHot }) {
  if (path.status === 'hot')
    return <p class="notice">Hot: nothing more is needed (model version {path.modelVersion}).</p>;
  if (path.status === 'with_sales')
    return <p class="notice">With sales: a rep has this lead, so scoring no longer decides what happens.</p>;
  const { gap, hot, now, steps } = path;
  const grade = hot.minGrade ? ` and grade ${hot.minGrade} (${hot.fitForGrade} fit points)` : '';
  return (
    <div class="path-to-hot">
      <h3>What it would take to become hot</h3>
      <p>
        Hot at {hot.total} points{grade}. Today {now.total} (fit {now.fit}, engagement {now.engagement}, grade{' '}
        {now.grade}): <strong>{gap.total} points short</strong>
        {gap.fit > 0 ? `, ${gap.fit} of them fit for the grade` : ''}.
      </p>
      {path.status === 'unreachable' && (
        <p class="notice warn">
          The model's rules cannot close this gap any more (their caps are used up): at most the points below.
        </p>
      )}
      {steps.length > 0 && (
        <ul class="plain steps">
          {steps.map((step) => (
            <li key={step.rule}>
              <strong>
                {signed(step.points)} {step.kind}
              </strong>{' '}
              · {step.rule}: {step.times > 1 ? `${step.times} × ` : ''}
              {step.what}
              {step.perDay !== undefined && step.times > 1 ? ` (counts ${step.perDay} a day at most)` : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
