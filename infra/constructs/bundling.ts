import type { BuildOptions } from 'esbuild';

/**
 * esbuild options for every Lambda bundle. `LeadflowFunction` maps them onto NodejsFunction's
 * `bundling` props; a benchmark can pass them to esbuild directly and measure the same bundle.
 */
export const esbuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: true,
  // Stack traces need only the mappings; leaving the sources out keeps the .map small.
  sourcesContent: false,
  // Prefer the ESM build of dependencies so esbuild can tree-shake them.
  mainFields: ['module', 'main'],
  // Nothing else is external: the AWS SDK is bundled at the versions the lock file pins, not the
  // runtime's, so what runs in Lambda is what the tests ran. `typescript` (3.5 MB minified) only
  // reaches a bundle through mjml -> htmlnano -> cosmiconfig, which requires it to read a `.ts`
  // config file, never when compiling a template (tested: an admin-nurture-style bundle without it
  // compiles MJML).
  external: ['typescript'],
  // Some bundled CommonJS code calls require() for Node built-ins, which an ES module lacks.
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
} satisfies BuildOptions;
