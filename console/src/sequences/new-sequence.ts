import type { Sequence, Trigger } from './types';

/** What "New sequence" asks before the editor opens: the id, a name, the trigger and a first step. */
export interface NewSequenceDraft {
  id: string;
  name: string;
  trigger: Trigger;
  waitDays: string;
  template: string;
}

/** The schema's id rule (functions/core/nurture/config-schema.ts `slug`), said in words here. */
const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** `/console/sequences/new` is this page, so a sequence called `new` could not be opened. */
const RESERVED = new Set(['new']);

export const emptyDraft = (templates: { id: string }[]): NewSequenceDraft => ({
  id: '',
  name: '',
  trigger: { on: 'form_submitted' },
  waitDays: '0',
  template: templates[0]?.id ?? '',
});

/** The id's problem as you type, in words, or undefined: the slug rule, then unique among sequences. */
export function idProblem(id: string, existing: string[]): string | undefined {
  if (id === '') return 'must be filled in';
  if (id.length > 64) return 'may be at most 64 characters';
  if (!SLUG.test(id))
    return 'use lower-case letters, digits and - only, starting with a letter or digit (e.g. trial-follow-up)';
  if (existing.includes(id)) return `a sequence “${id}” exists already: choose another id`;
  if (RESERVED.has(id)) return `“${id}” is kept for this page: choose another id`;
  return undefined;
}

/** Every problem of the draft by the editor's field keys (`id`, `steps.0.wait.days`...). */
export function draftProblems(draft: NewSequenceDraft, existing: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const id = idProblem(draft.id, existing);
  if (id) out.id = id;
  if (draft.name.trim() === '') out.name = 'must be filled in';
  else if (draft.name.length > 200) out.name = 'may be at most 200 characters';
  if (draft.trigger.on === 'activity' && draft.trigger.type.trim() === '')
    out['trigger.type'] = 'must be filled in';
  const days = Number(draft.waitDays);
  if (draft.waitDays.trim() === '' || !Number.isInteger(days) || days < 0 || days > 365)
    out['steps.0.wait.days'] = 'must be a whole number of days from 0 to 365';
  if (draft.template === '') out['steps.0.template'] = 'choose a template';
  return out;
}

/**
 * The new sequence as the editor and the API take it: the first step is named after its template
 * (the only step, so unique); everything else has the schema's defaults, changed in the editor.
 */
export function newSequence(draft: NewSequenceDraft): Sequence {
  const days = Number(draft.waitDays);
  return {
    id: draft.id,
    name: draft.name.trim(),
    enabled: true,
    trigger: draft.trigger,
    entry: { requireConsent: true, reentry: 'never' },
    steps: [
      {
        id: draft.template,
        wait: { days, hours: 0, minutes: 0 },
        template: draft.template,
        ignoreSendWindow: false,
      },
    ],
    exit: { onHandoff: true, stages: [], activities: [] },
  };
}
