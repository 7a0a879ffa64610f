/**
 * The training tables of a notebook's `text/html` outputs turned into runs. In a saved notebook the
 * Hugging Face Trainer's progress table (`Epoch | Training Loss | Validation Loss | Accuracy`, or `Step
 * | ...` when it evaluated every N steps) and fastai's `fit` table (`epoch train_loss valid_loss
 * accuracy time`) are HTML only (their `text/plain` is `<IPython.core.display.HTML object>`). A
 * displayed pandas DataFrame of a Keras `history.history` (an index column, `loss`, `val_loss`, ...)
 * is one too.
 * - A table is a training table when its header names a metric (a loss, an accuracy, ...) and an epoch
 *   or step column, or a held-out metric (`valid_loss`, `Validation Loss`, `val_acc`); other tables (a
 *   dataset's rows, a classification report) are left alone.
 * - Each training table is one run, read by the line engine of the console tables (`text-records.ts`)
 *   with the column phases of its framework: fastai's and the Trainer's metric columns are validation
 *   metrics. `No log`, `None`, `#na#` and empty cells are missing values; `nan` is NaN; `mm:ss` a time.
 * - A table keyed by `Step` only is on the step axis: records are numbered in order and keep their step.
 * - The Trainer and fastai redraw their output as training goes; a notebook saved with several
 *   snapshots of one table in one cell (each one the previous one and more rows) keeps the last.
 * - A progress bar short of its end next to the table (`[ 39/126 11:37 < 27:19, Epoch 0.60/2]`) says
 *   the training had not finished when the notebook was saved: reported, with the rows shown so far.
 * Memory holds the rows of the current cell's last table (what is reported) and one row being read.
 */
import type { Dialect, MetricPhase, ParseIssue, Run } from '../model/index.js';
import { isValidationName, metricDirection } from '../model/roles.js';
import { fastaiColumnPhase } from './fastai-table.js';
import { hiddenNonFinite } from './hf-log-history.js';
import { hfTableColumnPhase, hidesNonFinite } from './hf-model-card.js';
import { createHtmlTableReader, type HtmlTableReader } from './html-table.js';
import { createTextRecordsReader } from './text-records.js';
import type { ReaderContext } from './types.js';

interface Row {
  cells: string[];
  line: number;
}

interface Table {
  header: string[] | null;
  /** The header is a training table's (its rows are kept). */
  training: boolean;
  line: number;
  rows: Row[];
}

interface Candidate {
  table: Table;
  /** The first progress bar of its output short of its end, if any. */
  unfinished: { value: number; max: number; line: number } | null;
}

/** Reads the HTML outputs of a notebook as they come; runs and issues go to the callbacks. */
export interface NotebookTables {
  /** A `text/html` output starts. */
  start(line: number): void;
  html(piece: string, line: number): void;
  /** The output ends. */
  finish(): void;
  /** A cell ends (the snapshots of one table are in one cell). */
  cellEnd(): void;
  end(): void;
}

const EPOCH_NAMES = new Set(['epoch', 'epochs', 'ep', 'epoch_num']);
const STEP_NAMES = new Set(['step', 'steps', 'global_step', 'iteration']);
/** Cells that hold no value: the Trainer's `No log`, fastai's `#na#` and `None`, an empty cell. */
const MISSING = new Set(['', 'no log', '#na#', 'none', 'null', 'n/a', 'na', '-']);

export function createNotebookTables(
  ctx: ReaderContext,
  dialect: Dialect,
  onRun: (run: Run) => void,
  onIssue: (issue: ParseIssue) => void,
): NotebookTables {
  let reader: HtmlTableReader | null = null;
  let tables: Table[] = [];
  let open: Table | null = null;
  let unfinished: Candidate['unfinished'] = null;
  let pending: Candidate | null = null;

  const sink = {
    tableStart(line: number): void {
      open = { header: null, training: false, line, rows: [] };
    },
    row(cells: string[], header: boolean, line: number): void {
      const t = open;
      if (t === null) return;
      if (header && t.rows.length === 0) {
        // a second header row (pandas puts the index name on its own row) keeps the first names
        if (t.header === null || t.header.every((c) => c === '')) {
          t.header = cells;
          t.training = isTraining(cells);
        }
        return;
      }
      // the rows of another table (a dataset's, a report's) are not kept
      if (t.training) t.rows.push({ cells, line });
    },
    tableEnd(): void {
      if (open !== null) tables.push(open);
      open = null;
    },
    progress(value: number, max: number, line: number): void {
      if (value < max && unfinished === null) unfinished = { value, max, line };
    },
  };

  const flush = (): void => {
    const c = pending;
    pending = null;
    if (c === null) return;
    readTable(c, ctx, dialect, onRun, onIssue);
  };

  return {
    start(): void {
      reader?.end();
      tables = [];
      open = null;
      unfinished = null;
      reader = createHtmlTableReader(sink);
    },
    html(piece, line): void {
      if (reader === null) {
        tables = [];
        unfinished = null;
        reader = createHtmlTableReader(sink);
      }
      reader.write(piece, line);
    },
    finish(): void {
      reader?.end();
      reader = null;
      for (const table of tables) {
        if (!table.training) continue;
        const next: Candidate = { table, unfinished };
        if (pending !== null && isSnapshotOf(pending.table, table)) pending = next;
        else {
          flush();
          pending = next;
        }
      }
      tables = [];
    },
    cellEnd(): void {
      flush();
    },
    end(): void {
      if (reader !== null) this.finish();
      flush();
    },
  };
}

