import { describe, expect, it } from 'vitest';
import { mapSesEvent } from '../../functions/core/consent/ses-events';
import { engagementEvent } from '../../functions/local/ses-engagement';
import type { StoredEmail } from '../../functions/local/ses-events-emulator';
import { isTracked, trackLinks } from '../../functions/local/ses-tracking';

const via = (url: string) =>
  url.startsWith('http://api/v1/')
    ? undefined
    : `http://api/local/ses/click?m=r&u=${encodeURIComponent(url)}`;

describe('local open and click tracking', () => {
  it('sends content links through the click route, leaves Leadflow’s own links, adds the pixel before </body>', () => {
    const html =
      '<body><a href="https://acme.example/a?x=1&amp;y=2">A</a> <a class="b" href=\'http://acme.example/b\'>B</a>' +
      ' <a href="http://api/v1/unsubscribe?t=abc">Unsubscribe</a> <a href="mailto:a@b.c">mail</a></body>';
    const out = trackLinks(html, via, 'http://api/local/ses/open?m=r');
    expect(out.links).toEqual(['https://acme.example/a?x=1&y=2', 'http://acme.example/b']);
    expect(out.html).toContain(
      'href="http://api/local/ses/click?m=r&amp;u=https%3A%2F%2Facme.example%2Fa%3Fx%3D1%26y%3D2"',
    );
    expect(out.html).toContain("href='http://api/local/ses/click?m=r&amp;u=http%3A%2F%2Facme.example%2Fb'");
    expect(out.html).toContain('href="http://api/v1/unsubscribe?t=abc"');
    expect(out.html).toContain('href="mailto:a@b.c"');
    expect(out.html).toMatch(/<img src="http:\/\/api\/local\/ses\/open\?m=r"[^>]*><\/body>$/);
  });

  it('tracks marketing mail only: sequence steps and broadcasts, not proofs or confirmations', () => {
    expect(isTracked({ sequence: ['welcome'], step: ['welcome'] })).toBe(true);
    expect(isTracked({ broadcast: ['bc_1'] })).toBe(true);
    expect(isTracked({ sequence: ['confirm_newsletter'] })).toBe(false);
    expect(isTracked({ purpose: ['proof'], template: ['welcome'] })).toBe(false);
    expect(isTracked({})).toBe(false);
  });

  it('builds Open and Click events that ses-events maps to entries with the send’s attribution', () => {
    const email: StoredEmail = {
      messageId: 'local-1',
      from: 'Leadflow <hello@leadflow.example>',
      destination: { to: ['ada@acme.example'] },
      subject: 'Welcome',
      at: 1_764_000_000,
    };
    const tags = { sequence: ['welcome'], step: ['day-3'], template: ['welcome-2'] };
    const now = new Date('2026-12-03T06:00:00.000Z');
    for (const [kind, type] of [
      ['open', 'email_opened'],
      ['click', 'email_clicked'],
    ] as const) {
      const mapped = mapSesEvent(
        JSON.stringify(engagementEvent(email, kind, now, { link: 'https://a.example', tags })),
      );
      expect(mapped.kind === 'actions' && mapped.actions[0]).toMatchObject({
        kind: 'activity',
        activity: {
          type,
          at: now.toISOString(),
          properties: { messageId: 'local-1', sequenceId: 'welcome', step: 'day-3', templateId: 'welcome-2' },
        },
      });
    }
  });
});
