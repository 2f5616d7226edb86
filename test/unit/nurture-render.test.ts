import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readNurtureConfig } from '../../functions/adapters/files/config-dir';
import {
  type Layout,
  layoutSchema,
  type NurtureConfig,
  type Template,
  templateSchema,
} from '../../functions/core/nurture/config-schema';
import { mailbox } from '../../functions/core/nurture/mailer';
import {
  renderEmail,
  sampleVars,
  TemplateNotFoundError,
  type TemplateVars,
  templateProblems,
} from '../../functions/core/nurture/render';

const UNSUBSCRIBE = 'https://mail.example.com/u/tok_123?l=ld_1&s=welcome';
const POSTAL = 'Leadflow Ltd, 1 Example Street, London EC1A 1AA, United Kingdom';

const layout: Layout = {
  html: '<html><body><main>{{ content }}</main><footer><a href="{{ unsubscribeUrl }}">Unsubscribe</a> {{ postalAddress }}</footer></body></html>',
  text: '{{ content }}\n--\nUnsubscribe: {{ unsubscribeUrl }}\n{{ postalAddress }}\n',
};

function configWith(
  templates: Template[],
  frame: Layout = layout,
): Pick<NurtureConfig, 'templates' | 'layout' | 'settings'> {
  return {
    templates,
    layout: frame,
    settings: {
      sender: { email: 'hello@leadflow.example', name: 'The Leadflow team' },
      postalAddress: POSTAL,
      sendWindow: {
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        start: '09:00',
        end: '17:00',
        timezone: 'UTC',
      },
      frequencyCap: { perDay: 1, perWeek: 3 },
    },
  };
}

function template(parts: Partial<Template> = {}): Template {
  return {
    id: 'hello',
    subject: 'Hello {{ firstName | default: "there" }}',
    html: '<p>Hi {{ firstName | default: "there" }}</p>',
    text: 'Hi {{ firstName | default: "there" }}',
    ...parts,
  };
}

function vars(parts: Partial<TemplateVars> = {}): TemplateVars {
  return { fields: {}, custom: {}, unsubscribeUrl: UNSUBSCRIBE, ...parts };
}

