/** What every reporter receives besides the report (its own module, so reporters and the registry do not import each other). */
import type { ChalkInstance } from 'chalk';
import { REPORT_SCHEMA_VERSION, type Report, type FileReport, type Severity } from '../model/index.js';

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

/**
 * A report printed as the files come: `begin` before the first file, `file` as each one arrives (in the
 * order of the inputs), `end` once all are in. Concatenated, the three give the same bytes as the
 * format's whole-report renderer; a format that needs the whole document keeps only what it prints.
 */
export interface ReportStream {
  begin(): string;
  file(file: FileReport): string;
  end(interrupted: Report['interrupted']): string;
}

/** A report of no file, to spread a header (config, interrupt) or one file into. */
export const EMPTY_REPORT: Report = {
  schemaVersion: REPORT_SCHEMA_VERSION,
  files: [],
  interrupted: null,
  config: null,
};
