import { beforeAll, describe, expect, it } from 'vitest';
import { readNurtureConfig } from '../../functions/adapters/files/config-dir';
import { compileLayout, compileTemplate } from '../../functions/core/nurture/mjml';
import { checkNurtureConfig } from '../../functions/core/nurture/publish-config';
import { renderEmail, sampleVars } from '../../functions/core/nurture/render';

const LAYOUT = `<mjml>
  <mj-head><mj-attributes><mj-text font-family="Georgia, serif" /></mj-attributes></mj-head>
  <mj-body>
    <mj-section><mj-column>
      <mj-text padding="0">{{ content }}</mj-text>
      <mj-text><a href="{{ unsubscribeUrl }}">Unsubscribe</a> {{ postalAddress }}</mj-text>
    </mj-column></mj-section>
  </mj-body>
</mjml>`;

describe('MJML compiled at publish time', () => {
  // The first compile loads mjml (seconds on a busy machine).
  beforeAll(() => compileLayout(LAYOUT), 60_000);

  it('keeps Liquid in attributes and text of the layout, and its content slot', async () => {
    const { html, problems } = await compileLayout(LAYOUT);
    expect(problems).toEqual([]);
    expect(html).toContain('href="{{ unsubscribeUrl }}"');
    expect(html).toContain('{{ content }}');
    expect(html).toContain('{{ postalAddress }}');
  });

  it('compiles a template inside the layout, with its attributes, and keeps Liquid in hrefs and between components', async () => {
    const fragment = [
      '<mj-text>Hi {{ firstName | default: "there" }}</mj-text>',
      '<mj-raw>{% if company %}</mj-raw>',
      '<mj-button href="{{ unsubscribeUrl }}">Go</mj-button>',
      '<mj-raw>{% endif %}</mj-raw>',
    ].join('\n');
    const { html, problems } = await compileTemplate('templates.0.mjml', fragment, LAYOUT);
    expect(problems).toEqual([]);
    expect(html).toMatch(/^<table role="presentation"/);
    expect(html).toContain('Georgia, serif');
    expect(html).toContain('Hi {{ firstName | default: "there" }}');
    expect(html).toContain('href="{{ unsubscribeUrl }}"');
    expect(html).toContain('{% if company %}');
    expect(html).not.toContain('<mjml');
  });

  it('reports an unknown element at the template field with the line of the fragment, not of the layout', async () => {
    const { html, problems } = await compileTemplate(
      'templates.3.mjml',
      '<mj-text>one</mj-text>\n<mj-text>two</mj-text>\n<mj-bogus>three</mj-bogus>',
      LAYOUT,
    );
    expect(html).toBeUndefined();
    expect(problems).toEqual([
      { path: 'templates.3.mjml', message: expect.stringMatching(/^line 3: .*mj-bogus/) },
    ]);
  });

  it('reports a Liquid tag that MJML would drop between components, with its line', async () => {
    const { problems } = await compileTemplate(
      'templates.0.mjml',
      '<mj-text>a</mj-text>\n{% if company %}\n<mj-text>b</mj-text>\n{% endif %}',
      LAYOUT,
    );
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^line 2: \{% if company %\} did not survive MJML/),
      expect.stringMatching(/^line 4: \{% endif %\} did not survive MJML/),
    ]);
  });

  it('refuses a layout without the content slot', async () => {
    const { problems } = await compileLayout(
      '<mjml><mj-body><mj-section><mj-column><mj-text>x</mj-text></mj-column></mj-section></mj-body></mjml>',
    );
    expect(problems).toEqual([{ path: 'layout.mjml', message: expect.stringContaining('{{ content }}') }]);
  });

  it('says an MJML problem once, at the field written, not again at the html it would have filled', async () => {
    const shipped = await readNurtureConfig('config');
    if (!shipped) throw new Error('config/ is incomplete');
    const templates = shipped.config.templates.map((t, i) =>
      i === 1
        ? { id: t.id, subject: t.subject, text: t.text, mjml: '<mj-text>ok</mj-text>\n<mj-nope />' }
        : t,
    );
    const result = await checkNurtureConfig({ ...shipped.config, templates });
    expect(result).toEqual({
      ok: false,
      errors: [{ path: 'templates.1.mjml', message: expect.stringMatching(/^line 2: /) }],
    });
  });

  it('publishes the shipped MJML layout and templates: each email renders with its unsubscribe link and postal address', async () => {
    const shipped = await readNurtureConfig('config');
    if (!shipped) throw new Error('config/ is incomplete');
    const { config } = shipped;
    expect(config.layout.mjml).toContain('<mjml');
    for (const template of config.templates) {
      const email = renderEmail(config, template.id, sampleVars('https://example.com/unsub?t=abc&x=1'));
      expect(email.html).toContain('href="https://example.com/unsub?t=abc&amp;x=1"');
      expect(email.html).toContain(config.settings.postalAddress);
      expect(email.html).toContain('<meta name="viewport"');
      expect(email.html).not.toMatch(/\{\{|\{%|<mj-|leadflow:content/);
    }
  });
});
