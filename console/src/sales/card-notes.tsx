import { useCallback } from 'preact/hooks';
import { api } from '../api';
import { OUTCOME_LABEL, when } from './format';
import type { CardNote, LeadCard, Outcome } from './types';
import { useLoad } from './use-load';

interface TimelineEntry {
  type: string;
  at: string;
  properties?: { text?: unknown; note?: unknown; reason?: unknown; handoff?: unknown };
  by?: { name: string };
}

/** The notes on a lead's timeline: people's notes, and the notes and reasons reps gave with outcomes. */
export function notesOf(timeline: TimelineEntry[]): CardNote[] {
  const notes: CardNote[] = [];
  for (const entry of timeline) {
    const p = entry.properties ?? {};
    const by = entry.by ? { by: entry.by } : {};
    if (entry.type === 'note' && typeof p.text === 'string') {
      notes.push({ text: p.text, at: entry.at, ...by });
    } else if (
      entry.type.startsWith('sales_') &&
      (typeof p.note === 'string' || typeof p.reason === 'string')
    ) {
      const outcome = entry.type.slice('sales_'.length) as Outcome;
      const text = [p.note, p.reason ? `Reason: ${p.reason}` : '']
        .filter((t) => typeof t === 'string' && t)
        .join(' ');
      notes.push({
        text,
        at: entry.at,
        ...by,
        ...(OUTCOME_LABEL[outcome] ? { outcome: OUTCOME_LABEL[outcome] } : {}),
        ...(typeof p.handoff === 'number' ? { handoff: p.handoff } : {}),
      });
    }
  }
  return notes;
}

/**
 * Notes left on the lead before this claim: from the card when the API puts them there, else
 * from the lead's timeline (newest first).
 */
export function CardNotes({ card, headingId }: { card: LeadCard; headingId: string }) {
  const load = useCallback(
    async () =>
      card.notes ??
      notesOf(
        (await api.get<{ timeline: TimelineEntry[] }>(`/v1/admin/leads/${encodeURIComponent(card.leadId)}`))
          .timeline,
      ),
    [card.leadId, card.notes],
  );
  const [notes, reload] = useLoad(load);
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>Notes</h3>
      {notes.status === 'error' ? (
        <p class="sales-muted">
          The notes could not be loaded.{' '}
          <button type="button" class="button quiet" onClick={() => void reload()}>
            Try again
          </button>
        </p>
      ) : !notes.data ? (
        <p class="sales-muted">Loading notes…</p>
      ) : notes.data.length ? (
        <ul class="sales-list">
          {notes.data.map((note) => (
            <li key={`${note.at}-${note.text}`}>
              {note.text}{' '}
              <span class="sales-muted">
                — {note.by?.name ?? 'someone'}
                {note.outcome ? `, ${note.outcome}` : ''}
                {note.handoff ? ` (hand-off #${note.handoff})` : ''},{' '}
                <time dateTime={note.at}>{when(note.at)}</time>
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="sales-muted">No notes on this lead yet.</p>
      )}
    </section>
  );
}
