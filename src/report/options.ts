/** What every reporter receives besides the report (its own module, so reporters and the registry do not import each other). */
import type { ChalkInstance } from 'chalk';
import type { Severity } from '../model/index.js';

/** Options of the reporters. */
export interface ReporterOptions {
  /** Colours for terminal formats; a level-0 instance for none. Never set chalk's global level. */
  chalk: ChalkInstance;
  /** epochlint's version, for tool metadata (SARIF, JUnit, HTML, markdown). */
  version: string;
  /** The `--fail-on` threshold: machine formats mark findings at or above it as failures. */
  failOn: Severity | 'never';
  /** Terminal width for the text report (default 80). */
  width?: number;
  /** Every statistic, every cause in full, every parse issue (`--verbose`). */
  verbose?: boolean;
  /** Only the runs table and the error findings (`--quiet`). */
  quiet?: boolean;
  /** Draw the curves (default true; `--no-chart`). */
  chart?: boolean;
}
