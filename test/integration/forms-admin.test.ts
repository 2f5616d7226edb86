import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { accessTokenFor, api, startTestStack, waitFor } from '../fixtures/local-api';

/**
 * The forms admin on the whole local stack: a new form is added, checked as `config check` does,
 * activated, and then takes submissions; who added and activated it is recorded.
 */
let stack: LocalStack;
let http: ReturnType<typeof api>;
let maya: string;

const webinar = () => ({
  name: 'Webinar registration',
  thankYouUrl: 'https://www.acme-widgets.com/webinar/thanks',
  // The test posts from the stack's own origin, as the demo page does.
  allowedOrigins: ['https://www.acme-widgets.com', stack.apiUrl],
  consent: { text: 'Send me the webinar reminders and product news.', doubleOptIn: false },
  fields: [
    { name: 'email', type: 'email', label: 'Work email', required: true },
    { name: 'company', type: 'text', label: 'Company' },
    { name: 'consent', type: 'boolean', label: 'Keep me posted' },
  ],
});

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack();
  http = api(stack);
  maya = await accessTokenFor(stack, 'maya');
}, 60_000);
afterAll(async () => stack?.stop());

describe('the forms admin on the local stack', () => {
  it('lists the shipped forms with their active version, published from config/ at start', async () => {
    const { status, json } = await http.get('/v1/admin/forms', maya);
    expect(status).toBe(200);
    const newsletter = json.forms.find((f: { formId: string }) => f.formId === 'newsletter');
    expect(newsletter).toMatchObject({
      name: 'Newsletter sign-up',
      activeVersion: 1,
      latestVersion: 1,
      activatedBy: { name: 'leadflow local stack (config/)' },
    });
  });

  it('refuses an invalid form with each problem at its path, in words, and stores nothing', async () => {
    const bad = {
      ...webinar(),
      thankYouUrl: 'not a url',
      fields: [{ name: 'company', type: 'text', maxLength: 0 }],
    };
    const { status, json } = await http.post('/v1/admin/forms/webinar/versions', { form: bad }, maya);
    expect(status).toBe(400);
    expect(json.error.code).toBe('validation_failed');
    const paths = json.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(['form.thankYouUrl', 'form.fields.0.maxLength', 'form.fields']),
    );
    expect(
      json.error.details.find((d: { path: string }) => d.path === 'form.fields.0.maxLength').message,
    ).toMatch(/^field "company": /);
    expect((await http.get('/v1/admin/forms/webinar', maya)).status).toBe(404);
  });

  it('refuses an id in the body other than the path', async () => {
    const other = await http.post(
      '/v1/admin/forms/webinar/versions',
      { form: { ...webinar(), id: 'other' } },
      maya,
    );
    expect(other.status).toBe(400);
    expect(other.json.error.details).toEqual([
      { path: 'form.id', message: 'must be the form id in the path, "webinar"' },
    ]);
  });

  it('adds a new form, activates it, and then the form takes submissions; who did it is recorded', async () => {
    expect((await http.submit('webinar', { email: 'early.bird@acme-widgets.com' })).status).toBe(404);
    const added = await http.post('/v1/admin/forms/webinar/versions', { form: webinar() }, maya);
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({
      version: 1,
      createdBy: { name: expect.any(String), username: 'maya' },
    });
    const alex = await accessTokenFor(stack, 'alex');
    const activated = await http.post('/v1/admin/forms/webinar/versions/1/activate', {}, alex);
    expect(activated.status).toBe(200);
    expect(activated.json.active).toMatchObject({ version: 1, activatedBy: { username: 'alex' } });

    // The form route caches forms (unknown ones too) for LEADFLOW_CONFIG_CACHE_SECONDS, 2 s locally.
    const accepted = await waitFor('the new form to take submissions', async () => {
      const answer = await http.submit('webinar', {
        email: 'attendee@acme-widgets.com',
        company: 'Acme',
        consent: true,
      });
      return answer.status === 202 ? answer : undefined;
    });
    expect(accepted.json).toMatchObject({ status: 'accepted' });

    const versions = (await http.get('/v1/admin/forms/webinar', maya)).json;
    expect(versions.active).toMatchObject({ version: 1, document: { id: 'webinar', stage: 'lead' } });
    expect(versions.versions[0]).toMatchObject({
      createdBy: { username: 'maya' },
      activatedBy: { username: 'alex' },
    });
    // The sources report counts the capture at the next tick (every few seconds locally).
    const listed = await waitFor('the submission in the forms list', async () => {
      const form = (await http.get('/v1/admin/forms', maya)).json.forms.find(
        (f: { formId: string }) => f.formId === 'webinar',
      );
      return form?.submissionsLast7Days === 1 ? form : undefined;
    });
    expect(listed).toMatchObject({
      name: 'Webinar registration',
      activeVersion: 1,
      lastChange: { what: 'activated', version: 1, by: { username: 'alex' } },
    });
  }, 30_000);

  it('gives the embed snippet of the active version, posting to this API', async () => {
    const { status, json } = await http.get('/v1/admin/forms/webinar/embed', maya);
    expect(status).toBe(200);
    expect(json.version).toBe(1);
    expect(json.html).toContain(`action="${stack.apiUrl}/v1/forms/webinar/submissions"`);
    expect(json.html).toContain(`<script src="${stack.apiUrl}/v1/embed.js" defer></script>`);
    expect(json.html).toContain('name="_gotcha"');
  });

  it('answers 404 for a form id no form can have, and 403 to sales', async () => {
    expect((await http.get('/v1/admin/forms/Not_An_Id', maya)).json.error.code).toBe('form_not_found');
    expect((await http.get('/v1/admin/forms/nope/embed', maya)).status).toBe(404);
    expect((await http.get('/v1/admin/forms', await accessTokenFor(stack, 'ravi'))).status).toBe(403);
  });
});
