/**
 * The commander program: commands, options and help. It has no process access; `main.ts` supplies
 * the handlers and the output streams.
 */
import { Argument, Command, Option } from 'commander';
import { INPUT_FORMATS } from '../parse/readers.js';
import { escapeControl } from '../report/escape.js';
import { FORMATS } from '../report/formats.js';

/** `epochlint parse` options after parsing. */
export interface ParseCommandOptions {
  format: 'json' | 'table' | 'csv';
  /** `auto`, a dialect of the readers table or one of its aliases (`--input-format`). */
  inputFormat: string;
  /** `--metric`: names a bare list's series, and keeps only these metrics. */
  metric: string[];
  /** `--ignore-metric`: metrics left out. */
  ignoreMetric: string[];
}

/** `epochlint [files...]` options after parsing (hint values are still strings). */
export interface LintCommandOptions {
  /** Unset when the flag was not given (the config may choose). */
  format?: string;
  /** Unset when the flag was not given (the config may choose; else `auto`). */
  inputFormat?: string;
  /** `--metric` (repeatable): lint only these metrics; also names a bare list's series. */
  metric: string[];
  /** `--ignore-metric` (repeatable): metrics no rule looks at. */
  ignoreMetric: string[];
  color?: boolean;
  outputFile?: string;
  failOn?: string;
  maxWarnings?: string;
  quiet?: boolean;
  verbose?: boolean;
  /** False for `--no-chart`. */
  chart?: boolean;
  stdinFilename?: string;
  follow?: boolean;
  tee?: boolean;
  failFast?: boolean;
  /** `--jobs <n>`: files linted at once (a whole number >= 1; checked by the lint). */
  jobs?: string;
  /** `--shard <i/n>`: lint only part i of n of the files. */
  shard?: string;
  /** A path, or false for `--no-config`. */
  config?: string | false;
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
  /** The training script (or notebook) whose code the diagnosis reads. */
  script?: string;
}

/** What the program calls back into. */
export interface ProgramHandlers {
  version: string;
  write(text: string): void;
  writeError(text: string): void;
  lint(files: string[], options: LintCommandOptions): Promise<number>;
  parse(files: string[], options: ParseCommandOptions): Promise<number>;
  rules(): Promise<number>;
  explain(id: string): Promise<number>;
  schema(which: 'lint' | 'records'): Promise<number>;
}

/** The input formats come from the readers table: every dialect, its aliases, and `auto`. */
const inputFormatOption = (withDefault: boolean): Option => {
  const option = new Option(
    '--input-format <format>',
    'read the input as this format instead of sniffing its content',
  ).choices([...INPUT_FORMATS]);
  return withDefault ? option.default('auto') : option;
};

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `--metric` and `--ignore-metric`, repeatable, on lint and parse. */
function addMetricOptions(command: Command, lint: boolean): Command {
  return command
    .option(
      '--metric <name>',
      lint
        ? 'lint only this metric (repeatable); also names a bare list of values (default val_value)'
        : 'keep only this metric (repeatable); also names a bare list of values (default val_value)',
      collect,
      [],
    )
    .option('--ignore-metric <name>', 'leave this metric out (repeatable)', collect, []);
}

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
  ['--script <file>', 'the training script (.py or .ipynb) to read layers, generators and callbacks from'],
];

/**
 * One line from commander's error text: `error: ` dropped, its lines (the message, a "Did you mean")
 * joined with `; `, and everything escaped (argv may hold control characters).
 */
