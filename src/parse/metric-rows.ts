/**
 * Turning logged rows into records, for formats that log training and evaluation values on separate
 * rows (Lightning's CSVLogger, JSON-lines logs, TensorBoard scalars):
 * - with an epoch on every row, the rows of one epoch merge into one record (the last value of each
 *   metric wins; a validation row before or after the training rows of its epoch); rows after the last
 *   epoch with training values that hold only held-out values (`trainer.validate()`/`test()` after
 *   `fit`) are evaluation events, not epochs; when one epoch holds validation rows at several steps
 *   (`val_check_interval`), each validation is a record on the `step` axis instead;
 * - with steps but no epochs, each row holding held-out values is a record on the `step` axis, with the
 *   training values logged since the previous one;
 * - with neither, each row is a record.
 * An epoch (or step) that goes back starts a new run.
 */
import type { Epoch, Event, TimeAxis } from '../model/index.js';
import { isValidationName, nameParts } from '../model/roles.js';

/** One logged row: values by name as printed, and the epoch and step it was logged at. */
export interface MetricRow {
  values: Map<string, number>;
  epoch: number | null;
  step: number | null;
  line: number;
}

/** The records of one run, before the reader adds its source. */
export interface MergedRun {
  epochs: Epoch[];
  events: Event[];
  axis: TimeAxis;
}

/**
 * The lines a run's records span: the first (null when there is none) and the last, at least `atLeast`
 * (the header's line, say).
 */
export function lineSpan(
  records: Iterable<{ line: number }>,
  atLeast: number,
): { first: number | null; last: number } {
  let first: number | null = null;
  let last = atLeast;
  for (const r of records) {
    if (first === null || r.line < first) first = r.line;
    if (r.line > last) last = r.line;
  }
  return { first, last };
}

/** Merges rows into runs; `zeroBased` says whether printed epochs count from 0 (`auto`: from the first). */
export function mergeRows(rows: readonly MetricRow[], zeroBased: boolean | 'auto' = 'auto'): MergedRun[] {
  const runs: MergedRun[] = [];
  for (const part of splitRuns(rows)) {
    if (part.length === 0) continue;
    const merged = part.every((r) => r.epoch !== null)
      ? byEpoch(part, zeroBased)
      : part.some((r) => r.step !== null)
        ? byEvaluation(part, 'step')
        : byPosition(part);
    if (merged.epochs.length > 0 || merged.events.length > 0) runs.push(merged);
  }
  return runs;
}

function splitRuns(rows: readonly MetricRow[]): MetricRow[][] {
  const parts: MetricRow[][] = [];
  let current: MetricRow[] = [];
  let last: MetricRow | null = null;
  for (const row of rows) {
    if (last !== null) {
      const back =
        row.step !== null && last.step !== null
          ? row.step < last.step
          : row.epoch !== null && last.epoch !== null && row.epoch < last.epoch;
      if (back) {
        parts.push(current);
        current = [];
      }
    }
    current.push(row);
    last = row;
  }
  parts.push(current);
  return parts;
}

const heldOut = (row: MetricRow): boolean => [...row.values.keys()].some(isValidationName);
const training = (row: MetricRow): boolean => [...row.values.keys()].some((n) => !isValidationName(n));

function byEpoch(rows: MetricRow[], zeroBased: boolean | 'auto'): MergedRun {
  const groups: MetricRow[][] = [];
  for (const row of rows) {
    const group = groups[groups.length - 1];
    if (group !== undefined && group[0]?.epoch === row.epoch) group.push(row);
    else groups.push([row]);
  }
  // several validations in one epoch: records are the validations (val_check_interval)
  const several = groups.some((g) => new Set(g.filter(heldOut).map((r) => r.step)).size > 1);
  if (several) return byEvaluation(rows, 'step');
  let lastTraining = -1;
  groups.forEach((g, i) => {
    if (g.some(training)) lastTraining = i;
  });
  const first = rows[0]?.epoch ?? 0;
  const offset = zeroBased === true || (zeroBased === 'auto' && first === 0) ? 1 : 0;
  const epochs: Epoch[] = [];
  const events: Event[] = [];
  groups.forEach((g, i) => {
    const printed = g[0]?.epoch ?? 0;
    if (i > lastTraining && lastTraining >= 0) {
      // after fit: `trainer.validate()` / `trainer.test()` rows
      for (const row of g) events.push(evaluationEvent(row, epochs.at(-1)?.epoch ?? null));
      return;
    }
    const values = new Map<string, number>();
    let step: number | null = null;
    let line = g[g.length - 1]?.line ?? 1;
    for (const row of g) {
      for (const [k, v] of row.values) values.set(k, v);
      if (row.step !== null) step = Math.max(step ?? row.step, row.step);
      if (heldOut(row)) line = row.line;
    }
    const whole = Number.isInteger(printed) && printed + offset >= 1;
    epochs.push(
      record(whole ? printed + offset : epochs.length + 1, values, line, {
        step,
        epochValue: !whole || offset !== 0 ? printed : null,
      }),
    );
  });
  return { epochs, events, axis: 'epoch' };
}

/** Records at the rows holding held-out values, with the training values logged since the last one. */
function byEvaluation(rows: MetricRow[], axis: TimeAxis): MergedRun {
  const anyHeldOut = rows.some(heldOut);
  const epochs: Epoch[] = [];
  let train = new Map<string, number>();
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i];
    if (row === undefined) continue;
    if (anyHeldOut && !heldOut(row)) {
      for (const [k, v] of row.values) train.set(k, v);
      continue;
    }
    // rows of one evaluation at the same step (a validation row and a training row) merge
    const values = new Map(train);
    let line = row.line;
    let j = i;
    for (; j < rows.length; j += 1) {
      const r = rows[j];
      if (r === undefined || (j > i && (r.step !== row.step || r.step === null))) break;
      for (const [k, v] of r.values) values.set(k, v);
      if (heldOut(r)) line = r.line;
    }
    i = j - 1;
    train = new Map();
    epochs.push(record(epochs.length + 1, values, line, { step: row.step, epochValue: row.epoch }));
  }
  return { epochs, events: [], axis };
}

function byPosition(rows: MetricRow[]): MergedRun {
  return {
    epochs: rows.map((row, i) => record(i + 1, row.values, row.line, { step: null, epochValue: null })),
    events: [],
    axis: 'epoch',
  };
}

function record(
  epoch: number,
  values: Map<string, number>,
  line: number,
  extra: { step: number | null; epochValue: number | null },
): Epoch {
  return {
    epoch,
    of: null,
    metrics: Object.fromEntries(values),
    steps: null,
    countUnit: null,
    seconds: null,
    stepTime: null,
    step: extra.step,
    epochValue: extra.epochValue,
    line,
  };
}

function evaluationEvent(row: MetricRow, epoch: number | null): Event {
  const names = [...row.values.keys()];
  const test = names.length > 0 && names.every((n) => nameParts(n).phase === 'test');
  return {
    kind: 'evaluation',
    epoch,
    line: row.line,
    phase: test ? 'test' : 'validation',
    metrics: Object.fromEntries(row.values),
  };
}
