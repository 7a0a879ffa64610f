/** Report formats by name: each turns a lint `Report` into the text of one output document. */
import type { Report } from '../model/index.js';
import { renderGithub } from './github.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderJson } from './lint-json.js';
import { renderMarkdown } from './markdown.js';
import type { ReporterOptions } from './options.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

export type { ReporterOptions } from './options.js';

/** A reporter: pure, deterministic (no timestamps), paths as given. */
export type Reporter = (report: Report, options: ReporterOptions) => string;

/** Formats of `--format`. */
export const FORMATS = ['text', 'json', 'markdown', 'github', 'junit', 'sarif', 'html'] as const;
export type FormatName = (typeof FORMATS)[number];

export const REPORTERS: Record<FormatName, Reporter> = {
  text: renderText,
  json: (report) => renderJson(report),
  markdown: renderMarkdown,
  github: renderGithub,
  junit: renderJunit,
  sarif: renderSarif,
  html: renderHtml,
};
