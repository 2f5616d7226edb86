import type { Backtest } from './types';

/** What a backtest found so far, over every page it read. */
export type Change = Backtest['changes'][number];
export interface Tally {
  scanned: number;
  changed: number;
  grade: number;
  turnsHot: Change[];
  stopsHot: Change[];
  sample: Change[];
  cursor: string | null;
}

/** Pages of 200 leads per call; one run checks at most this many pages, then offers to go on. */
export const PAGE = 200;
export const PAGES_PER_RUN = 25;
/** How many changed leads the sample lists. */
const SAMPLE = 20;

/** Folds one backtest page into the tally (pure, so it is the same whether a run took one page or many). */
export function addPage(tally: Tally, page: Backtest): Tally {
  const grade = page.changes.filter((c) => c.from.grade !== c.to.grade);
  const turnsHot = page.changes.filter((c) => c.to.hot && !c.from.hot);
  const stopsHot = page.changes.filter((c) => c.from.hot && !c.to.hot);
  return {
    scanned: tally.scanned + page.scanned,
    changed: tally.changed + page.changes.length,
    grade: tally.grade + grade.length,
    turnsHot: [...tally.turnsHot, ...turnsHot],
    stopsHot: [...tally.stopsHot, ...stopsHot],
    sample: [...tally.sample, ...page.changes].slice(0, SAMPLE),
    cursor: page.cursor,
  };
}

export const EMPTY_TALLY: Tally = {
  scanned: 0,
  changed: 0,
  grade: 0,
  turnsHot: [],
  stopsHot: [],
  sample: [],
  cursor: null,
};
