import { useState } from 'preact/hooks';
import { fmtTime, label, stageLabel } from '../format';
import type { ActivityEffect, TimelineEntry } from './types';

function effectText(effect: ActivityEffect | undefined): string[] {
  if (!effect) return [];
  const parts: string[] = [];
  if (effect.score) {
    const delta = effect.score.to - (effect.score.from ?? 0);
    parts.push(
      `score ${effect.score.from ?? '—'} → ${effect.score.to} (${delta >= 0 ? '+' : ''}${delta}${effect.score.rules.length ? `: ${effect.score.rules.join(', ')}` : ''})`,
    );
  }
  if (effect.stage) parts.push(`stage ${stageLabel(effect.stage.from)} → ${stageLabel(effect.stage.to)}`);
  if (effect.handoff) parts.push(`hot: hand-off #${effect.handoff} to sales`);
  if (effect.enrolled?.length) parts.push(`enrolled in ${effect.enrolled.join(', ')}`);
  if (effect.exiting?.length) parts.push(`left ${effect.exiting.join(', ')}`);
  return parts;
}

function noteText(entry: TimelineEntry): string | undefined {
  if (typeof entry.text === 'string') return entry.text;
  const properties = entry.properties as Record<string, unknown> | undefined;
  return typeof properties?.text === 'string'
    ? properties.text
    : typeof properties?.note === 'string'
      ? properties.note
      : undefined;
}

/** The timeline as the API gives it (newest first), filterable by type, with each entry's effect and who made it. */
export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  const [type, setType] = useState('');
  const types = [...new Set(entries.map((e) => e.type))].sort();
  const shown = type ? entries.filter((e) => e.type === type) : entries;
  return (
    <section class="card" aria-labelledby="timeline-title">
      <div class="card-head">
        <h2 id="timeline-title">Timeline</h2>
        <label>
          Show{' '}
          <select value={type} onChange={(e) => setType((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">All activity ({entries.length})</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {label(t)} ({entries.filter((e) => e.type === t).length})
              </option>
            ))}
          </select>
        </label>
      </div>
      {shown.length === 0 ? (
        <p class="empty">No activity yet.</p>
      ) : (
        <ol class="timeline">
          {shown.map((entry) => {
            const effects = effectText(entry.effect as ActivityEffect | undefined);
            const note = noteText(entry);
            return (
              <li key={entry.activityId} class={`entry entry-${entry.type}`}>
                <div class="entry-head">
                  <strong>{label(entry.type)}</strong>
                  <time dateTime={entry.at}>{fmtTime(entry.at)}</time>
                </div>
                {note && <p class="note">{note}</p>}
                <p class="sub">
                  {entry.by ? `by ${entry.by.name}` : entry.source}
                  {entry.formId ? ` · form ${entry.formId}` : ''}
                </p>
                {effects.length > 0 && <p class="effect">{effects.join(' · ')}</p>}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
