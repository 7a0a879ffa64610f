/**
 * The Hugging Face Trainer's `trainer_state.json`: its `log_history` (see `hf-log-history.ts`). Read
 * with the tolerant JSON reader, so line numbers are kept and 64-bit counters (`num_train_epochs:
 * 9223372036854775807`) cannot break it. A JSON file that is not a trainer state is not this format.
 */
import { buildHfRuns, type HfEntry } from './hf-log-history.js';
import type { TolerantNode } from './json-tolerant.js';
import { jsonDocumentReader } from './json-document.js';
import type { FormatReader, ReaderContext, ReaderEntry, SniffHead } from './types.js';

function sniff(head: SniffHead): number {
  const t = head.text.trimStart();
  return t.startsWith('{') && t.includes('"log_history"') ? 0.98 : 0;
}

function createReader(ctx: ReaderContext): FormatReader {
  return jsonDocumentReader(false, (read) => {
    if (!read.ok) return { fatal: `line ${read.line}: trainer_state.json is malformed: ${read.message}` };
    const root = read.value[0];
    if (root === undefined) return { fatal: 'trainer_state.json is empty' };
    const history =
      root.kind === 'object' ? root.entries.find((e) => e.key === 'log_history')?.value : undefined;
    if (history === undefined || history.kind !== 'array') {
      return { fatal: `line ${root.line}: no log_history list in this trainer state` };
    }
    const entries: HfEntry[] = [];
    for (const item of history.items) {
      const entry = entryOf(item, ctx);
      if (entry === null) continue;
      if (!ctx.limits.keep(entry.values.size)) return { fatal: null };
      entries.push(entry);
    }
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
function entryOf(node: TolerantNode, ctx: ReaderContext): HfEntry | null {
  if (node.kind !== 'object') return null;
  const values = new Map<string, number>();
  for (const e of node.entries) {
    if (e.value.kind !== 'number') continue;
    const name = ctx.limits.name(e.key, e.line);
    if (name !== null) values.set(name, e.value.value);
  }
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
