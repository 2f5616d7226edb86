import type { Layout, Template } from './config-schema';

/**
 * MJML for email HTML: responsive tables and inlined CSS that Outlook, Gmail and Apple Mail
 * render alike, instead of hand-inlined table markup. MJML is compiled when a config is
 * validated or published, and the compiled HTML (Liquid placeholders intact) is stored in the
 * version's `html`: send-email renders that HTML with Liquid and never loads mjml (its bundle
 * and cold start stay small).
 *
 * The layout's `mjml` is a whole `<mjml>` document whose content slot is
 * `<mj-text ...>{{ content }}</mj-text>`. A template's `mjml` is a fragment of content
 * components (mj-text, mj-button, mj-image, ...; Liquid tags between components inside
 * `<mj-raw>`). It is compiled in the layout's place of the slot, so it takes the layout's
 * `mj-attributes`, and its rows are kept as the template's HTML.
 */

export interface MjmlProblem {
  path: string;
  message: string;
}

const START = '<!--leadflow:content-start-->';
const END = '<!--leadflow:content-end-->';
const SLOT = /<mj-text\b[^>]*>\s*\{\{\s*content\s*\}\}\s*<\/mj-text>/;
/** Used when the layout is plain HTML: the fragment alone in one full-width column. */
const PLAIN_FRAME =
  '<mjml><mj-body><mj-section><mj-column>{{ content }}</mj-column></mj-section></mj-body></mjml>';
const LIQUID = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;

type Mjml2Html = (
  source: string,
  options: Record<string, unknown>,
) => Promise<{ html: string; errors: { line: number; message: string }[] }>;
let loaded: Promise<Mjml2Html> | undefined;
/** Loaded on first use: a function that only renders never pays for mjml's import. */
function mjml(): Promise<Mjml2Html> {
  const load = async () => {
    const mod = (await import('mjml')) as unknown as { default?: Mjml2Html };
    return mod.default ?? (mod as unknown as Mjml2Html);
  };
  loaded ??= load();
  return loaded;
}

/** What mjml made of one source: its HTML and its errors (with their lines). */
export interface CompiledMjml {
  html: string;
  errors: { line: number; message: string }[];
}

/**
 * Compiled MJML kept by source between runs. The CLI keeps one on disk for the bundle that
 * compiled it, so `config check` on unchanged templates does not load mjml (issue 16); there is
 * none by default (the functions compile each version once, at publish).
 */
export interface CompiledMjmlCache {
  get(source: string): Promise<CompiledMjml | undefined>;
  set(source: string, compiled: CompiledMjml): Promise<void>;
}
let cache: CompiledMjmlCache | undefined;
export function useCompiledMjmlCache(store: CompiledMjmlCache | undefined): void {
  cache = store;
}

async function compile(source: string): Promise<CompiledMjml> {
  const kept = await cache?.get(source);
  if (kept) return kept;
  const compiled = await compileNow(source);
  await cache?.set(source, compiled);
  return compiled;
}

async function compileNow(source: string): Promise<CompiledMjml> {
  const compileMjml = await mjml();
  try {
    const result = await compileMjml(source, {
      validationLevel: 'soft',
      keepComments: true,
      // Nothing is read from disk: mj-include would reach the function's file system.
      ignoreIncludes: true,
    });
    return { html: result.html, errors: result.errors.map((e) => ({ line: e.line, message: e.message })) };
  } catch (error) {
    return {
      html: '',
      errors: [{ line: 1, message: error instanceof Error ? error.message : String(error) }],
    };
  }
}

const atLine = (line: number, message: string) => `line ${line}: ${message}`;

/** The layout's MJML compiled to its HTML, or the problems at `layout.mjml`. */
export async function compileLayout(source: string): Promise<{ html?: string; problems: MjmlProblem[] }> {
  const problems: MjmlProblem[] = [];
  if (!SLOT.test(source))
    problems.push({
      path: 'layout.mjml',
      message: 'the layout must hold the content slot <mj-text>{{ content }}</mj-text>',
    });
  const compiled = await compile(source);
  for (const e of compiled.errors) problems.push({ path: 'layout.mjml', message: atLine(e.line, e.message) });
  problems.push(...lostLiquid('layout.mjml', source, compiled.html));
  return problems.length > 0 ? { problems } : { html: compiled.html, problems };
}

