/**
 * "Reload and re-apply my change": the edits made from `base` to `mine`, put on `theirs` (the
 * latest version), field by field, so someone else's change to the same document is kept where
 * it does not touch mine. Where both changed the same field differently, mine is kept and the
 * field is named in `clashes` for the person to check. Lists of different lengths are taken whole,
 * and so is an object both turned into different kinds (each dropped a field and added another,
 * as a rule switched from "contains any" to "is one of" by one and to a range by the other): its
 * fields mixed would be neither kind.
 */
export function reapply<T>(base: T, mine: T, theirs: T): { value: T; clashes: string[] } {
  const clashes: string[] = [];
  const value = merge(base, mine, theirs, '', clashes) as T;
  return { value, clashes };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const keys = (o: Record<string, unknown>) => Object.keys(o).sort();
/** An edit that dropped a field and added another: the object became another kind. */
const changedKind = (base: Record<string, unknown>, edited: Record<string, unknown>) =>
  Object.keys(edited).some((k) => !(k in base)) && Object.keys(base).some((k) => !(k in edited));

function merge(base: unknown, mine: unknown, theirs: unknown, path: string, clashes: string[]): unknown {
  if (same(mine, base)) return theirs;
  if (same(theirs, base) || same(theirs, mine)) return mine;
  if (Array.isArray(base) && Array.isArray(mine) && Array.isArray(theirs)) {
    if (base.length === mine.length && base.length === theirs.length)
      return base.map((b, i) => merge(b, mine[i], theirs[i], `${path}${path ? '.' : ''}${i}`, clashes));
  } else if (isObject(base) && isObject(mine) && isObject(theirs)) {
    if (!(changedKind(base, mine) && changedKind(base, theirs) && !same(keys(mine), keys(theirs)))) {
      const out: Record<string, unknown> = {};
      for (const key of new Set([...Object.keys(base), ...Object.keys(mine), ...Object.keys(theirs)])) {
        const merged = merge(base[key], mine[key], theirs[key], `${path}${path ? '.' : ''}${key}`, clashes);
        if (merged !== undefined) out[key] = merged;
      }
      return out;
    }
  }
  clashes.push(path || '(the whole document)');
  return mine;
}

/** My change put on the latest version: which version, and the fields both people changed (paths). */
export interface Reapplied {
  version: number | undefined;
  clashes: string[];
}

/** "A", "A and B", "A, B and C". */
export function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The note after "Reload and re-apply my change": on which version, and a field both changed, in words. */
export function reappliedInWords(reapplied: Reapplied, fieldInWords: (path: string) => string = (p) => p) {
  const on = reapplied.version ? ` on version ${reapplied.version}` : '';
  const clashes = [...new Set(reapplied.clashes.map(fieldInWords))];
  return `Your change is re-applied${on}: check it, then save.${
    clashes.length > 0
      ? ` You both changed ${listInWords(clashes)}: yours is kept there.`
      : ' Their change is kept.'
  }`;
}
