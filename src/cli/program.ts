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

/** What the program calls back into. */
export interface ProgramHandlers {
  version: string;
  write(text: string): void;
  writeError(text: string): void;
  parse(files: string[], options: ParseCommandOptions): Promise<number>;
}

const INPUT_FORMAT = new Option('--input-format <format>', 'how to read the input instead of sniffing it')
  .choices(['auto', 'keras', 'csv', 'json', 'ipynb'])
  .default('auto');

/** Builds the program; `result.code` holds the exit code of the command that ran. */
export function buildProgram(handlers: ProgramHandlers): { program: Command; result: { code: number } } {
  const result = { code: 0 };
  const program = new Command('epochlint')
    .description('Lint machine-learning training logs: find unstable validation and say why.')
    .version(handlers.version, '-V, --version')
    .configureOutput({ writeOut: handlers.write, writeErr: handlers.writeError })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('parse')
    .description('print the typed records (epochs, callback events, datasets) read from training logs')
    .argument('[files...]', "log files ('-' or nothing for stdin)")
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['json', 'table', 'csv']).default('json'),
    )
    .addOption(INPUT_FORMAT)
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

  return { program, result };
}
