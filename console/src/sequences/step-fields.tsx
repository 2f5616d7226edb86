import { ConditionFields } from './condition-fields';
import { BlockErrors, type Errors, Field, numberOf, otherErrors } from './field';
import { type Step, variantsOf, type Wait } from './types';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const UNITS = ['days', 'hours', 'minutes'] as const;

/** One step of the form: id, wait, template, send window, condition; A/B variants read-only; move and remove. */
export function StepFields({
  step,
  index,
  count,
  errors,
  templates,
  segments,
  onChange,
  onMove,
  onRemove,
}: {
  step: Step;
  index: number;
  count: number;
  errors: Errors;
  templates: { id: string; name?: string }[];
  segments: { id: string; name: string }[];
  onChange: (step: Step) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const at = `steps.${index}`;
  const wait: Wait = step.wait ?? { days: 0, hours: 0, minutes: 0 };
  const until = 'until' in wait;
  const variants = variantsOf(step);
  const title = `Step ${index + 1}${step.id ? ` “${step.id}”` : ''}`;
  const own = [`${at}.id`, `${at}.template`, ...UNITS.map((u) => `${at}.wait.${u}`), `${at}.wait.until.time`];
  return (
    <li class="card seq-step">
      <fieldset>
        <legend>{title}</legend>
        <div class="seq-row">
          <Field name={`${at}.id`} label="Step id" errors={errors}>
            {(p) => (
              <input
                {...p}
                value={step.id}
                onInput={(e) => onChange({ ...step, id: e.currentTarget.value })}
              />
            )}
          </Field>
          <Field name={`${at}.template`} label="Template" errors={errors}>
            {(p) => (
              <select
                {...p}
                value={step.template}
                onChange={(e) => onChange({ ...step, template: e.currentTarget.value })}
              >
                {templates.some((t) => t.id === step.template) ? null : (
                  <option value={step.template}>{step.template}</option>
                )}
                {templates.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name ?? t.id}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <fieldset class="seq-wait">
          <legend>Wait before it</legend>
          <label class="seq-check">
            <input
              type="checkbox"
              checked={until}
              onChange={(e) =>
                onChange({
                  ...step,
                  wait: e.currentTarget.checked
                    ? { until: { weekday: 'tue', time: '10:00' } }
                    : { days: 0, hours: 0, minutes: 0 },
                })
              }
            />
            Until a weekday and time (in the lead's time zone)
          </label>
          {'until' in wait ? (
            <div class="seq-row">
              <Field name={`${at}.wait.until.weekday`} label="Weekday" errors={errors}>
                {(p) => (
                  <select
                    {...p}
                    value={wait.until.weekday}
                    onChange={(e) =>
                      onChange({
                        ...step,
                        wait: {
                          until: {
                            ...wait.until,
                            weekday: e.currentTarget.value as (typeof WEEKDAYS)[number],
                          },
                        },
                      })
                    }
                  >
                    {WEEKDAYS.map((d) => (
                      <option key={d} value={d}>
                        {d}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field name={`${at}.wait.until.time`} label="Time (HH:MM)" errors={errors}>
                {(p) => (
                  <input
                    {...p}
                    value={wait.until.time}
                    onInput={(e) =>
                      onChange({ ...step, wait: { until: { ...wait.until, time: e.currentTarget.value } } })
                    }
                  />
                )}
              </Field>
            </div>
          ) : (
            <div class="seq-row">
              {UNITS.map((unit) => (
                <Field key={unit} name={`${at}.wait.${unit}`} label={`Wait ${unit}`} errors={errors}>
                  {(p) => (
                    <input
                      {...p}
                      type="number"
                      min={0}
                      value={wait[unit] ?? 0}
                      onInput={(e) =>
                        onChange({ ...step, wait: { ...wait, [unit]: numberOf(e.currentTarget.value) } })
                      }
                    />
                  )}
                </Field>
              ))}
            </div>
          )}
          <BlockErrors messages={otherErrors(errors, `${at}.wait`, own)} />
        </fieldset>
        <label class="seq-check">
          <input
            type="checkbox"
            checked={step.ignoreSendWindow ?? false}
            onChange={(e) => onChange({ ...step, ignoreSendWindow: e.currentTarget.checked })}
          />
          Send at once, whatever the send window (the frequency cap still applies)
        </label>
        <ConditionFields
          at={`${at}.when`}
          when={step.when}
          errors={errors}
          segments={segments}
          onChange={(when) => {
            const { when: _old, ...rest } = step;
            onChange(when ? { ...rest, when } : rest);
          }}
        />
        {variants.length > 0 ? (
          <div class="seq-variants">
            <p>A/B test (kept as it is when you save):</p>
            <ul>
              {variants.map((v) => (
                <li key={v.name}>
                  {v.name}: {v.share}%{v.template ? `, template “${v.template}”` : ''}
                  {v.subject ? `, subject “${v.subject}”` : ''}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <BlockErrors messages={otherErrors(errors, at, own, [`${at}.wait`, `${at}.when`])} />
        <div class="seq-step-actions">
          <button type="button" class="button quiet" disabled={index === 0} onClick={() => onMove(-1)}>
            Move up<span class="visually-hidden"> {title}</span>
          </button>
          <button type="button" class="button quiet" disabled={index === count - 1} onClick={() => onMove(1)}>
            Move down<span class="visually-hidden"> {title}</span>
          </button>
          <button type="button" class="button danger" disabled={count === 1} onClick={onRemove}>
            Remove<span class="visually-hidden"> {title}</span>
          </button>
        </div>
      </fieldset>
    </li>
  );
}
