const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
const count = new Intl.NumberFormat('en');

export const fmtCount = (n: number) => count.format(n);

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

/** "3 min ago", "2 h ago", "5 d ago"; the exact time is in the title attribute next to it. */
export function fmtAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

const STAGE_LABELS: Record<string, string> = { mql: 'MQL', sql: 'SQL' };

/** A stage as people write it: "mql" → "MQL", "opportunity" → "Opportunity". */
export const stageLabel = (stage: string) => STAGE_LABELS[stage] ?? label(stage);

/** snake_case and kebab-case words as a label: "meeting_booked" → "Meeting booked". */
export function label(word: string): string {
  const spaced = word.replace(/[_-]+/g, ' ').trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
