import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * axe's serious and critical violations on the page as it is now, as `rule: targets` lines (empty
 * when none). axe runs as a script in the page, so the page needs JavaScript on.
 */
export async function seriousViolations(page: Page, options: { exclude?: string } = {}): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  // `exclude`: e.g. a sandboxed email preview (the marketer's content; no script runs in it, so axe cannot either).
  // Its frame is left out entirely: axe's frame-by-frame run (runPartial) waits forever on a frame
  // where no script may run, so pages with an exclusion run in one pass without iframes.
  if (options.exclude) builder.exclude(options.exclude).setLegacyMode(true).options({ iframes: false });
  const { violations, passes } = await builder.analyze();
  // axe really looked at the page (labels, headings, contrast…), not at an empty document.
  expect(passes.length).toBeGreaterThan(5);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
