import { CellError, cellId, type Errors, focusSoon, invalid, NumberInput, RuleIdAndPoints } from './cells';
import { explainEngagement } from './explain';
import type { EngagementRule } from './types';

/** The activity types Leadflow records; others (from POST /v1/activities) can be typed in. */
const ACTIVITIES = [
  'form_submitted',
  'page_viewed',
  'email_opened',
  'email_clicked',
  'trial_started',
  'webinar_attended',
];

/** What narrows an activity: the form of a submission, the path of a page view. */
function onlyOf(activity: string): { key: 'formId' | 'pathPrefix'; label: string } | null {
  if (activity === 'form_submitted') return { key: 'formId', label: 'Form' };
  if (activity === 'page_viewed') return { key: 'pathPrefix', label: 'Path starts with' };
  return null;
}

/** Engagement rules (what the lead does) as an editable table: points, caps and their meaning in words. */
export function EngagementRulesTable(props: {
  rules: EngagementRule[];
  errors: Errors;
  onChange: (rules: EngagementRule[]) => void;
}) {
  const { rules, errors } = props;
  const set = (i: number, rule: EngagementRule) => props.onChange(rules.map((r, j) => (j === i ? rule : r)));
  return (
    <div class="sc-table-wrap">
      <div class="sc-table-head">
        <h3 id="sc-engagement-title">Engagement rules: what the lead does</h3>
        <button
          type="button"
          class="button sc-add"
          onClick={() => {
            props.onChange([...rules, { id: '', points: 5, when: { activity: 'page_viewed' } }]);
            focusSoon(cellId(`engagement.${rules.length}.id`));
          }}
        >
          Add engagement rule
        </button>
      </div>
      <datalist id="sc-activities">
        {ACTIVITIES.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <table class="sc-rules" aria-labelledby="sc-engagement-title">
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Points</th>
            <th scope="col">Activity</th>
            <th scope="col">Only</th>
            <th scope="col">At most a day</th>
            <th scope="col">At most in all</th>
            <th scope="col">In words</th>
            <th scope="col">
              <span class="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rules.map((rule, i) => {
            const n = `engagement rule ${i + 1}`;
            const at = (cell: string) => `engagement.${i}.${cell}`;
            const only = onlyOf(rule.when.activity);
            const cap = (patch: NonNullable<EngagementRule['cap']>) => {
              const next = { ...rule.cap, ...patch };
              const empty = next.perDay === undefined && next.total === undefined;
              set(i, { ...rule, cap: empty ? undefined : next });
            };
            return (
              <tr key={i}>
                <RuleIdAndPoints
                  rule={rule}
                  name={n}
                  at={`engagement.${i}`}
                  errors={errors}
                  onChange={(next) => set(i, next)}
                />
                <td data-label="Activity">
                  <input
                    id={cellId(at('activity'))}
                    type="text"
                    list="sc-activities"
                    aria-label={`Activity of ${n}`}
                    value={rule.when.activity}
                    onInput={(e) => {
                      const activity = e.currentTarget.value;
                      // The narrowing belongs to one activity type: another type drops it.
                      set(i, { ...rule, when: { activity } });
                    }}
                    {...invalid(at('activity'), errors)}
                  />
                  <CellError cell={at('activity')} errors={errors} />
                </td>
                <td data-label="Only">
                  {only ? (
                    <>
                      <input
                        id={cellId(at('only'))}
                        type="text"
                        aria-label={`${only.label} (${n})`}
                        placeholder="any"
                        value={rule.when[only.key] ?? ''}
                        onInput={(e) => {
                          const value = e.currentTarget.value.trim();
                          set(i, { ...rule, when: { ...rule.when, [only.key]: value || undefined } });
                        }}
                        {...invalid(at('only'), errors)}
                      />
                      <CellError cell={at('only')} errors={errors} />
                    </>
                  ) : (
                    <span class="sub">any</span>
                  )}
                </td>
                <td data-label="At most a day">
                  <NumberInput
                    cell={at('perDay')}
                    label={`Points a day at most (${n})`}
                    value={rule.cap?.perDay}
                    errors={errors}
                    onChange={(perDay) => cap({ perDay })}
                  />
                </td>
                <td data-label="At most in all">
                  <NumberInput
                    cell={at('total')}
                    label={`Points in all at most (${n})`}
                    value={rule.cap?.total}
                    errors={errors}
                    onChange={(total) => cap({ total })}
                  />
                </td>
                <td class="sc-words">
                  {explainEngagement(rule)}
                  {rule.description ? <span class="sub">{rule.description}</span> : null}
                </td>
                <td>
                  <button
                    type="button"
                    class="button quiet"
                    onClick={() => props.onChange(rules.filter((_, j) => j !== i))}
                  >
                    Remove<span class="visually-hidden"> {n}</span>
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
