/**
 * The Hugging Face Trainer's `trainer_state.json`: its `log_history` (see `hf-log-history.ts`). Read
 * with the tolerant JSON reader, so line numbers are kept and 64-bit counters (`num_train_epochs:
 * 9223372036854775807`) cannot break it. A JSON file that is not a trainer state is not this format.
 */
import { buildHfRuns, type HfEntry } from './hf-log-history.js';
import { readTolerant, type TolerantNode } from './json-tolerant.js';
import { bufferedDocument } from './buffered.js';
import type { FormatReader, ReaderContext, ReaderEntry, SniffHead } from './types.js';

function sniff(head: SniffHead): number {
  const t = head.text.trimStart();
  return t.startsWith('{') && t.includes('"log_history"') ? 0.98 : 0;
}

function createReader(ctx: ReaderContext): FormatReader {
  return bufferedDocument('hf-trainer-state', (text: string) => {
    const read = readTolerant(text);
    if (!read.ok) return { fatal: `line ${read.line}: trainer_state.json is malformed: ${read.message}` };
    const root = read.value;
    const history =
      root.kind === 'object' ? root.entries.find((e) => e.key === 'log_history')?.value : undefined;
    if (history === undefined || history.kind !== 'array') {
      return { fatal: `line ${root.line}: no log_history list in this trainer state` };
    }
    const entries = history.items.map(entryOf).filter((e): e is HfEntry => e !== null);
    const runs = buildHfRuns(
      entries,
      {
        dialect: 'hf-trainer-state',
        file: ctx.file,
        fromLine: root.line,
        toLine: Math.max(root.line, root.endLine),
      },
      ctx.onIssue,
    );
    for (const run of runs) ctx.onRun(run);
    if (runs.length === 0) {
      ctx.onIssue({
        kind: 'no-epochs',
        line: history.line,
        message: 'log_history holds no training or evaluation entry',
      });
    }
    return { fatal: null };
  });
}

/** The numeric members of one `log_history` item. */
function entryOf(node: TolerantNode): HfEntry | null {
  if (node.kind !== 'object') return null;
  const values = new Map<string, number>();
  for (const e of node.entries) if (e.value.kind === 'number') values.set(e.key, e.value.value);
  return { values, line: node.line };
}

export const hfTrainerStateReader: ReaderEntry = {
  dialect: 'hf-trainer-state',
  aliases: ['trainer-state'],
  binary: false,
  fileHint: /trainer_state\.json$/i,
  sniff,
  create: createReader,
};
