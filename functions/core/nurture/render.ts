import { Liquid, type Template as LiquidTemplate } from 'liquidjs';
import type { NurtureConfig } from './config-schema';

/**
 * Nurture email rendering with Liquid. Input: a published config, a template id and the lead's
 * variables. Output: subject, HTML body and text body, each body framed by the layout.
 * HTML output is escaped by default (`| raw` opts out); the subject and the text body are not.
 * Engines and parsed templates live at module scope: one Lambda renders thousands of emails.
 */

const STANDARD_FIELDS = [
  'email',
  'firstName',
  'lastName',
  'company',
  'jobTitle',
  'phone',
  'country',
  'companySize',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
] as const;

/** Variable roots a template may use. */
export const TEMPLATE_FIELDS = [
  ...STANDARD_FIELDS,
  'custom',
  'stage',
  'score',
  'unsubscribeUrl',
  // The double opt-in confirmation link: set in the confirmation email only, empty elsewhere.
  'confirmUrl',
  'postalAddress',
  'senderName',
] as const;

/** The layout sees the template's variables plus the rendered body and subject. */
export const LAYOUT_FIELDS = [...TEMPLATE_FIELDS, 'content', 'subject'] as const;

/** Compliance: every marketing email shows its body, the postal address and an unsubscribe link. */
const LAYOUT_REQUIRED = ['content', 'unsubscribeUrl', 'postalAddress'] as const;

