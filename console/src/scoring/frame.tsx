import type { ComponentChildren } from 'preact';

/** The page's parts and their anchors. */
const JUMPS = [
  ['#sc-part-fit', 'Fit rules'],
  ['#sc-part-engagement', 'Engagement rules'],
  ['#sc-part-thresholds', 'Grades and thresholds'],
  ['#sc-part-save', 'Save and activate'],
  ['#sc-part-simulate', 'Simulate'],
  ['#sc-part-backtest', 'Backtest'],
  ['#sc-part-versions', 'Versions'],
] as const;

/** The page's parts as links: the rule tables hold many fields, so keyboard users jump past them. */
export function JumpLinks() {
  return (
    <nav aria-label="Parts of this page">
      <ul class="sc-jump">
        {JUMPS.map(([href, text]) => (
          <li key={href}>
            <a href={href}>{text}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The page's frame: its heading (focused after navigation) and what the model is now. */
export function Page({ sub, children }: { sub?: string; children: ComponentChildren }) {
  return (
    <section class="page scoring">
      <div class="page-head">
        <h1 tabIndex={-1}>Scoring</h1>
        {sub ? <p class="sub">{sub}</p> : null}
      </div>
      {children}
    </section>
  );
}
