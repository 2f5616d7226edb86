import { significance, type VariantCounts } from '../kernel/ab-significance';
import { groupCounts, rate } from './filters';
import type { ReportColumn, ReportRow, ReportTable, RollupRow } from './report';

/**
 * The email report's `variants` table (with `sequence=`): each A/B step's numbers split by
 * variant — sent, unique opens and clicks, their rates per send — and, on every row of a step,
 * whether its leader is ahead at 95% (the broadcasts' two-proportion z-test, kernel/ab-significance).
 */
export const VARIANT_COLUMNS: ReportColumn[] = [
  { key: 'step', label: 'Step', kind: 'text' },
  { key: 'variant', label: 'Variant', kind: 'text' },
  { key: 'sent', label: 'Sent', kind: 'count' },
  { key: 'opened', label: 'Opened (unique)', kind: 'count' },
  { key: 'clicked', label: 'Clicked (unique)', kind: 'count' },
  { key: 'openRate', label: 'Open rate (of sent)', kind: 'rate' },
  { key: 'clickRate', label: 'Click rate (of sent)', kind: 'rate' },
  { key: 'openSignificance', label: 'Opens: significance', kind: 'text' },
  { key: 'clickSignificance', label: 'Clicks: significance', kind: 'text' },
];

/** `keyOf` gives a row's `<step>|<variant>`, or undefined for rows of no A/B step (or another sequence). */
export function variantsTable(rows: RollupRow[], keyOf: (row: RollupRow) => string | undefined): ReportTable {
  const byStep = new Map<string, VariantCounts[]>();
  for (const [key, totals] of groupCounts(rows, keyOf)) {
    const [step = '', id = ''] = key.split('|');
    const counts = { id, sent: totals.sent ?? 0, opened: totals.opened ?? 0, clicked: totals.clicked ?? 0 };
    byStep.set(step, [...(byStep.get(step) ?? []), counts]);
  }
  const out: ReportRow[] = [];
  for (const [step, variants] of [...byStep].sort(([a], [b]) => a.localeCompare(b))) {
    const opens = significance(variants, 'opened')?.label ?? null;
    const clicks = significance(variants, 'clicked')?.label ?? null;
    for (const v of variants.sort((a, b) => a.id.localeCompare(b.id)))
      out.push({
        step,
        variant: v.id,
        sent: v.sent,
        opened: v.opened,
        clicked: v.clicked,
        openRate: rate(v.opened, v.sent),
        clickRate: rate(v.clicked, v.sent),
        openSignificance: opens,
        clickSignificance: clicks,
      });
  }
  return { id: 'variants', title: 'A/B variants', columns: VARIANT_COLUMNS, rows: out };
}