export interface TemplateVars {
  fields: Record<string, string | number | boolean>;
  custom: Record<string, string | number | boolean>;
  stage?: string;
  score?: number;
  unsubscribeUrl: string;
  /** The signed double opt-in link, when this email is a confirmation. */
  confirmUrl?: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface TemplateProblem {
  path: string;
  message: string;
}

export class TemplateNotFoundError extends Error {
  constructor(readonly templateId: string) {
    super(`template "${templateId}" is not in this config version`);
    this.name = 'TemplateNotFoundError';
  }
}

export class TemplateRenderError extends Error {
  constructor(
    readonly templateId: string,
    readonly part: string,
    options: { cause: unknown },
  ) {
    super(`template "${templateId}" failed to render ${part}: ${messageOf(options.cause)}`, options);
    this.name = 'TemplateRenderError';
  }
}

/** Already-rendered HTML: the escaping output filter passes it through, so `{{ content }}` is not escaped twice. */
class SafeHtml {
  readonly #html: string;
  constructor(html: string) {
    this.#html = html;
  }
  toString(): string {
    return this.#html;
  }
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
};

function escapeUnlessSafe(value: unknown): string {
  if (value instanceof SafeHtml) return value.toString();
  if (value === undefined || value === null) return '';
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

interface Engine {
  liquid: Liquid;
  parsed: Map<string, LiquidTemplate[]>;
}

/** Enough for every template of a few config versions; a warm Lambda outlives many publishes. */
const MAX_PARSED = 1000;

function createEngine(outputEscape?: (value: unknown) => string): Engine {
  const liquid = new Liquid({
    outputEscape,
    ownPropertyOnly: true,
    strictFilters: true,
    // An empty in-memory file map: nothing is ever read from disk.
    templates: {},
    // A runaway loop must not hold up a sending batch.
    renderLimit: 1000,
    memoryLimit: 10_000_000,
  });
  // Emails are self-contained: fail at parse time rather than at send time.
  for (const tag of ['include', 'render', 'layout']) {
    liquid.registerTag(tag, {
      parse() {
        throw new Error(`the ${tag} tag is not available in email templates`);
      },
      render() {},
    });
  }
  return { liquid, parsed: new Map() };
}

const htmlEngine = createEngine(escapeUnlessSafe);
const textEngine = createEngine();

function parse(engine: Engine, source: string): LiquidTemplate[] {
  const cached = engine.parsed.get(source);
  if (cached) return cached;
  const parsed = engine.liquid.parse(source);
  if (engine.parsed.size >= MAX_PARSED) {
    const oldest = engine.parsed.keys().next();
    if (!oldest.done) engine.parsed.delete(oldest.value);
  }
  engine.parsed.set(source, parsed);
  return parsed;
}

function render(engine: Engine, source: string, scope: object): string {
  return String(engine.liquid.renderSync(parse(engine, source), scope));
}

/** Static checks of the templates and the layout: Liquid syntax, variable roots, filters, compliance. */
export function templateProblems(config: Pick<NurtureConfig, 'templates' | 'layout'>): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  config.templates.forEach((template, i) => {
    problems.push(
      ...sourceProblems(`templates.${i}.subject`, textEngine, template.subject, TEMPLATE_FIELDS),
      ...sourceProblems(`templates.${i}.html`, htmlEngine, template.html, TEMPLATE_FIELDS),
      ...sourceProblems(`templates.${i}.text`, textEngine, template.text, TEMPLATE_FIELDS),
    );
  });
  problems.push(
    ...sourceProblems('layout.html', htmlEngine, config.layout.html, LAYOUT_FIELDS, LAYOUT_REQUIRED),
    ...sourceProblems('layout.text', textEngine, config.layout.text, LAYOUT_FIELDS, LAYOUT_REQUIRED),
  );
  return problems;
}

/** Static checks of an A/B variant's own subject, as a template's subject is checked. */
export const subjectProblems = (path: string, subject: string): TemplateProblem[] =>
  sourceProblems(path, textEngine, subject, TEMPLATE_FIELDS);

function sourceProblems(
  path: string,
  engine: Engine,
  source: string,
  known: readonly string[],
  required: readonly string[] = [],
): TemplateProblem[] {
  let roots: string[];
  try {
    // Globals only: names set by assign/capture/for inside the template are its own.
    roots = engine.liquid.globalVariablesSync(parse(engine, source), { partials: false });
  } catch (err) {
    return [{ path, message: messageOf(err) }];
  }
  const problems: TemplateProblem[] = roots
    .filter((root) => !known.includes(root))
    .map((root) => ({ path, message: `unknown variable "${root}" (known: ${known.join(', ')})` }));
  for (const name of required) {
    if (!roots.includes(name)) {
      problems.push({
        path,
        message: `the layout must use {{ ${name} }}: every marketing email shows its content, the postal address and an unsubscribe link`,
      });
    }
  }
  return problems;
}

/** Renders one template for one lead. Throws TemplateNotFoundError or TemplateRenderError. */
export function renderEmail(
  config: Pick<NurtureConfig, 'templates' | 'layout' | 'settings'>,
  templateId: string,
  vars: TemplateVars,
  /** An A/B variant's own subject (Liquid), instead of the template's. */
  override: { subject?: string } = {},
): RenderedEmail {
  const template = config.templates.find((t) => t.id === templateId);
  if (!template) throw new TemplateNotFoundError(templateId);
  const scope = templateScope(config, vars);
  const attempt = (part: string, engine: Engine, source: string, partScope: object): string => {
    try {
      return render(engine, source, partScope);
    } catch (err) {
      throw new TemplateRenderError(templateId, part, { cause: err });
    }
  };

  const subject = oneLine(attempt('subject', textEngine, override.subject ?? template.subject, scope));
  const htmlContent = attempt('html', htmlEngine, template.html, scope).trim();
  const textContent = attempt('text', textEngine, template.text, scope).trim();
  return {
    subject,
    html: attempt('layout.html', htmlEngine, config.layout.html, {
      ...scope,
      subject,
      content: new SafeHtml(htmlContent),
    }),
    text: attempt('layout.text', textEngine, config.layout.text, { ...scope, subject, content: textContent }),
  };
}

function templateScope(config: Pick<NurtureConfig, 'settings'>, vars: TemplateVars): Record<string, unknown> {
  // Standard fields only: a custom field cannot shadow unsubscribeUrl, confirmUrl or postalAddress.
  const scope: Record<string, unknown> = {};
  for (const name of STANDARD_FIELDS) scope[name] = vars.fields[name];
  return {
    ...scope,
    custom: vars.custom,
    stage: vars.stage,
    score: vars.score,
    unsubscribeUrl: vars.unsubscribeUrl,
    confirmUrl: vars.confirmUrl ?? '',
    postalAddress: config.settings.postalAddress,
    senderName: config.settings.sender.name,
  };
}

/** The subject is a header: one line (no CR/LF to inject headers with), no control characters. */
function oneLine(subject: string): string {
  return subject
    .replace(/\s+/g, ' ')
    .replace(/\p{Cc}/gu, '')
    .trim();
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A realistic profile for previews and test sends. */
export function sampleVars(unsubscribeUrl: string): TemplateVars {
  return {
    fields: {
      email: 'ada.lovelace@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: 'Analytical Engines Ltd',
      jobTitle: 'Head of Engineering',
      phone: '+44 20 7946 0958',
      country: 'GB',
      companySize: '51-200',
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'spring-launch',
    },
    custom: { plan: 'trial', industry: 'Software', signupSource: 'blog' },
    stage: 'lead',
    score: 42,
    unsubscribeUrl,
  };
}
