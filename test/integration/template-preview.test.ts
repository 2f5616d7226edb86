import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoConfigStore } from '../../functions/adapters/dynamodb/config-store';
import { DynamoLeadStore } from '../../functions/adapters/dynamodb/lead-store';
import { NURTURE_CONFIG_ID } from '../../functions/adapters/dynamodb/nurture-configs';
import { readNurtureConfig } from '../../functions/adapters/files/config-dir';
import { leadIdFor } from '../../functions/core/kernel/email';
import type { NurtureConfig } from '../../functions/core/nurture/config-schema';
import { emptyAggregate } from '../../functions/core/scoring/score';
import { type EmulatorEnv, emulatorEnv, TABLE } from '../fixtures/emulators';
import { httpEvent, invoke } from '../fixtures/http-events';

/**
 * The template editor's routes over the real emulators: a draft rendered as send-email renders
 * it (the same HTML a proof carries), MJML errors at their line, the variables for completion.
 */
let env: EmulatorEnv;
let admin: Parameters<typeof invoke>[0];
let token: string;
let shipped: NurtureConfig;

beforeAll(async () => {
  env = await emulatorEnv({
    LEADFLOW_UNSUBSCRIBE_KEY: 'template-preview-key',
    LEADFLOW_PUBLIC_URL: 'https://leadflow.example',
  });
  const read = await readNurtureConfig(resolve('config'));
  if (!read) throw new Error('config/ is incomplete');
  shipped = read.config;
  await new DynamoConfigStore(env.db, TABLE).publish('nurture', NURTURE_CONFIG_ID, shipped);
  token = await env.token('marketing');
  ({ handler: admin } = await import('../../functions/handlers/admin-nurture'));
}, 60_000);
afterAll(async () => env?.stop());

function call(routeKey: string, body?: unknown, auth = token, params: Record<string, string> = {}) {
  const path = routeKey.split(' ')[1]?.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '') ?? '';
  return invoke(
    admin,
    httpEvent({
      routeKey,
      path,
      pathParameters: params,
      headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

const welcome = () => {
  const template = shipped.templates.find((t) => t.id === 'welcome');
  if (!template?.mjml) throw new Error('the shipped welcome template is MJML');
  return { id: template.id, subject: template.subject, mjml: template.mjml, text: template.text };
};

async function sentEmails(): Promise<
  { subject: string; destination: { to: string[] }; body: { html?: string } }[]
> {
  const res = await fetch(`${process.env.AWS_ENDPOINT_URL_SESV2}/store`);
  return ((await res.json()) as { emails: [] }).emails;
}

describe('POST /v1/admin/templates/preview', () => {
  it('renders an unchanged template to the same HTML its proof carries through SES (one render path)', async () => {
    const preview = await call('POST /v1/admin/templates/preview', { template: welcome(), sample: true });
    expect(preview.status).toBe(200);
    expect(preview.json.subject).toBe('Welcome to Leadflow');
    expect(preview.json.html).toContain('Hi Ada,');
    expect(preview.json.version).toBe(1);

    const proof = await call(
      'POST /v1/admin/templates/{id}/test-send',
      { to: 'maya.proof@leadflow.example' },
      token,
      {
        id: 'welcome',
      },
    );
    expect(proof.status).toBe(202);
    const sent = (await sentEmails()).find((e) => e.destination.to.includes('maya.proof@leadflow.example'));
    expect(sent?.subject).toBe('[Proof] Welcome to Leadflow');
    expect(sent?.body.html).toBe(preview.json.html);
  });

  it("renders an edited draft for a stored lead with the lead's own fields", async () => {
    const email = 'grace.preview@example.com';
    const at = '2026-11-01T10:00:00.000Z';
    await new DynamoLeadStore(env.db, TABLE).create({
      leadId: leadIdFor(email),
      email,
      stage: 'mql',
      profile: {
        firstName: { value: 'Grace', source: 'form:newsletter', at },
        plan: { value: 'team', source: 'form:newsletter', at },
      },
      createdAt: at,
      updatedAt: at,
      version: 1,
      aggregate: emptyAggregate(),
      score: null,
    });
    const draft = {
      subject: 'Hello {{ firstName }}',
      mjml: '<mj-text>Plan: {{ custom.plan }}, stage {{ stage }}</mj-text>\n<mj-button href="{{ unsubscribeUrl }}">Leave</mj-button>',
      text: 'Plan: {{ custom.plan }}',
    };
    const res = await call('POST /v1/admin/templates/preview', { template: draft, leadId: leadIdFor(email) });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ subject: 'Hello Grace', warnings: [] });
    expect(res.json.html).toContain('Plan: team, stage mql');
    expect(res.json.text).toContain('Plan: team');
    // The sample unsubscribe link: a click in a preview unsubscribes no one.
    expect(res.json.html).toContain('href="https://unsubscribe.example.invalid/');
  });

  it('answers 400 with the MJML error at template.mjml and its line, and a Liquid error at its part', async () => {
    const bad = await call('POST /v1/admin/templates/preview', {
      template: {
        ...welcome(),
        mjml: '<mj-text>ok</mj-text>\n<mj-text>fine</mj-text>\n<mj-wrong>x</mj-wrong>',
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details).toEqual([
      { path: 'template.mjml', message: expect.stringMatching(/^line 3: .*mj-wrong/) },
    ]);
    const liquid = await call('POST /v1/admin/templates/preview', {
      template: { ...welcome(), subject: 'Hi {{ firstName' },
    });
    expect(liquid.status).toBe(400);
    expect(liquid.json.error.details[0].path).toBe('template.subject');
  });

  it('warns about an unknown variable and an element wider than the screen, and still renders', async () => {
    const res = await call('POST /v1/admin/templates/preview', {
      template: {
        subject: 'Hi',
        html: '<div style="width: 700px">{{ nickname }}</div>',
        text: 'Hi',
      },
      sample: true,
      width: 375,
    });
    expect(res.status).toBe(200);
    expect(res.json.warnings).toEqual([
      { path: 'template.html', message: expect.stringContaining('unknown variable "nickname"') },
      { path: 'template', message: 'an element is 700 px wide: on a 375 px screen it scrolls sideways' },
    ]);
  });

  it('answers 404 for an unknown lead, 400 for a body with both html and mjml, 403 for sales', async () => {
    const ghost = await call('POST /v1/admin/templates/preview', {
      template: welcome(),
      leadId: leadIdFor('ghost@example.com'),
    });
    expect(ghost.status).toBe(404);
    const both = await call('POST /v1/admin/templates/preview', {
      template: { ...welcome(), html: '<p>x</p>' },
    });
    expect(both.status).toBe(400);
    const sales = await call(
      'POST /v1/admin/templates/preview',
      { template: welcome() },
      await env.token('sales'),
    );
    expect(sales.status).toBe(403);
  });
});

describe('GET /v1/admin/templates/variables', () => {
  it('lists the standard fields, custom fields in use, stage, score and links, with the filters', async () => {
    const res = await call('GET /v1/admin/templates/variables');
    expect(res.status).toBe(200);
    const names = (res.json.variables as { name: string }[]).map((v) => v.name);
    expect(names).toEqual(
      expect.arrayContaining(['firstName', 'company', 'stage', 'score', 'unsubscribeUrl', 'custom.plan']),
    );
    expect(names).not.toContain('custom');
    expect(res.json.variables.find((v: { name: string }) => v.name === 'firstName')).toMatchObject({
      group: 'lead',
      example: 'Ada',
    });
    expect(res.json.filters).toEqual(expect.arrayContaining(['default', 'upcase', 'date']));
  });
});