export function usageLine(text: string): string {
  return text
    .replace(/^error: /, '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map(escapeControl)
    .join('; ');
}

/** Command names of the program (an unknown file argument that resembles one gets a suggestion). */
export const COMMANDS = ['parse', 'rules', 'explain', 'schema'] as const;

/** Builds the program; `result.code` holds the exit code of the command that ran. */
export function buildProgram(handlers: ProgramHandlers): { program: Command; result: { code: number } } {
  const result = { code: 0 };
  const program = new Command('epochlint')
    .description(
      'Lint machine-learning training logs: find unstable validation behaviour, say how sure it is and why it happens.',
    )
    .version(handlers.version, '-V, --version')
    .configureOutput({
      writeOut: (text) => handlers.write(text),
      writeErr: (text) => handlers.writeError(text),
      // usage errors as one line in epochlint's own style, with argv text escaped (it may hold anything);
      // commander puts its "Did you mean" on a line of its own: joined, never shown as a literal \n
      outputError: (text, write) => write(`epochlint: ${usageLine(text)} (see --help)\n`),
    })
    .exitOverride()
    .enablePositionalOptions()
    .argument('[files...]', "training logs ('-' or nothing for stdin)")
    .addOption(new Option('-f, --format <format>', 'report format (default: text)').choices([...FORMATS]))
    .option('-o, --output-file <path>', 'write the report to a file instead of stdout')
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a finding at or above this severity exists (default: error)',
      ).choices(['error', 'warning', 'info', 'never']),
    )
    .option('--max-warnings <n>', 'also exit 1 when there are more than n warnings')
    .option('-q, --quiet', 'only the runs table and the errors')
    .option('-v, --verbose', 'every statistic, every cause in full, every parse issue')
    .option('--no-chart', 'no chart of the curves in the text report')
    .option('--stdin-filename <name>', 'the name piped input is reported under (instead of "-")')
    .option('--follow', 'keep reading a growing file (like tail -f) or a stream; status per epoch on stderr')
    .option('--tee', 'pass the log through to stdout unchanged (the report goes to stderr or --output-file)')
    .option(
      '--fail-fast',
      'stop and exit 1 as soon as an error finding is established (with --follow or stdin)',
    )
    .option(
      '-j, --jobs <n>',
      'lint up to n files at once, on worker threads (default: the cores, for a sweep large enough)',
    )
    .option('--shard <i/n>', 'lint only part i of n of the files (one job of a CI matrix each)')
    .option('-c, --config <path>', 'use this config file instead of searching for one')
    .option('--no-config', 'use no config file')
    .addOption(inputFormatOption(false))
    .option('--color', 'force colour')
    .option('--no-color', 'no colour');
  addMetricOptions(program, true);
  for (const [flags, description] of HINT_OPTIONS) program.option(flags, description);
  program
    .addHelpText(
      'after',
      `
Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it (or too many warnings),
2 unreadable input, invalid config or bad usage.

Config: epochlint.config.json, .epochlintrc.json or an "epochlint" key in package.json, searched
upward from the working directory (see the README).

Examples:
  $ epochlint train.log
  $ python train.py 2>&1 | tee train.log | epochlint
  $ python train.py 2>&1 | epochlint --follow --tee --fail-fast
  $ epochlint --follow train.log
  $ epochlint 'sweep/**/*.log' --format github
  $ epochlint runs/ --format junit --output-file epochlint.xml
  $ epochlint sweep/ --jobs 4 --format jsonl > results.jsonl
  $ epochlint sweep/ --shard 2/4 --format sarif --output-file epochlint-2.sarif
  $ epochlint train.log --format html --output-file epochlint.html
  $ python train.py 2>&1 | epochlint --stdin-filename train.log --format github
  $ epochlint train.log --val-batch-size 16 --val-steps 325
  $ epochlint training_log.csv --format json > report.json
  $ epochlint explain val-alternation`,
    )
    .action(async (files: string[], options: LintCommandOptions) => {
      result.code = await handlers.lint(files, options);
    });

  const parse = program
    .command('parse')
    .description('print the typed records (epochs, callback events, datasets) read from training logs')
    .argument('[files...]', "log files ('-' or nothing for stdin)")
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['json', 'table', 'csv']).default('json'),
    )
    .addOption(inputFormatOption(true));
  addMetricOptions(parse, false)
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
    .description('list the detectors with their default severity, and the causes the diagnosis weighs')
    .addHelpText('after', '\nExample:\n  $ epochlint rules')
    .action(async () => {
      result.code = await handlers.rules();
    });

  program
    .command('explain')
    .description("print a detector's or a cause's documentation: why it matters, what it tests, an example")
    .argument('<id>', 'detector id (see: epochlint rules) or cause id, e.g. val-alternation')
    .addHelpText(
      'after',
      '\nExamples:\n  $ epochlint explain val-alternation\n  $ epochlint explain validation-slice-rotation',
    )
    .action(async (id: string) => {
      result.code = await handlers.explain(id);
    });

  program
    .command('schema')
    .description('print the JSON Schema of the JSON output of lint (default) or parse')
    .addArgument(new Argument('[which]', 'lint or records').choices(['lint', 'records']).default('lint'))
    .addHelpText(
      'after',
      '\nExamples:\n  $ epochlint schema > epochlint-report.schema.json\n  $ epochlint schema records',
    )
    .action(async (which: 'lint' | 'records') => {
      result.code = await handlers.schema(which);
    });

  return { program, result };
}
