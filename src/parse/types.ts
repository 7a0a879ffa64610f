import type { ParseIssue, Run } from '../model/index.js';

/** What every whole-input parser returns: runs in file order and the problems met on the way. */
export interface ParseResult {
  runs: Run[];
  issues: ParseIssue[];
}

/** Options shared by the parsers. */
export interface ParseOptions {
  /** The file as given by the user (`-` for stdin); null for in-memory text. Copied into `Run.source.file`. */
  file: string | null;
}
