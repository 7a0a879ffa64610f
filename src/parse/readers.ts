/**
 * The readers table: one entry per input format. Adding a format is its reader file (sniff + reader)
 * and one entry here; `Dialect` (the model's zod enum) names it, the `satisfies` below makes the
 * compiler check that every dialect has exactly one reader, and the CLI's `--input-format`, the config's
 * `inputFormat` and the JSON Schemas derive from this table and that enum.
 *
 * Order breaks ties between equal sniff scores: more specific formats first.
 */
import type { Dialect } from '../model/index.js';
import { bareListReader } from './bare-list.js';
import { boostingRoundsReader } from './boosting-rounds.js';
import { csvLoggerReader } from './csv-logger.js';
import { epochLinesReader } from './epoch-lines.js';
import { fastaiCsvReader } from './fastai-csv.js';
import { fastaiTableReader } from './fastai-table.js';
import { hfModelCardReader } from './hf-model-card.js';
import { hfTrainerLogReader } from './hf-trainer-log.js';
import { hfTrainerStateReader } from './hf-trainer-state.js';
import { historyJsonReader } from './history-json.js';
import { jsonLinesReader } from './json-lines.js';
import { kerasTextReader } from './keras-text.js';
import { lightningConsoleReader } from './lightning-console.js';
import { lightningCsvReader } from './lightning-csv.js';
import { mlflowMetricReader } from './mlflow-metric.js';
import { notebookReader, registerNotebookReaders } from './notebook.js';
import { tensorboardCsvReader } from './tensorboard-csv.js';
import { tfeventsReader } from './tfevents.js';
import { timmCsvReader } from './timm-csv.js';
import { wandbCsvReader } from './wandb-csv.js';
import { yoloConsoleReader } from './yolo-console.js';
import { yoloCsvReader } from './yolo-csv.js';
import type { ReaderEntry } from './types.js';

const BY_DIALECT = {
  notebook: notebookReader,
  'hf-trainer-state': hfTrainerStateReader,
  tfevents: tfeventsReader,
  'keras-text': kerasTextReader,
  'hf-trainer-log': hfTrainerLogReader,
  'hf-model-card': hfModelCardReader,
  'yolo-console': yoloConsoleReader,
  'lightning-console': lightningConsoleReader,
  'fastai-table': fastaiTableReader,
  'boosting-rounds': boostingRoundsReader,
  'tensorboard-csv': tensorboardCsvReader,
  'wandb-csv': wandbCsvReader,
  'mlflow-metric': mlflowMetricReader,
  'fastai-csv': fastaiCsvReader,
  'yolo-csv': yoloCsvReader,
  'lightning-csv': lightningCsvReader,
  'timm-csv': timmCsvReader,
  'csv-logger': csvLoggerReader,
  'json-lines': jsonLinesReader,
  'bare-list': bareListReader,
  'epoch-lines': epochLinesReader,
  'history-json': historyJsonReader,
} satisfies Record<Dialect, ReaderEntry>;

/** Every reader, most specific first. */
export const READERS: readonly ReaderEntry[] = Object.values(BY_DIALECT);
registerNotebookReaders(READERS);

/** The reader of a dialect. */
export function readerFor(dialect: Dialect): ReaderEntry {
  return BY_DIALECT[dialect];
}

/** `--input-format` values: `auto`, every dialect, and the older or shorter names of some. */
export const INPUT_FORMATS: readonly string[] = [
  'auto',
  ...READERS.map((r) => r.dialect),
  ...READERS.flatMap((r) => r.aliases),
];

/** The reader an `--input-format` value names; null for `auto` (sniff) or an unknown name. */
export function readerForInputFormat(name: string): ReaderEntry | null {
  return READERS.find((r) => r.dialect === name || r.aliases.includes(name)) ?? null;
}
