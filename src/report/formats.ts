/**
 * The names of `--format`, in a module of their own: the command line lists them in its help without
 * loading a single reporter.
 */

/** Formats of `--format`. */
export const FORMATS = ['text', 'json', 'jsonl', 'markdown', 'github', 'junit', 'sarif', 'html'] as const;
export type FormatName = (typeof FORMATS)[number];
