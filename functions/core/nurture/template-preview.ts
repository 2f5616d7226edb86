import { ValidationError } from '../kernel/errors';
import type { LeadStore } from '../leads/ports';
import type { Template } from './config-schema';
import { compileTemplate } from './mjml';
import { configVersion, type NurtureVersions, storedLead } from './nurture-versions';
import { SAMPLE_CONFIRM_URL, SAMPLE_UNSUBSCRIBE_URL } from './preview';
import { renderEmail, sampleVars, TemplateRenderError, type TemplateVars, templateProblems } from './render';
import type { TemplatePreview, TemplatePreviewBody } from './template-bodies';
import { leadVars } from './template-vars';

/** The id a draft without one is rendered under. */
const DRAFT_ID = 'draft';

/**
 * A draft template rendered exactly as send-email would render it, inside the active (or given)
 * version's layout and settings. Writes nothing, sends nothing.
 * Input: the draft (MJML or HTML, subject, text), a stored lead or the sample profile, the
 * screen width it is shown at. Output: subject, HTML, text and warnings.
 * 1. Load the config version (404 when none is active).
 * 2. Compile the draft's MJML inside the version's layout, as publishing would (400 at `template.mjml`, with lines).
 * 3. Check its Liquid: a syntax error is a 400 at its part; an unknown variable is a warning (it renders empty).
 * 4. Build the variables of the lead (its stored profile) or the sample profile; the unsubscribe
 *    and confirmation links are sample links, so a click in a preview changes nothing.
 * 5. Render with renderEmail, the function send-email calls, and warn about fixed widths wider than the screen.
 */
export async function previewTemplate(
  deps: { versions: NurtureVersions; leads: Pick<LeadStore, 'load'> },
  body: TemplatePreviewBody,
): Promise<TemplatePreview> {
  const { config, version } = await configVersion(deps.versions, body.version);
  const draft = body.template;
  const id = draft.id ?? DRAFT_ID;
  let html = draft.html ?? '';
  if (draft.mjml !== undefined) {
    const compiled = await compileTemplate('template.mjml', draft.mjml, config.layout.mjml);
    if (!compiled.html) throw new ValidationError(compiled.problems, 'The template is not valid MJML.');
    html = compiled.html;
  }
  const template: Template = { id, subject: draft.subject, html, text: draft.text };
  const framed = { ...config, templates: [template] };
  const problems = templateProblems({ templates: [template], layout: config.layout }).map((p) => ({
    path: p.path
      .replace(/^templates\.0\.html$/, draft.mjml === undefined ? 'template.html' : 'template.mjml')
      .replace(/^templates\.0\./, 'template.'),
    message: p.message,
  }));
  const errors = problems.filter((p) => !p.message.startsWith('unknown variable'));
  if (errors.length > 0) throw new ValidationError(errors, 'The template does not parse.');
  const vars: TemplateVars = {
    ...(body.leadId
      ? leadVars(await storedLead(deps.leads, body.leadId), SAMPLE_UNSUBSCRIBE_URL)
      : sampleVars(SAMPLE_UNSUBSCRIBE_URL)),
    confirmUrl: SAMPLE_CONFIRM_URL,
  };
  let rendered: ReturnType<typeof renderEmail>;
  try {
    rendered = renderEmail(framed, id, vars);
  } catch (error) {
    if (!(error instanceof TemplateRenderError)) throw error;
    throw new ValidationError(
      [{ path: `template.${error.part}`, message: error.message }],
      'The template does not render.',
    );
  }
  const warnings = [...problems, ...(body.width ? widerThan(rendered.html, body.width) : [])];
  return { ...rendered, warnings, version };
}

/** Inline CSS `width: Npx` (not max-width), outside Outlook-only comments. */
const FIXED_WIDTH = /(?<![-\w])width:\s*(\d+)px/g;
const COMMENTS = /<!--[\s\S]*?-->/g;

/**
 * Fixed widths wider than the screen: they scroll sideways on a phone. MJML's own output has
 * none outside Outlook's conditional comments (its images and columns shrink with max-width).
 */
function widerThan(html: string, width: number): { path: string; message: string }[] {
  const widths = new Set<number>();
  for (const match of html.replace(COMMENTS, '').matchAll(FIXED_WIDTH)) {
    const px = Number(match[1]);
    if (px > width) widths.add(px);
  }
  return [...widths].map((px) => ({
    path: 'template',
    message: `an element is ${px} px wide: on a ${width} px screen it scrolls sideways`,
  }));
}