/**
 * A template's MJML fragment compiled inside the layout (or a plain frame): its rows, wrapped
 * in a full-width table so it sits in the layout's `{{ content }}` like any HTML body.
 * Problems are at `path` with the fragment's own line numbers.
 */
export async function compileTemplate(
  path: string,
  fragment: string,
  layoutMjml: string | undefined,
): Promise<{ html?: string; problems: MjmlProblem[] }> {
  const frame = layoutMjml && SLOT.test(layoutMjml) ? layoutMjml.replace(SLOT, '{{ content }}') : PLAIN_FRAME;
  const at = frame.indexOf('{{ content }}');
  const before = `${frame.slice(0, at)}<mj-raw>${START}</mj-raw>`;
  const source = `${before}${fragment}<mj-raw>${END}</mj-raw>${frame.slice(at + '{{ content }}'.length)}`;
  const firstLine = before.split('\n').length;
  const lastLine = firstLine + fragment.split('\n').length - 1;
  const compiled = await compile(source);
  const problems: MjmlProblem[] = compiled.errors.map((e) => ({
    path,
    message:
      e.line >= firstLine && e.line <= lastLine
        ? atLine(e.line - firstLine + 1, e.message)
        : `${e.message} (the fragment goes inside a column: mj-section, mj-column and mj-body belong to the layout)`,
  }));
  const start = compiled.html.indexOf(START);
  const end = compiled.html.indexOf(END);
  if (problems.length === 0 && (start < 0 || end < start))
    problems.push({ path, message: 'the template could not be placed in the layout' });
  if (problems.length > 0) return { problems };
  const rows = compiled.html.slice(start + START.length, end).trim();
  problems.push(...lostLiquid(path, fragment, rows));
  if (problems.length > 0) return { problems };
  return {
    html: `<table role="presentation" width="100%" border="0" cellpadding="0" cellspacing="0"><tbody>${rows}</tbody></table>`,
    problems,
  };
}

/** MJML drops text between components: a Liquid tag there would silently vanish from the email. */
function lostLiquid(path: string, source: string, html: string): MjmlProblem[] {
  const kept = new Set(html.match(LIQUID) ?? []);
  const problems: MjmlProblem[] = [];
  for (const match of source.matchAll(LIQUID)) {
    if (kept.has(match[0])) continue;
    const line = source.slice(0, match.index).split('\n').length;
    problems.push({
      path,
      message: atLine(
        line,
        `${match[0]} did not survive MJML: put Liquid between components inside <mj-raw>, and use single quotes inside attributes`,
      ),
    });
  }
  return problems;
}

type WithMjml<T> = T & { mjml?: string };

/**
 * Every `mjml` of a config document compiled into its `html` (the layout's first: templates
 * are compiled inside it). Returns the document with `html` filled in, or the problems.
 * Anything that is not shaped like a config is passed through for the schema to report.
 */
export async function compileConfigMjml(
  doc: unknown,
): Promise<{ document: unknown; problems: MjmlProblem[] }> {
  if (!isObject(doc)) return { document: doc, problems: [] };
  const problems: MjmlProblem[] = [];
  let layout = doc.layout;
  const layoutMjml = isObject(layout) && typeof layout.mjml === 'string' ? layout.mjml : undefined;
  if (isObject(layout) && layoutMjml !== undefined) {
    const compiled = await compileLayout(layoutMjml);
    problems.push(...compiled.problems);
    layout = { ...(layout as WithMjml<Partial<Layout>>), html: compiled.html ?? '' };
  }
  let templates = doc.templates;
  if (Array.isArray(templates)) {
    templates = await Promise.all(
      templates.map(async (template: unknown, i) => {
        if (!isObject(template) || typeof template.mjml !== 'string') return template;
        const compiled = await compileTemplate(`templates.${i}.mjml`, template.mjml, layoutMjml);
        problems.push(...compiled.problems);
        return { ...(template as WithMjml<Partial<Template>>), html: compiled.html ?? '' };
      }),
    );
  }
  return { document: { ...doc, layout, templates }, problems };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
