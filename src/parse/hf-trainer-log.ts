/**
 * The Hugging Face Trainer's console output: the dicts it prints as it logs (`{'loss': 0.5,
 * 'learning_rate': 5e-05, 'epoch': 1.0}`, `{'eval_loss': 0.3, 'eval_accuracy': 0.95, 'epoch': 1.0}`,
 * the final `{'train_runtime': ...}`), between tqdm bars and banners, in Python-repr or JSON spelling,
 * even glued after a bar frame on the same line. Streamed line by line; the entries are merged as in
 * `trainer_state.json` (see `hf-log-history.ts`).
 */
import { buildHfRuns, isHfEntry, type HfEntry } from './hf-log-history.js';
import { readTolerant, reportDuplicateKeys } from './json-tolerant.js';
import type { TerminalLine } from './terminal.js';
import type { FormatReader, ReaderContext, ReaderEntry, SniffHead } from './types.js';

/** A Trainer dict: a logged key with a scalar value (`'loss': 0.5`), not a history's list (`'loss': [`). */
const TRAINER_DICT = /['"](?:loss|eval_\w+|train_runtime|learning_rate|grad_norm)['"]\s*:\s*[-\d.na]/;

function sniff(head: SniffHead): number {
  let dicts = 0;
  for (const line of head.lines) {
    if (line.includes('{') && TRAINER_DICT.test(line) && /['"]epoch['"]\s*:/.test(line)) dicts += 1;
  }
  if (dicts > 0) return 0.96;
  return head.lines.some((l) => l.includes('***** Running training *****')) ? 0.7 : 0;
}

function createReader(ctx: ReaderContext): FormatReader {
  const entries: HfEntry[] = [];
  let first: number | null = null;
  let last = 1;
  return {
    kind: 'lines',
    line(tl: TerminalLine) {
      const text = tl.text;
      const open = text.indexOf('{');
      if (open < 0) return;
      const close = text.lastIndexOf('}');
      if (close <= open) return;
      const read = readTolerant(text.slice(open, close + 1));
      if (!read.ok || read.value.kind !== 'object') return;
      const values = new Map<string, number>();
      reportDuplicateKeys(read.value.entries, tl.line, 'record', ctx.onIssue);
      for (const e of read.value.entries) {
        if (e.value.kind !== 'number') continue;
        const name = ctx.limits.name(e.key, tl.line);
        if (name !== null) values.set(name, e.value.value);
      }
      const entry: HfEntry = { values, line: tl.line };
      if (!isHfEntry(entry) || !ctx.limits.keep(values.size)) return;
      entries.push(entry);
      first ??= tl.line;
      last = tl.line;
    },
    end() {
      const runs = buildHfRuns(
        entries,
        { dialect: 'hf-trainer-log', file: ctx.file, fromLine: first ?? 1, toLine: last },
        ctx.onIssue,
      );
      for (const run of runs) ctx.onRun(run);
      return { fatal: null };
    },
  };
}

export const hfTrainerLogReader: ReaderEntry = {
  dialect: 'hf-trainer-log',
  aliases: ['hf', 'transformers'],
  binary: false,
  fileHint: null,
  sniff,
  create: createReader,
};
