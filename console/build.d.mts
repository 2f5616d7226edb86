export declare const CONSOLE_DIR: string;
export declare const CONSOLE_SRC: string;
export declare const CONSOLE_DIST: string;
export declare function buildConsole(options?: {
  outdir?: string;
  minify?: boolean;
  clean?: boolean;
}): Promise<{ script: string; css: string; outdir: string; initial: string[] }>;
export declare function ensureConsoleBuilt(): Promise<boolean>;
