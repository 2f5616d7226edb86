// Types of bin/build-cli.mjs (plain JavaScript: bin/leadflow.mjs imports it on Node without TypeScript).
import type { BuildOptions, Plugin } from 'esbuild';

export declare const cheerioLoadOnly: Plugin;
export declare function cliBuildOptions(dir?: string): BuildOptions & {
  mainFields: string[];
  external: string[];
  banner: { js: string };
};
export declare function buildCli(): Promise<void>;