/** Names of a header without the empty index column pandas draws first. */
function namesOf(header: readonly string[]): string[] {
  let from = 0;
  while (from < header.length && header[from] === '') from += 1;
  return header.slice(from);
}

/** A header that names a metric and an epoch or step column, or a held-out metric. */
export function isTraining(header: readonly string[]): boolean {
  const names = namesOf(header);
  if (names.length < 2) return false;
  const lower = names.map((n) => n.toLowerCase());
  const axis = lower.some((n) => EPOCH_NAMES.has(n) || STEP_NAMES.has(n));
  const metric = names.some((n) => metricDirection(n) !== null);
  return metric && (axis || names.some(isValidationName));
}

/** The later table is the earlier one redrawn: same header, its rows and more. */
function isSnapshotOf(earlier: Table, later: Table): boolean {
  const a = earlier.header ?? [];
  const b = later.header ?? [];
  if (a.length !== b.length || a.some((n, i) => n !== b[i])) return false;
  if (earlier.rows.length > later.rows.length) return false;
  return earlier.rows.every((r, i) => {
    const o = later.rows[i];
    return o !== undefined && r.cells.length === o.cells.length && r.cells.every((c, j) => c === o.cells[j]);
  });
}

/** The framework a table's names say: its metric columns are validation metrics. */
function phaseOf(names: readonly string[]): ((name: string) => MetricPhase | null) | undefined {
  if (names.includes('train_loss') && (names.includes('valid_loss') || names[0] === 'epoch'))
    return fastaiColumnPhase;
  if (names.includes('Training Loss') || names.includes('Validation Loss')) return hfTableColumnPhase;
  return undefined;
}

/**
 * A header cell as a column name the table engine reads: a trailing `.`, `:` or `,` (`Val. Acc.`) and
 * `=` are not part of a name there.
 */
function columnName(name: string): string {
  return name
    .replace(/[.:,\s]+$/, '')
    .replace(/=/g, ' ')
    .replace(/: /g, ' ');
}

function readTable(
  c: Candidate,
  ctx: ReaderContext,
  dialect: Dialect,
  onRun: (run: Run) => void,
  onIssue: (issue: ParseIssue) => void,
): void {
  const { table } = c;
  const header = table.header ?? [];
  let names = namesOf(header);
  const lower = names.map((n) => n.toLowerCase());
  const hasEpoch = lower.some((n) => EPOCH_NAMES.has(n));
  const hasStep = lower.some((n) => STEP_NAMES.has(n));
  const indexed = header.length > names.length;
  if (!hasEpoch && !hasStep && indexed) {
    // a DataFrame of a history: its index counts the epochs from 0
    names = ['epoch', ...names];
  }
  names = names.map(columnName);
  const stepOnly = hasStep && !hasEpoch;
  const columnPhase = phaseOf(names);
  const runs: Run[] = [];
  const engine = createTextRecordsReader({
    dialect,
    ctx: {
      ...ctx,
      onRun: (run) => runs.push(run),
      onIssue,
    },
    ...(columnPhase !== undefined ? { columnPhase } : {}),
  });
  if (engine.kind !== 'lines') return;
  const feed = (cells: readonly string[], line: number): void =>
    engine.line({ text: cells.join('\t'), line, terminated: true, continues: false });
  feed(names, table.line);
  for (const row of table.rows) {
    feed(
      row.cells.map((cell) => (MISSING.has(cell.toLowerCase()) ? '-' : cell)),
      row.line,
    );
  }
  engine.end();
  // records under other names than the header's were not read as this table
  const known = new Set(names);
  if (runs.some((run) => run.epochs.some((e) => Object.keys(e.metrics).some((n) => !known.has(n))))) {
    runs.length = 0;
  }
  if (table.rows.length > 0 && runs.length === 0) {
    onIssue({
      kind: 'unparsed-epoch-line',
      line: table.line,
      message: `an HTML training table of ${table.rows.length} row(s) (${names.slice(0, 4).join(', ')}) gave no record: not read`,
    });
  }
  for (const run of runs) {
    if (stepOnly) {
      // evaluations every N steps: the step is kept, records are counted in order
      run.epochs.forEach((e, i) => {
        e.epoch = i + 1;
        e.epochValue = null;
      });
      run.axis = 'step';
    }
    onRun(run);
    if (columnPhase === hfTableColumnPhase && hidesNonFinite(run)) onIssue(hiddenNonFinite());
  }
  const u = c.unfinished;
  if (u !== null) {
    onIssue({
      kind: 'truncated-epoch',
      line: u.line,
      message: `the training had not finished when the notebook was saved (its progress bar stops at ${u.value}/${u.max}): the table's records end there`,
    });
  }
}
