/**
 * The limits of one input ({@link PARSE_LIMITS}), enforced while it is read, so memory follows what is
 * reported and never the size of the input:
 * - records and values kept are counted as readers keep them; past the cap the input fails with one line
 *   (a partial set of records must never read as the whole log);
 * - metric names are interned: one detached copy per name, so a record never keeps alive the line it was
 *   read from (a sliced string holds its whole parent, and a 200 MB one-line paste is one parent);
 *   names longer than the cap are left out and reported;
 * - issues are bounded in size (text quoted from the input is shortened), escaped (no raw control
 *   character) and bounded in number per kind (the rest are counted in one last issue).
 */
import { PARSE_LIMITS, type ParseIssue } from '../model/index.js';
import { escapeControl, shorten } from '../report/escape.js';

/**
 * A count with its thousands grouped by commas (5,000,000), as `toLocaleString('en-US')` writes it but
 * without an ICU number format (~15 ms to build on first use, paid by every JSON input's reader).
 */
export function thousands(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** What readers share for one input: the record budget and the name table. */
export interface InputLimits {
  /**
   * Counts one kept record holding `values` values. False once the input is over a cap: the parser has
   * then failed, and the reader may stop keeping anything.
   */
  keep(values: number): boolean;
  /** Counts values added to a record already kept (rows merged into one record). */
  addValues(values: number): boolean;
  /** The one-line reason the input is over a cap, or null. */
  exceeded(): string | null;
  /**
   * The name to store a metric under: one shared, detached copy per distinct name; null for a name
   * longer than the cap (reported as `over-limit` at `line`).
   */
  name(raw: string, line: number | null): string | null;
  /** Reports that a record at `line` had `dropped` values beyond the per-record cap. */
  tooManyValues(line: number | null, dropped: number): void;
}

/** Options of {@link createInputLimits}. */
export interface InputLimitOptions {
  onIssue: (issue: ParseIssue) => void;
  /** Called once, when a cap on records or values is first exceeded. */
  onExceeded(reason: string): void;
}

/** Strings this short are copied by `slice` anyway (V8 makes sliced strings of 13 characters and more). */
const SLICE_MIN = 13;

/**
 * A copy of `text` that does not share memory with the string it was cut from: flattening a
 * concatenation allocates a new string, and the slice of it holds only that.
 */
export function detach(text: string): string {
  return text.length < SLICE_MIN ? text : (' ' + text).slice(1);
}

/** Creates the limits of one input. */
export function createInputLimits(options: InputLimitOptions): InputLimits {
  let records = 0;
  let values = 0;
  let reason: string | null = null;
  const names = new Map<string, string>();
  const fail = (why: string): false => {
    if (reason === null) {
      reason = why;
      options.onExceeded(why);
    }
    return false;
  };
  const checkValues = (): boolean =>
    values > PARSE_LIMITS.values
      ? fail(
          `more than ${thousands(PARSE_LIMITS.values)} metric values in one input (epochlint's limit, which keeps memory bounded): not read; split the log`,
        )
      : true;
  return {
    keep(count: number): boolean {
      if (reason !== null) return false;
      records += 1;
      values += count;
      if (records > PARSE_LIMITS.records) {
        return fail(
          `more than ${thousands(PARSE_LIMITS.records)} records in one input (epochlint's limit, which keeps memory bounded): not read; split the log`,
        );
      }
      return checkValues();
    },
    addValues(count: number): boolean {
      if (reason !== null) return false;
      values += count;
      return checkValues();
    },
    exceeded: () => reason,
    name(raw: string, line: number | null): string | null {
      const known = names.get(raw);
      if (known !== undefined) return known;
      if (raw.length > PARSE_LIMITS.nameChars) {
        options.onIssue({
          kind: 'over-limit',
          line,
          message: `a metric name of ${raw.length} characters (longer than ${PARSE_LIMITS.nameChars}), ${JSON.stringify(shorten(raw, 60))}: its values are left out`,
        });
        return null;
      }
      const copy = detach(raw);
      names.set(copy, copy);
      return copy;
    },
    tooManyValues(line: number | null, dropped: number): void {
      options.onIssue({
        kind: 'over-limit',
        line,
        message: `a record with more than ${PARSE_LIMITS.valuesPerRecord} values: the last ${dropped} are left out`,
      });
    },
  };
}

/**
 * An issue sink that keeps messages bounded and lists at most {@link PARSE_LIMITS.issuesPerKind} issues of
 * each kind; `finish` reports how many more of each kind there were.
 */
export function boundedIssues(sink: (issue: ParseIssue) => void): {
  onIssue: (issue: ParseIssue) => void;
  finish: () => void;
} {
  const counts = new Map<ParseIssue['kind'], number>();
  return {
    onIssue: (issue: ParseIssue): void => {
      const seen = (counts.get(issue.kind) ?? 0) + 1;
      counts.set(issue.kind, seen);
      if (seen > PARSE_LIMITS.issuesPerKind) return;
      // text quoted from the input (a value, a name, a character a syntax error found) is escaped here,
      // once for every reader: no control, bidi or invisible character reaches a message raw
      const message = escapeControl(
        issue.message.length > PARSE_LIMITS.messageChars
          ? shorten(issue.message, PARSE_LIMITS.messageChars)
          : issue.message,
      );
      // a message built from pieces of a line would keep the whole line alive: flattened into its own copy
      sink({ ...issue, message: detach(message) });
    },
    finish(): void {
      for (const [kind, seen] of counts) {
        if (seen <= PARSE_LIMITS.issuesPerKind) continue;
        sink({
          kind,
          line: null,
          message: `${seen - PARSE_LIMITS.issuesPerKind} more ${kind} issue(s) like the ones above are not listed`,
        });
      }
    },
  };
}

/** Shared step counters: most epochs of a run print the same `N/N`, and one object serves them all. */
const STEPS = new Map<string, { done: number; total: number }>();

/**
 * The `steps` of a record, shared between records that print the same counter (records are read-only
 * data; sharing saves about a sixth of a kept epoch). The cache is bounded.
 */
export function stepsOf(done: number, total: number): { done: number; total: number } {
  const key = `${done}/${total}`;
  let steps = STEPS.get(key);
  if (steps === undefined) {
    steps = { done, total };
    if (STEPS.size < 4096) STEPS.set(key, steps);
  }
  return steps;
}
