/**
 * JSON-lines logs: one dict of values per line (`{"epoch": 1, "loss": 0.5, "val_loss": 0.6}`), JSON or
 * Python-repr spelling, streamed as they are written. `epoch` (`Epoch`, `ep`) and `step` (`global_step`,
 * `iteration`, `iter`) keys place a line; training and validation values logged on separate lines
 * merge as in Lightning's CSV (`metric-rows.ts`). A line that is not a dict is reported and skipped.
 */
import type { Run } from '../model/index.js';
import { readTolerant, reportDuplicateKeys } from './json-tolerant.js';
import { mergeRows, type MetricRow } from './metric-rows.js';
import type { TerminalLine } from './terminal.js';
import type { FormatReader, ReaderContext, ReaderEntry, SniffHead } from './types.js';

const EPOCH_KEYS = new Set(['epoch', 'Epoch', 'ep', 'epochs']);
const STEP_KEYS = new Set([
  'step',
  'global_step',
  'Step',
  'iteration',
  'iter',
  'it',
  'trainer/global_step',
  '_step',
]);

function sniff(head: SniffHead): number {
  let dicts = 0;
  for (const line of head.lines) {
    const t = line.trim();
    if (t.length === 0) continue;
    if (!(t.startsWith('{') && t.endsWith('}'))) return 0;
    dicts += 1;
  }
  return dicts >= 2 ? 0.85 : 0;
}

function createReader(ctx: ReaderContext): FormatReader {
  const rows: MetricRow[] = [];
  let reported = false;
  return {
    kind: 'lines',
    line(tl: TerminalLine) {
      const text = tl.text.trim();
      if (text.length === 0) return;
      const read = readTolerant(text);
      if (!read.ok || read.value.kind !== 'object') {
        if (!reported || tl.terminated) {
          ctx.onIssue({
            kind: tl.terminated ? 'malformed-input' : 'truncated-epoch',
            line: tl.line,
            message: tl.terminated
              ? 'a line that is not a dict of values: skipped'
              : 'the log ends inside a line: not read',
          });
          reported = true;
        }
        return;
      }
      const values = new Map<string, number>();
      let epoch: number | null = null;
      let step: number | null = null;
      reportDuplicateKeys(read.value.entries, tl.line, 'line', ctx.onIssue);
      for (const e of read.value.entries) {
        if (e.value.kind !== 'number') continue;
        if (EPOCH_KEYS.has(e.key)) epoch = e.value.value;
        else if (STEP_KEYS.has(e.key)) step = e.value.value;
        else {
          const name = ctx.limits.name(e.key, tl.line);
          if (name !== null) values.set(name, e.value.value);
        }
      }
      if (values.size > 0 && ctx.limits.keep(values.size)) rows.push({ values, epoch, step, line: tl.line });
    },
    end() {
      mergeRows(rows).forEach((m, index) => {
        let fromLine = Number.POSITIVE_INFINITY;
        let toLine = 1;
        for (const record of [...m.epochs, ...m.events]) {
          fromLine = Math.min(fromLine, record.line);
          toLine = Math.max(toLine, record.line);
        }
        const run: Run = {
          index,
          epochs: m.epochs,
          events: m.events,
          datasets: [],
          axis: m.axis,
          source: {
            dialect: 'json-lines',
            file: ctx.file,
            fromLine: Number.isFinite(fromLine) ? fromLine : 1,
            toLine,
          },
        };
        if (run.epochs.length > 0) ctx.onRun(run);
      });
      return { fatal: null };
    },
  };
}

export const jsonLinesReader: ReaderEntry = {
  dialect: 'json-lines',
  aliases: ['jsonl'],
  binary: false,
  fileHint: /\.jsonl$/i,
  sniff,
  create: createReader,
};
