/**
 * The commander program: commands, options and help. It has no process access; `main.ts` supplies
 * the handlers and the output streams.
 */
import { Command, Option } from 'commander';

/** `epochlint parse` options after parsing. */
export interface ParseCommandOptions {
  format: 'json' | 'table' | 'csv';
  inputFormat: 'auto' | 'keras' | 'csv' | 'json' | 'ipynb';
}

/** `epochlint [files...]` options after parsing (hint values are still strings). */
export interface LintCommandOptions {
  format: 'text' | 'json';
  inputFormat: ParseCommandOptions['inputFormat'];
  color?: boolean;
  valSamples?: string;
  valBatchSize?: string;
  valSteps?: string;
  trainSamples?: string;
  batchSize?: string;
  stepsPerEpoch?: string;
  valClassCounts?: string;
  valShuffle?: string;
  valData?: string;
  kerasVersion?: string;
  workers?: string;
  batchnorm?: string;
}

/** What the program calls back into. */
export interface ProgramHandlers {
  version: string;
  write(text: string): void;
  writeError(text: string): void;
  lint(files: string[], options: LintCommandOptions): Promise<number>;
  parse(files: string[], options: ParseCommandOptions): Promise<number>;
  rules(): number;
  explain(id: string): number;
}

const inputFormatOption = (): Option =>
  new Option('--input-format <format>', 'read the input as this instead of sniffing its content')
    .choices(['auto', 'keras', 'csv', 'json', 'ipynb'])
    .default('auto');

/** The context flags of the diagnosis: facts the log cannot tell. */
const HINT_OPTIONS: Array<[string, string]> = [
  ['--val-samples <n>', 'validation set size (overrides "Found N images" / "validate on N samples")'],
  ['--val-batch-size <n>', 'batch size of the validation generator'],
  ['--val-steps <n>', 'validation_steps passed to fit'],
  ['--train-samples <n>', 'training set size'],
  ['--batch-size <n>', 'training batch size'],
  ['--steps-per-epoch <n>', 'steps_per_epoch passed to fit'],
  ['--val-class-counts <n0,n1,...>', 'validation images per class, in directory (sorted) order'],
  ['--val-shuffle <true|false>', 'whether the validation generator shuffles'],
  ['--val-data <kind>', 'validation data: generator, sequence, dataset or arrays'],
  ['--keras-version <version>', 'Keras / TensorFlow version that wrote the log'],
  ['--workers <n>', 'workers passed to fit'],
  ['--batchnorm <yes|no>', 'whether the model has BatchNormalization layers'],
];

/** Builds the program; `result.code` holds the exit code of the command that ran. */
export function buildProgram(handlers: ProgramHandlers): { program: Command; result: { code: number } } {
  const result = { code: 0 };
  const program = new Command('epochlint')
    .description(
      'Lint machine-learning training logs: find unstable validation behaviour, say how sure it is and why it happens.',
    )
    .version(handlers.version, '-V, --version')
    .configureOutput({ writeOut: handlers.write, writeErr: handlers.writeError })
    .exitOverride()
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .argument('[files...]', "training logs ('-' or nothing for stdin)")
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'json']).default('text'))
    .addOption(inputFormatOption())
    .option('--color', 'force colour')
    .option('--no-color', 'no colour');
  for (const [flags, description] of HINT_OPTIONS) program.option(flags, description);
  program
    .addHelpText(
      'after',
      `
Exit codes: 0 no error finding, 1 error findings, 2 unreadable input or bad usage.

Examples:
  $ epochlint train.log
  $ python train.py 2>&1 | tee train.log | epochlint
  $ epochlint train.log --val-batch-size 16 --val-steps 325
  $ epochlint training_log.csv --format json > report.json
  $ epochlint explain val-alternation`,
    )
    .action(async (files: string[], options: LintCommandOptions) => {
      result.code = await handlers.lint(files, options);
    });

  program
    .command('parse')
    .description('print the typed records (epochs, callback events, datasets) read from training logs')
    .argument('[files...]', "log files ('-' or nothing for stdin)")
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['json', 'table', 'csv']).default('json'),
    )
    .addOption(inputFormatOption())
    .addHelpText(
      'after',
      `
Examples:
  $ epochlint parse train.log
  $ python train.py 2>&1 | epochlint parse --format table
  $ epochlint parse history.json training_log.csv --format csv > epochs.csv`,
    )
    .action(async (files: string[], options: ParseCommandOptions) => {
      result.code = await handlers.parse(files, options);
    });

  program
    .command('rules')
    .description('list the detectors with their default severity')
    .addHelpText('after', '\nExample:\n  $ epochlint rules')
    .action(() => {
      result.code = handlers.rules();
    });

  program
    .command('explain')
    .description("print a detector's documentation: what it tests, why it matters, an example")
    .argument('<id>', 'detector id, e.g. val-alternation')
    .addHelpText('after', '\nExample:\n  $ epochlint explain val-alternation')
    .action((id: string) => {
      result.code = handlers.explain(id);
    });

  return { program, result };
}
