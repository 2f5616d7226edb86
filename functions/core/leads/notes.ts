import * as z from 'zod/mini';
import type { Clock } from '../kernel/clock';
import { LeadNotFoundError, ValidationError } from '../kernel/errors';
import { newId } from '../kernel/ids';
import { LEAD_ID } from '../kernel/lead-id';
import type { Activity } from './lead';
import type { LeadStore } from './ports';

/** POST /v1/admin/leads/{leadId}/notes: the body. */
export const noteBodySchema = z.object({
  text: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)),
});
export const NOTE_BODY_BYTES = 16 * 1024;

/** Who made a change: a person's stable username where there is one, always the name shown. */
export interface ChangedBy {
  name: string;
  username?: string;
}

export interface Note {
  noteId: string;
  leadId: string;
  text: string;
  at: string;
  by: ChangedBy;
}

/**
 * A note on the lead's timeline (type `note`, its text and who wrote it): an entry like any
 * activity, so the lead view shows it and an erase removes it with the rest of the partition, but
 * written beside the lead item without touching it: no score, stage or nurture effect.
 */
export async function addNote(
  deps: { leads: Pick<LeadStore, 'load' | 'putActivity'>; clock: Clock },
  leadId: string,
  text: string,
  by: ChangedBy,
): Promise<Note> {
  if (!LEAD_ID.test(leadId)) throw new ValidationError([{ path: 'leadId', message: 'is not a lead id' }]);
  const lead = await deps.leads.load(leadId);
  if (!lead || lead.erasing) throw new LeadNotFoundError();
  const now = deps.clock.now();
  const author: ChangedBy = by.username ? { name: by.name, username: by.username } : { name: by.name };
  const note: Activity = {
    activityId: newId('note', now),
    leadId,
    type: 'note',
    at: now.toISOString(),
    source: 'console',
    properties: { text },
    by: author,
  };
  await deps.leads.putActivity(note);
  return { noteId: note.activityId, leadId, text, at: note.at, by: author };
}