describe('renderEmail', () => {
  it('escapes field values in the HTML body but not in the text body', () => {
    const config = configWith([template()]);

    const email = renderEmail(config, 'hello', vars({ fields: { firstName: '<script>alert(1)</script>' } }));

    expect(email.html).toContain('<p>Hi &lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(email.html).not.toContain('<script>');
    expect(email.text).toContain('Hi <script>alert(1)</script>');
  });

  it('leaves a value unescaped when the template asks for it with raw', () => {
    const config = configWith([template({ html: '<p>{{ custom.signature | raw }}</p>' })]);

    const email = renderEmail(config, 'hello', vars({ custom: { signature: '<em>Ada</em>' } }));

    expect(email.html).toContain('<p><em>Ada</em></p>');
  });

  it('renders missing values as empty and applies the default filter', () => {
    const config = configWith([
      template({ html: '<p>Hi {{ firstName | default: "there" }}, from [{{ company }}]</p>' }),
    ]);

    const email = renderEmail(config, 'hello', vars());

    expect(email.subject).toBe('Hello there');
    expect(email.html).toContain('<p>Hi there, from []</p>');
    expect(email.text).toContain('Hi there');
  });

  it('wraps the rendered body in the layout without escaping it twice', () => {
    const config = configWith([template({ html: '<p>Tom & Jerry say hi to {{ company }}</p>' })]);

    const email = renderEmail(config, 'hello', vars({ fields: { company: 'Smith & Sons' } }));

    expect(email.html).toContain('<main><p>Tom & Jerry say hi to Smith &amp; Sons</p></main>');
    expect(email.html).not.toContain('&amp;amp;');
    expect(email.html).not.toContain('&lt;p&gt;');
  });

  it('still escapes the content when the layout runs it through another filter', () => {
    const frame = { ...layout, html: layout.html.replace('{{ content }}', '{{ content | upcase }}') };
    const config = configWith([template()], frame);

    const email = renderEmail(config, 'hello', vars({ fields: { firstName: 'Ada' } }));

    expect(email.html).toContain('<main>&lt;P&gt;HI ADA&lt;/P&gt;</main>');
  });

  it('shows the postal address and the unsubscribe link in both bodies', () => {
    const config = configWith([template()]);

    const email = renderEmail(config, 'hello', vars());

    expect(email.html).toContain(`<a href="${UNSUBSCRIBE.replace('&', '&amp;')}">Unsubscribe</a>`);
    expect(email.html).toContain(POSTAL);
    expect(email.text).toContain(`Unsubscribe: ${UNSUBSCRIBE}`);
    expect(email.text).toContain(POSTAL);
  });

  it('strips CR and LF from the subject so a value cannot add a header', () => {
    const config = configWith([template({ subject: 'News for {{ company }}\r\nabout {{ custom.topic }}' })]);

    const email = renderEmail(
      config,
      'hello',
      vars({ fields: { company: 'Acme\r\nBcc: victim@example.com' }, custom: { topic: 'AI & <ML>' } }),
    );

    expect(email.subject).toBe('News for Acme Bcc: victim@example.com about AI & <ML>');
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it('exposes the lead custom fields, stage, score and sender name', () => {
    const config = configWith([
      template({
        text: 'Plan {{ custom.plan }} / {{ stage }} / {{ score | plus: 1 }} / {{ senderName }}',
      }),
    ]);

    const email = renderEmail(config, 'hello', vars({ custom: { plan: 'pro' }, stage: 'mql', score: 41 }));

    expect(email.text).toContain('Plan pro / mql / 42 / The Leadflow team');
  });

  it('gives a custom field no way to shadow the unsubscribe link', () => {
    const config = configWith([template({ text: '{{ unsubscribeUrl }}' })]);

    const email = renderEmail(
      config,
      'hello',
      vars({ fields: { unsubscribeUrl: 'https://evil.example.com' }, custom: {} }),
    );

    expect(email.text.startsWith(UNSUBSCRIBE)).toBe(true);
    expect(email.text).not.toContain('evil');
  });

  it('throws TemplateNotFoundError for an unknown template id', () => {
    const config = configWith([template()]);

    expect(() => renderEmail(config, 'nope', vars())).toThrow(TemplateNotFoundError);
    expect(() => renderEmail(config, 'nope', vars())).toThrow('template "nope"');
  });

  it('renders the same output from the cached parse as from the first', () => {
    const config = configWith([template()]);
    const ada = vars({ fields: { firstName: 'Ada' } });

    const first = renderEmail(config, 'hello', ada);
    const second = renderEmail(config, 'hello', ada);
    const other = renderEmail(config, 'hello', vars({ fields: { firstName: 'Grace' } }));

    expect(second).toEqual(first);
    expect(first.subject).toBe('Hello Ada');
    expect(other.subject).toBe('Hello Grace');
  });
});

describe('templateProblems', () => {
  it('finds nothing wrong with valid templates using locals, loops and filters', () => {
    const config = configWith([
      template({
        html: '{% assign name = firstName | default: "there" | capitalize %}<p>Hi {{ name }}</p>{% for i in (1..2) %}{{ forloop.index }}{% endfor %}{% if score > 50 %}{{ custom.plan | upcase }}{% endif %}',
      }),
    ]);

    expect(templateProblems(config)).toEqual([]);
  });

  it('reports an unknown variable with its path and the known names', () => {
    const config = configWith([template(), template({ id: 'second', text: 'Hi {{ firstname }}' })]);

    const problems = templateProblems(config);

    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('templates.1.text');
    expect(problems[0]?.message).toMatch(
      /^unknown variable "firstname" \(known: email, firstName, .*senderName\)$/,
    );
  });

  it('reports an unknown filter', () => {
    const config = configWith([template({ subject: 'Hi {{ firstName | shout }}' })]);

    expect(templateProblems(config)).toEqual([
      { path: 'templates.0.subject', message: expect.stringContaining('undefined filter: shout') },
    ]);
  });

  it('reports a Liquid syntax error', () => {
    const config = configWith([template({ html: '<p>{% if firstName %}Hi</p>' })]);

    const problems = templateProblems(config);

    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('templates.0.html');
    expect(problems[0]?.message).toContain('not closed');
  });

  it('rejects include, render and layout, which would read files', () => {
    const config = configWith([
      template({
        html: '{% include "footer" %}',
        text: '{% render "footer" %}',
        subject: '{% layout "x" %}',
      }),
    ]);

    const problems = templateProblems(config);

    expect(problems.map((p) => p.path)).toEqual([
      'templates.0.subject',
      'templates.0.html',
      'templates.0.text',
    ]);
    expect(problems[1]?.message).toContain('the include tag is not available');
  });

  it('requires the layout to use content, unsubscribeUrl and postalAddress in both bodies', () => {
    const config = configWith([template()], {
      html: '<main>{{ content }}</main><footer>{{ postalAddress }}</footer>',
      text: '{{ subject }}',
    });

    const problems = templateProblems(config);

    expect(problems.map((p) => p.path)).toEqual(['layout.html', 'layout.text', 'layout.text', 'layout.text']);
    expect(problems[0]?.message).toContain('{{ unsubscribeUrl }}');
    expect(problems.slice(1).map((p) => p.message.match(/\{\{ (\w+) \}\}/)?.[1])).toEqual([
      'content',
      'unsubscribeUrl',
      'postalAddress',
    ]);
  });

  it('allows content and subject in the layout only', () => {
    const config = configWith([template({ text: '{{ content }}' })], {
      ...layout,
      html: `<title>{{ subject }}</title>${layout.html}`,
    });

    expect(templateProblems(config)).toEqual([
      { path: 'templates.0.text', message: expect.stringContaining('unknown variable "content"') },
    ]);
  });
});

describe('shipped templates', () => {
  const ids = ['welcome', 'getting-started', 'case-study'];
  // Read as they are published: the MJML layout and templates compiled into their HTML.
  const load = async () => {
    const read = await readNurtureConfig(fileURLToPath(new URL('../../config', import.meta.url)));
    if (!read) throw new Error('config/ is incomplete');
    const shipped = ids.map((id) => templateSchema.parse(read.config.templates.find((t) => t.id === id)));
    return { shipped, config: configWith(shipped, layoutSchema.parse(read.config.layout)) };
  };
  let loaded: Awaited<ReturnType<typeof load>>;
  // The first MJML compile loads mjml (seconds on a busy machine).
  beforeAll(async () => {
    loaded = await load();
  }, 60_000);

  it('are valid templates, named after their files, with a compliant layout', () => {
    const { shipped, config } = loaded;

    expect(shipped.map((t) => t.id)).toEqual(ids);
    expect(templateProblems(config)).toEqual([]);
  });

  it('render the sample profile into a complete email', () => {
    const { shipped, config } = loaded;

    for (const { id } of shipped) {
      const email = renderEmail(config, id, sampleVars(UNSUBSCRIBE));

      expect(email.subject).not.toMatch(/\{\{|\{%/);
      expect(email.html).toContain('Hi Ada,');
      expect(email.html).toContain(`href="${UNSUBSCRIBE.replace('&', '&amp;')}"`);
      expect(email.html).toContain(POSTAL);
      expect(email.text).toContain('Hi Ada,');
      expect(email.text).toContain(UNSUBSCRIBE);
      expect(email.text).toContain(POSTAL);
    }
    // The subject shows nothing the lead typed (an inbox shows it before the email is opened).
    expect(renderEmail(config, 'welcome', sampleVars(UNSUBSCRIBE)).subject).toBe('Welcome to Leadflow');
  });

  it('greet a lead without a first name', () => {
    const { config } = loaded;

    const email = renderEmail(config, 'welcome', vars());

    expect(email.html).toContain('Hi there,');
    expect(email.text).toContain('Hi there,');
  });
});

describe('the From mailbox', () => {
  it('keeps a plain name, quotes specials, encodes non-ASCII (RFC 2047) and drops control characters', () => {
    expect(mailbox('The Leadflow team', 'hello@leadflow.example')).toBe(
      'The Leadflow team <hello@leadflow.example>',
    );
    expect(mailbox('Acme, Inc.', 'a@acme.example')).toBe('"Acme, Inc." <a@acme.example>');
    expect(mailbox('Say "hi"', 'a@acme.example')).toBe('"Say \\"hi\\"" <a@acme.example>');
    expect(mailbox('Müller GmbH', 'm@mueller.example')).toBe(
      `=?UTF-8?B?${Buffer.from('Müller GmbH').toString('base64')}?= <m@mueller.example>`,
    );
    expect(mailbox('Evil\r\nBcc: x@y', 'a@acme.example')).toBe('"Evil  Bcc: x@y" <a@acme.example>');
    expect(mailbox('', 'a@acme.example')).toBe('a@acme.example');
  });
});
