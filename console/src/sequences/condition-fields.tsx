import { stageLabel } from '../format';
import { STAGES } from '../leads/types';
import { BlockErrors, type Errors, Field, numberOf, otherErrors } from './field';
import { FieldConditionFields } from './field-condition';
import type { StepCondition } from './types';

const KINDS = [
  { id: 'none', label: 'Always send' },
  { id: 'score', label: 'Score range' },
  { id: 'stage', label: 'Stage' },
  { id: 'field', label: 'Profile field' },
  { id: 'activity', label: 'Activity happened or not' },
  { id: 'segment', label: 'In a saved segment' },
] as const;
type Kind = (typeof KINDS)[number]['id'];

const kindOf = (when: StepCondition | undefined): Kind =>
  !when ? 'none' : (KINDS.find((k) => k.id !== 'none' && k.id in when)?.id ?? 'none');

function fresh(kind: Kind, segments: { id: string }[]): StepCondition | undefined {
  switch (kind) {
    case 'score':
      return { score: { min: 50 } };
    case 'stage':
      return { stage: { in: ['lead'] } };
    case 'field':
      return { field: 'country', equals: '' };
    case 'activity':
      return { activity: 'webinar_attended', happened: true };
    case 'segment':
      return { segment: segments[0]?.id ?? '' };
    default:
      return undefined;
  }
}

/** A step's `when`: the kind of condition, then its own fields; errors at each field. */
export function ConditionFields({
  at,
  when,
  onChange,
  errors,
  segments,
}: {
  at: string;
  when: StepCondition | undefined;
  onChange: (when: StepCondition | undefined) => void;
  errors: Errors;
  segments: { id: string; name: string }[];
}) {
  const kind = kindOf(when);
  const key = (rest: string) => `${at}.${rest}`;
  const own = [
    key('score.min'),
    key('score.max'),
    key('stage.in'),
    key('field'),
    key('equals'),
    key('in'),
    key('activity'),
    key('segment'),
  ];
  return (
    <fieldset class="seq-condition">
      <legend>Send only when</legend>
      <Field name={`${at}-kind`} label="Condition" errors={errors}>
        {(p) => (
          <select
            {...p}
            value={kind}
            onChange={(e) => onChange(fresh(e.currentTarget.value as Kind, segments))}
          >
            {KINDS.map((k) => (
              <option key={k.id} value={k.id}>
                {k.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {when && 'score' in when ? (
        <div class="seq-row">
          {(['min', 'max'] as const).map((bound) => (
            <Field
              key={bound}
              name={key(`score.${bound}`)}
              label={`Score ${bound === 'min' ? 'at least' : 'at most'}`}
              errors={errors}
            >
              {(p) => (
                <input
                  {...p}
                  type="number"
                  value={when.score[bound] ?? ''}
                  onInput={(e) =>
                    onChange({ score: { ...when.score, [bound]: numberOf(e.currentTarget.value) } })
                  }
                />
              )}
            </Field>
          ))}
        </div>
      ) : null}
      {when && 'stage' in when ? (
        <fieldset class="seq-checks">
          <legend>Stage is one of</legend>
          {STAGES.map((stage) => (
            <label key={stage} class="seq-check">
              <input
                type="checkbox"
                checked={when.stage.in.includes(stage)}
                onChange={(e) =>
                  onChange({
                    stage: {
                      in: e.currentTarget.checked
                        ? [...when.stage.in, stage]
                        : when.stage.in.filter((s) => s !== stage),
                    },
                  })
                }
              />
              {stageLabel(stage)}
            </label>
          ))}
        </fieldset>
      ) : null}
      {when && 'field' in when ? (
        <FieldConditionFields at={at} when={when} onChange={onChange} errors={errors} />
      ) : null}
      {when && 'activity' in when ? (
        <div class="seq-row">
          <Field name={key('activity')} label="Activity type" errors={errors} hint="e.g. webinar_attended">
            {(p) => (
              <input
                {...p}
                value={when.activity}
                onInput={(e) => onChange({ ...when, activity: e.currentTarget.value })}
              />
            )}
          </Field>
          <Field name={key('happened')} label="Send when it" errors={errors}>
            {(p) => (
              <select
                {...p}
                value={when.happened === false ? 'no' : 'yes'}
                onChange={(e) => onChange({ ...when, happened: e.currentTarget.value === 'yes' })}
              >
                <option value="yes">happened</option>
                <option value="no">did not happen</option>
              </select>
            )}
          </Field>
        </div>
      ) : null}
      {when && 'segment' in when ? (
        <Field name={key('segment')} label="Saved segment" errors={errors}>
          {(p) => (
            <select
              {...p}
              value={when.segment}
              onChange={(e) => onChange({ segment: e.currentTarget.value })}
            >
              {segments.length === 0 ? <option value="">No saved segments yet</option> : null}
              {segments.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      <BlockErrors messages={otherErrors(errors, at, own)} />
    </fieldset>
  );
}
