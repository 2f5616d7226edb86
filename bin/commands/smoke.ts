/**
 * `leadflow smoke --url BASE`: after a deploy, walks a test lead through the API and takes it out
 * again — health, a sign-up on a form, the lookup, the GDPR erase. The address is at the reserved
 * `.test` domain (RFC 6761) and the sign-up gives no consent, so no e-mail goes to it; the erase
 * leaves only its keyed suppression entry (one per address, so a fixed address adds none the
 * second time).
 */

export const SMOKE_EMAIL = 'smoke@leadflow.test';
export const SMOKE_FORM = 'newsletter';

export interface SmokeOptions {
  url: string;
  /** An admin token (or marketing): lookup and erase need it. */
  token: string;
  form?: string;
  email?: string;
}

export interface SmokeStep {
  step: string;
  ok: boolean;
  ms: number;
  detail: string;
}

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, read field by field below
  json: any;
  text: string;
}

async function call(
  base: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

const problem = (a: Answer) =>
  a.json?.error
    ? `${a.status} ${a.json.error.code}: ${a.json.error.message}`
    : `${a.status} ${a.text.slice(0, 200)}`;

/**
 * Runs the steps in order and stops at the first failure. A failure after the sign-up names the
 * test lead it leaves, to erase by hand.
 */
export async function smoke(options: SmokeOptions, report: (step: SmokeStep) => void): Promise<boolean> {
  const base = options.url.replace(/\/+$/, '');
  const form = options.form ?? SMOKE_FORM;
  const email = options.email ?? SMOKE_EMAIL;
  let leadId: string | undefined;

  async function step(name: string, run: () => Promise<string>): Promise<boolean> {
    const started = performance.now();
    try {
      const detail = await run();
      report({ step: name, ok: true, ms: performance.now() - started, detail });
      return true;
    } catch (error) {
      const left = leadId
        ? `; test lead ${leadId} left: erase it with DELETE /v1/admin/leads/${leadId} (marketing token)`
        : '';
      report({
        step: name,
        ok: false,
        ms: performance.now() - started,
        detail: `${(error as Error).message}${left}`,
      });
      return false;
    }
  }

  const ok =
    (await step('health', async () => {
      const a = await call(base, 'GET', '/v1/health');
      if (a.status !== 200 || a.json?.status !== 'ok') throw new Error(problem(a));
      return 'GET /v1/health 200';
    })) &&
    (await step('submit', async () => {
      const a = await call(base, 'POST', `/v1/forms/${encodeURIComponent(form)}/submissions`, undefined, {
        email,
        firstName: 'Smoke',
      });
      if (a.status !== 202 || typeof a.json?.leadId !== 'string') throw new Error(problem(a));
      leadId = a.json.leadId;
      return `POST /v1/forms/${form}/submissions 202 ${leadId}`;
    })) &&
    (await step('lookup', async () => {
      const a = await call(base, 'GET', `/v1/admin/leads?email=${encodeURIComponent(email)}`, options.token);
      if (a.status !== 200) throw new Error(problem(a));
      if (a.json?.leadId !== leadId) throw new Error(`found ${a.json?.leadId}, submitted ${leadId}`);
      return `GET /v1/admin/leads 200 stage ${a.json.stage}`;
    })) &&
    (await step('erase', async () => {
      const a = await call(base, 'DELETE', `/v1/admin/leads/${leadId}`, options.token);
      if (a.status !== 200) throw new Error(problem(a));
      return `DELETE /v1/admin/leads/${leadId} 200 (${a.json?.items ?? '?'} items)`;
    }));

  return ok;
}

export const formatSmokeStep = (s: SmokeStep) =>
  `${s.ok ? 'ok  ' : 'FAIL'} ${s.step.padEnd(14)} ${`${Math.round(s.ms)} ms`.padStart(8)}  ${s.detail}`;
