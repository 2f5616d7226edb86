import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app';
import { isPlaceholderHost } from '../../infra/placeholders';
import { PRODUCTION_CONFIG_DIR, SKIP_BUNDLING, SYNTH_TIMEOUT } from './support';

/** The message of what building throws, or undefined when it builds. */
function refusal(build: () => unknown): string | undefined {
  try {
    build();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('sample settings', SYNTH_TIMEOUT, () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  /** The production config with one file replaced. */
  function configWith(file: string, text: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'leadflow-config-'));
    dirs.push(dir);
    cpSync(PRODUCTION_CONFIG_DIR, dir, { recursive: true });
    writeFileSync(join(dir, file), text);
    return dir;
  }

  it('refuses a prod build from the shipped config/, naming every sample setting and its value', () => {
    const message = refusal(() => buildApp({ stage: 'prod', context: SKIP_BUNDLING }));
    expect(message).toMatch(/^Stage prod still has sample settings/);
    for (const line of [
      '  - settings.yaml sender.email: "hello@leadflow.example"',
      '  - settings.yaml replyTo: "team@leadflow.example"',
      '  - settings.yaml postalAddress: "Leadflow Inc., 548 Market Street, Suite 100, San Francisco, CA 94104, USA"',
      '  - forms/demo-request.yaml thankYouUrl: "http://localhost:3000/thanks?form=demo-request"',
      '  - forms/demo-request.yaml allowedOrigins[0]: "http://localhost:3000"',
      '  - forms/newsletter-eu.yaml thankYouUrl: "http://localhost:3000/thanks?form=newsletter-eu"',
      '  - forms/newsletter-eu.yaml allowedOrigins[0]: "http://localhost:3000"',
      '  - forms/newsletter.yaml thankYouUrl: "http://localhost:3000/thanks?form=newsletter"',
      '  - forms/newsletter.yaml allowedOrigins[0]: "http://localhost:3000"',
    ]) {
      expect(message?.split('\n')).toContain(line);
    }
    expect(message).toContain('Only dev and test build with sample settings.');
  });

  it('refuses any kept stage, not only prod, and builds dev and test from the sample config', () => {
    expect(refusal(() => buildApp({ stage: 'staging', context: SKIP_BUNDLING }))).toMatch(
      /^Stage staging still has sample settings/,
    );
    for (const stage of ['dev', 'test']) {
      expect(
        refusal(() => buildApp({ stage, context: SKIP_BUNDLING })),
        stage,
      ).toBeUndefined();
    }
  });

  it('builds prod from a config without sample values, given as a prop or the leadflow:configDir context', () => {
    expect(
      refusal(() => buildApp({ stage: 'prod', configDir: PRODUCTION_CONFIG_DIR, context: SKIP_BUNDLING })),
    ).toBeUndefined();
    const { stateful } = buildApp({
      stage: 'prod',
      context: { ...SKIP_BUNDLING, 'leadflow:configDir': PRODUCTION_CONFIG_DIR },
    });
    // The sender identity follows that config's sender.email.
    expect(stateful.senderIdentity).toBe('mail.acme-widgets.com');
  });

  it('names a single sample left in an otherwise real config, a missing postal address too', () => {
    const settings = configWith(
      'settings.yaml',
      'sender:\n  email: hello@acme-widgets.com\nreplyTo: team@example.com\n',
    );
    const message = refusal(() => buildApp({ stage: 'prod', configDir: settings, context: SKIP_BUNDLING }));
    expect(message?.split('\n').filter((line) => line.startsWith('  - '))).toEqual([
      '  - settings.yaml replyTo: "team@example.com"',
      '  - settings.yaml postalAddress: missing',
    ]);

    const form = configWith(
      'forms/newsletter.yaml',
      'id: newsletter\nthankYouUrl: https://www.acme-widgets.com/thanks\nallowedOrigins:\n  - https://www.acme-widgets.com\n  - http://127.0.0.1:8080\n',
    );
    const formMessage = refusal(() => buildApp({ stage: 'prod', configDir: form, context: SKIP_BUNDLING }));
    expect(formMessage?.split('\n').filter((line) => line.startsWith('  - '))).toEqual([
      '  - forms/newsletter.yaml allowedOrigins[1]: "http://127.0.0.1:8080"',
    ]);
  });

  it('names a sample sender identity or public URL given as context', () => {
    const message = refusal(() =>
      buildApp({
        stage: 'prod',
        configDir: PRODUCTION_CONFIG_DIR,
        context: {
          ...SKIP_BUNDLING,
          'leadflow:senderIdentity': 'leadflow.example',
          'leadflow:publicUrl': 'https://api.example.com',
        },
      }),
    );
    expect(message?.split('\n').filter((line) => line.startsWith('  - '))).toEqual([
      '  - context leadflow:senderIdentity: "leadflow.example"',
      '  - context leadflow:publicUrl: "https://api.example.com"',
    ]);
  });

  it('counts local hosts and the names reserved for examples as samples, and nothing else', () => {
    for (const host of [
      'localhost',
      'app.localhost',
      '127.0.0.1',
      'leadflow.example',
      'example.com',
      'www.example.org',
      'shop.test',
      'x.invalid',
    ]) {
      expect(isPlaceholderHost(host), host).toBe(true);
    }
    for (const host of ['acme-widgets.com', 'example-shop.com', 'examples.com', 'mail.testing.io']) {
      expect(isPlaceholderHost(host), host).toBe(false);
    }
  });
});
