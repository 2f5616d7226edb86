import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { variantFor } from '../../functions/core/nurture/step-variants';
import type { LocalStack } from '../../functions/local/stack';
import { answerOf, contractChecker } from '../fixtures/contract';
import { api, type Json, startTestStack, waitFor } from '../fixtures/local-api';
import { mailTo, type SentEmail } from '../fixtures/nurture';
import { AB_STEP, configWithAbStep } from '../fixtures/step-ab';

/**
 * An A/B step on the local stack: the welcome sequence's first step split 50/50 between a subject
 * (variant a) and another template with its own subject (variant b). Newsletter sign-ups get the
 * variant the hash gives them, through the SES emulator; opens of variant a's mail (the open pixel)
 * come back as SES events; the email report splits the step by variant and says A leads at 95%
 * (opening every a and no b makes z = sqrt(leads) = 4, whatever the split). The sequence preview
 * names the variant a chosen lead would get. Both answers are checked against /v1/openapi.json.
 */
const LEADS = 16;
let stack: LocalStack;
let http: ReturnType<typeof api>;
let checker: Awaited<ReturnType<typeof contractChecker>>;
let config: Awaited<ReturnType<typeof configWithAbStep>>;
const tag = Date.now().toString(36);

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  config = await configWithAbStep();
  stack = await startTestStack({
    configDir: config.dir,
    tickSeconds: 1,
    rateLimits: { perIpPerMinute: 1000, perEmailPerMinute: 100 },
  });
  http = api(stack);
  checker = await contractChecker(stack.apiUrl);
}, 60_000);

/** `route` with its path filled, its answer checked against the served document. */
async function contract(route: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method: route.split(' ')[0],
    headers: {
      authorization: `Bearer ${stack.tokens.marketing}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await answerOf(res);
  checker.expectDocumented(route, answer);
  return answer;
}
afterAll(async () => {
  await stack?.stop();
  await config?.remove();
});

const decode = (s: string) => s.replace(/&amp;/g, '&');

describe('A/B variants on a sequence step, on the local stack', () => {
  const signUps: { leadId: string; email: string; variant: string; mail?: SentEmail }[] = [];

  it('sends each lead the variant its hash gives, and names it on the email_sent timeline entry', async () => {
    for (let i = 0; i < LEADS; i += 1) {
      const email = `ab.${i}.${tag}@acme-industries.de`;
      const res = await http.submit('newsletter', { email, firstName: `Ada${i}`, consent: true });
      expect(res.status).toBe(202);
      const leadId = res.json.leadId as string;
      signUps.push({ leadId, email, variant: variantFor('welcome', AB_STEP, leadId)?.name ?? '?' });
    }
    for (const s of signUps) {
      s.mail = await waitFor(
        `the welcome email to ${s.email}`,
        async () => (await mailTo(stack.endpoints.ses, s.email))[0],
        30_000,
      );
      const expected = s.variant === 'a' ? /^A: welcome aboard, Ada\d+$/ : /^B: how a 12-person team/;
      expect(s.mail.subject).toMatch(expected);
      if (s.variant === 'b') expect(s.mail.body.html).toContain('came to Leadflow with a familiar problem');
      const sent = await waitFor('the email_sent entry', async () => {
        const res = await http.get(`/v1/admin/leads/${s.leadId}`, stack.tokens.marketing);
        return res.json.timeline.find((e: Json) => e.type === 'email_sent');
      });
      expect(sent.properties).toMatchObject({
        step: 'welcome',
        variant: s.variant,
        templateId: s.variant === 'a' ? 'welcome' : 'case-study',
      });
    }
    const split = signUps.map((s) => s.variant);
    // Both variants were sent (16 leads at 50/50: one-sided by chance once in 32768 runs).
    expect(new Set(split)).toEqual(new Set(['a', 'b']));
  }, 120_000);

  it('counts the opens of variant a and shows both variants in the report, A ahead at 95%', async () => {
    const ofA = signUps.filter((s) => s.variant === 'a');
    for (const s of ofA) {
      const pixel = /<img src="([^"]*\/local\/ses\/open\?m=[^"]+)"/.exec(s.mail?.body.html ?? '')?.[1];
      expect(pixel).toBeDefined();
      expect((await fetch(decode(pixel ?? ''))).status).toBe(200);
    }
    const variants = await waitFor(
      'the email report to count the opens of variant a',
      async () => {
        const res = await http.get('/v1/admin/reports/email?sequence=welcome', stack.tokens.marketing);
        expect(res.status).toBe(200);
        const table = res.json.tables.find((t: Json) => t.id === 'variants');
        const a = table?.rows.find((r: Json) => r.variant === 'a');
        return a?.opened === ofA.length ? table : undefined;
      },
      30_000,
    );
    const ofB = LEADS - ofA.length;
    expect(variants.rows).toEqual([
      expect.objectContaining({
        step: 'welcome',
        variant: 'a',
        sent: ofA.length,
        opened: ofA.length,
        openRate: 1,
      }),
      expect.objectContaining({ step: 'welcome', variant: 'b', sent: ofB, opened: 0, openRate: 0 }),
    ]);
    for (const row of variants.rows) expect(row.openSignificance).toBe('variant A leads at 95% confidence');
    const report = await contract(
      'GET /v1/admin/reports/{report}',
      '/v1/admin/reports/email?sequence=welcome',
    );
    expect(report.json.tables.map((t: Json) => t.id)).toContain('variants');
  }, 60_000);

  it('previews, for a chosen lead, the variant it would get (its subject), as documented', async () => {
    for (const variant of ['a', 'b']) {
      const s = signUps.find((x) => x.variant === variant);
      if (!s) throw new Error(`no lead got variant ${variant}`);
      const preview = await contract(
        'POST /v1/admin/sequences/{id}/preview',
        '/v1/admin/sequences/welcome/preview',
        {
          leadId: s.leadId,
        },
      );
      expect(preview.status).toBe(200);
      const [first, second] = preview.json.steps;
      expect(first).toMatchObject({ stepId: 'welcome', variant, subject: s.mail?.subject });
      expect(second.variant).toBeUndefined();
    }
  });
});
