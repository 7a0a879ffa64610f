/** Report formats by name: each turns a lint `Report` into the text of one output document. */
import type { ChalkInstance } from 'chalk';
import type { Report, Run, Severity } from '../model/index.js';
import { renderGithub } from './github.js';
import { renderJunit } from './junit.js';
import { renderJson } from './lint-json.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

/** What every reporter receives besides the report. */
export interface ReporterOptions {
  /** Colours for terminal formats; a level-0 instance for none. Never set chalk's global level. */
  chalk: ChalkInstance;
  /** epochlint's version, for tool metadata (SARIF, JUnit). */
  version: string;
  /** The `--fail-on` threshold: machine formats mark findings at or above it as failures. */
  failOn: Severity | 'never';
  /** The parsed runs by file, for the text report's chart of the curves. */
  runs?: ReadonlyMap<string, readonly Run[]>;
  /** Terminal width for the text report (default 80). */
  width?: number;
}

/** A reporter: pure, deterministic (no timestamps), paths as given. */
export type Reporter = (report: Report, options: ReporterOptions) => string;

/** Formats of `--format`. */
export const FORMATS = ['text', 'json', 'markdown', 'github', 'junit', 'sarif'] as const;
export type FormatName = (typeof FORMATS)[number];

export const REPORTERS: Record<FormatName, Reporter> = {
  text: (report, options) => renderText(report, options.chalk, options.runs, options.width),
  json: (report) => renderJson(report),
  markdown: renderMarkdown,
  github: renderGithub,
  junit: renderJunit,
  sarif: renderSarif,
};
