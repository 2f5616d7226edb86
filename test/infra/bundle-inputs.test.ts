import { resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { esbuildOptions } from '../../infra/constructs/bundling';
import { SYNTH_TIMEOUT } from './support';

/** The files each function bundle holds, from esbuild's metafile (the options CDK bundles with). */
async function bundledInputs(handler: string): Promise<string[]> {
  const { metafile } = await build({
    ...esbuildOptions,
    entryPoints: [resolve('functions/handlers', `${handler}.ts`)],
    outfile: `${handler}.mjs`,
    write: false,
    metafile: true,
    sourcemap: false,
    logLevel: 'error',
  });
  return Object.keys(metafile.inputs);
}

/** The packages each function bundle holds. */
async function bundledPackages(handler: string): Promise<Set<string>> {
  const packages = (await bundledInputs(handler)).map(
    (path) => path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? 'functions',
  );
  return new Set(packages);
}

// The public routes take no person's sign-in: a JWT verifier there is only parsed at cold start.
const NO_SIGN_IN = ['form-submission', 'webhooks', 'unsubscribe', 'confirm', 'public'];

describe('function bundles', () => {
  it.each(NO_SIGN_IN)(
    '%s bundles no JWT verifier (aws-jwt-verify)',
    async (handler) => {
      expect(await bundledPackages(handler)).not.toContain('aws-jwt-verify');
    },
    SYNTH_TIMEOUT.timeout,
  );

  // Both lists are one string literal each (bin/lookup-data.ts): an array or object literal of
  // thousands of elements is parsed at every cold start, used or not.
  it(
    'form-submission bundles the disposable-domain list and the phone metadata as generated strings',
    async () => {
      const inputs = await bundledInputs('form-submission');
      expect(inputs.filter((path) => /disposable-email-domains-js|metadata\.\w+\.json/.test(path))).toEqual(
        [],
      );
      expect(inputs).toContain('functions/core/scoring/disposable-domains.ts');
      expect(inputs).toContain('functions/core/capture/phone-metadata.ts');
    },
    SYNTH_TIMEOUT.timeout,
  );

  // MJML compiles at publish time (admin-nurture); the sending functions render the stored HTML.
  it(
    'send-email renders with liquidjs and bundles no MJML compiler (mjml)',
    async () => {
      const packages = await bundledPackages('send-email');
      expect([...packages].filter((name) => name.startsWith('mjml'))).toEqual([]);
      expect(packages).toContain('liquidjs');
    },
    SYNTH_TIMEOUT.timeout,
  );

  it(
    'tick bundles no MJML compiler (mjml)',
    async () => {
      expect([...(await bundledPackages('tick'))].filter((name) => name.startsWith('mjml'))).toEqual([]);
    },
    SYNTH_TIMEOUT.timeout,
  );

  it(
    'the nurture admin (admin-nurture), which validates and publishes configs, bundles mjml',
    async () => {
      const packages = await bundledPackages('admin-nurture');
      expect(packages).toContain('mjml');
      // Reached only through cosmiconfig's loader for .ts config files: external (bundling.ts).
      expect(packages).not.toContain('typescript');
    },
    SYNTH_TIMEOUT.timeout,
  );

  it(
    'a route people sign in to (admin-leads) bundles aws-jwt-verify',
    async () => {
      expect(await bundledPackages('admin-leads')).toContain('aws-jwt-verify');
    },
    SYNTH_TIMEOUT.timeout,
  );
});
