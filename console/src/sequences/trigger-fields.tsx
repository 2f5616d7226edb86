import { stageLabel } from '../format';
import { STAGES } from '../leads/types';
import { BlockErrors, type Errors, Field, otherErrors } from './field';
import type { Trigger } from './types';

const TRIGGERS = [
  { on: 'form_submitted', label: 'A form is submitted' },
  { on: 'stage_reached', label: 'A lead reaches a stage' },
  { on: 'activity', label: 'A lead has an activity' },
  { on: 'manual', label: 'Only by hand' },
] as const;

function freshTrigger(on: Trigger['on']): Trigger {
  if (on === 'form_submitted') return { on };
  if (on === 'stage_reached') return { on, stage: 'mql' };
  if (on === 'activity') return { on, type: 'trial_started' };
  return { on: 'manual' };
}

/** When a lead enters: the trigger and its one setting (form, stage or activity type). */
export function TriggerFields({
  trigger,
  onChange,
  errors,
}: {
  trigger: Trigger;
  onChange: (trigger: Trigger) => void;
  errors: Errors;
}) {
  return (
    <>
      <Field name="trigger.on" label="Enroll when" errors={errors}>
        {(p) => (
          <select
            {...p}
            value={trigger.on}
            onChange={(e) => onChange(freshTrigger(e.currentTarget.value as Trigger['on']))}
          >
            {TRIGGERS.map((t) => (
              <option key={t.on} value={t.on}>
                {t.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {trigger.on === 'form_submitted' ? (
        <Field name="trigger.formId" label="Form id" errors={errors} hint="Empty: any form">
          {(p) => (
            <input
              {...p}
              value={trigger.formId ?? ''}
              onInput={(e) =>
                onChange(
                  e.currentTarget.value
                    ? { on: trigger.on, formId: e.currentTarget.value }
                    : { on: trigger.on },
                )
              }
            />
          )}
        </Field>
      ) : null}
      {trigger.on === 'stage_reached' ? (
        <Field name="trigger.stage" label="Stage" errors={errors}>
          {(p) => (
            <select
              {...p}
              value={trigger.stage}
              onChange={(e) =>
                onChange({ on: trigger.on, stage: e.currentTarget.value as typeof trigger.stage })
              }
            >
              {STAGES.map((s) => (
                <option key={s} value={s}>
                  {stageLabel(s)}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      {trigger.on === 'activity' ? (
        <Field name="trigger.type" label="Activity type" errors={errors}>
          {(p) => (
            <input
              {...p}
              value={trigger.type}
              onInput={(e) => onChange({ on: trigger.on, type: e.currentTarget.value })}
            />
          )}
        </Field>
      ) : null}
      <BlockErrors
        messages={otherErrors(errors, 'trigger', [
          'trigger.on',
          'trigger.formId',
          'trigger.stage',
          'trigger.type',
        ])}
      />
    </>
  );
}
