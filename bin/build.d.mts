/** Builds the CLI bundle from `src/` into `outdir` (default `dist/bundle`); returns the folder. */
export declare function buildBundle(outdir?: string): Promise<string>;
