/**
 * The many-runs table (text, markdown, html): one row per run (and per file that could not be read), with
 * the epochs, the best and last value of the main validation metric, and the verdict.
 */
import type { Severity } from '../model/index.js';
import { escapeControl } from './escape.js';
import { formatFigure, runVerdict, WORDS } from './prose.js';
import { worstSeverity, type ReportView } from './view.js';

export interface RunRow {
  file: string;
  /** 1-based run number, or null when the file has one run (or none). */
  run: number | null;
  epochs: number | null;
  metric: string | null;
  best: string | null;
  bestEpoch: number | null;
  last: string | null;
  verdict: string;
  /** What colours the verdict: the worst severity, `ok`, or `failed` (not read, no epochs). */
  tone: Severity | 'ok' | 'failed';
}

/** The column titles, in order. */
export const TABLE_HEADINGS = {
  file: 'file',
  run: 'run',
  epochs: 'epochs',
  metric: 'metric',
  best: 'best (epoch)',
  last: 'last',
  verdict: 'verdict',
} as const;

/** Rows of the runs table, in input order. */
export function runRows(view: ReportView): RunRow[] {
  const rows: RunRow[] = [];
  for (const file of view.files) {
    const name = escapeControl(file.file);
    if (file.error !== null || file.runs.length === 0) {
      rows.push({
        file: name,
        run: null,
        epochs: file.error === null ? 0 : null,
        metric: null,
        best: null,
        bestEpoch: null,
        last: null,
        verdict: file.error === null ? WORDS.noEpochs : WORDS.unreadable,
        tone: 'failed',
      });
      continue;
    }
    for (const run of file.runs) {
      const primary = run.primary;
      const worst = worstSeverity(run.counts);
      rows.push({
        file: name,
        run: file.runs.length > 1 ? run.index + 1 : null,
        epochs: run.summary.epochs,
        metric: primary === null ? null : escapeControl(primary.metric),
        best: primary?.best === null || primary === null ? null : formatFigure(primary.best),
        bestEpoch: primary?.bestEpoch ?? null,
        last: primary?.last === null || primary === null ? null : formatFigure(primary.last),
        verdict: runVerdict(run.counts),
        tone: worst === null || worst === 'info' ? 'ok' : worst,
      });
    }
  }
  return rows;
}

/**
 * The directory all rows' files share (`fixtures/real/`), said once above the table so the rows can show
 * the names that tell the files apart; empty when they share none.
 */
export function commonDirectory(rows: readonly RunRow[]): string {
  const [first, ...rest] = [...new Set(rows.map((r) => r.file))];
  if (first === undefined || rest.length === 0) return '';
  let prefix = first.slice(0, first.lastIndexOf('/') + 1);
  for (const file of rest) {
    while (prefix.length > 0 && !file.startsWith(prefix)) {
      prefix = prefix.slice(0, prefix.slice(0, -1).lastIndexOf('/') + 1);
    }
  }
  return prefix;
}

/** `0.0339 (9)`, `0.0339`, or null. */
export function bestCell(row: RunRow): string | null {
  if (row.best === null) return null;
  return row.bestEpoch === null ? row.best : `${row.best} (${row.bestEpoch})`;
}
