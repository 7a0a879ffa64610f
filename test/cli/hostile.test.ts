/**
 * Regression tests for the hostile-input probe (CLI and file-system half): each case is a probe
 * reproduction at a size that runs fast, asserting the exit code, the one-line error and that no raw
 * control character reaches any output.
 */
import { execFileSync } from 'node:child_process';
import {
  constants,
  copyFileSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, Socket } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Dirent } from 'node:fs';
import { Chalk } from 'chalk';
import { readInput } from '../../src/cli/input.js';
import { expandInputs } from '../../src/cli/inputs.js';
import { DETECTORS } from '../../src/detect/index.js';
import type { Report } from '../../src/model/index.js';
import { renderText } from '../../src/report/text.js';
import { afterAll, describe, expect, test } from 'vitest';
import { FORMATS } from '../../src/report/index.js';
import { hasRawUnsafe, runMain, scratch } from './hostile-helpers.js';
import { ROOT, runCli } from './run-cli.js';

const seed = join(ROOT, 'fixtures/real/crossvalidated-416172.txt');
const work = scratch('hostile');
afterAll(() => work.remove());

describe('text from the input never reaches an output raw', () => {
  const unsafe = [
    { name: 'C1 CSI', char: '\u009b' },
    { name: 'bidi override', char: '\u202e' },
    { name: 'zero-width space', char: '\u200b' },
    { name: 'Arabic letter mark', char: '\u061c' },
    { name: 'OSC 52', char: '\u001b]52;c;aGk=\u0007' },
  ];

  test.each(unsafe)('a parse error quoting $name is escaped on stderr', async ({ char }) => {
    const file = join(work.dir, `syntax-${char.codePointAt(0)}.json`);
    writeFileSync(file, `{"${char}loss${char}" 5}`);
    const { code, stdout, stderr } = await runCli([file]);
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^epochlint: .*syntax-\d+\.json: /);
    expect(hasRawUnsafe(stderr)).toBe(false);
    expect(hasRawUnsafe(stdout)).toBe(false);
  });

  const named = unsafe.map((u) => ({ ...u, dir: join(work.dir, `named-${u.char.codePointAt(0)}`) }));
  for (const { dir, char } of named) {
    mkdirSync(dir, { recursive: true });
    copyFileSync(seed, join(dir, `run${char}x.log`));
  }
  test.each(named.flatMap((n) => FORMATS.map((format) => ({ ...n, format }))))(
    'a file name with $name, --format $format',
    async ({ dir, format }) => {
      const { code, stdout, stderr } = await runCli([dir, '--format', format]);
      expect(code).toBe(1);
      expect(hasRawUnsafe(stdout)).toBe(false);
      expect(hasRawUnsafe(stderr)).toBe(false);
      // SARIF writes file names as URIs (percent-encoded); every other format shows the escape
      expect(stdout).toContain(format === 'sarif' ? 'run%' : 'run\\');
    },
  );

  test('a file name with a line break and C1 in an error message is one escaped line', async () => {
    const { code, stderr } = await runCli([join(work.dir, 'missing\n\u009b.log')]);
    expect(code).toBe(2);
    expect(stderr).toBe(`epochlint: ${join(work.dir, 'missing')}\\n\\x9b.log: no such file\n`);
  });

  test('a huge argument is quoted in a bounded line', async () => {
    const { code, stderr } = await runCli([join(work.dir, `${'x'.repeat(100_000)}.log`)]);
    expect(code).toBe(2);
    expect(stderr.length).toBeLessThan(1300);
    expect(stderr).toMatch(/characters\)…x+\.log: file name too long\n$/);
  });

  test('a huge usage error is bounded too', async () => {
    const { code, stderr } = await runCli(['--format', `\u009b${'y'.repeat(100_000)}`, seed]);
    expect(code).toBe(2);
    expect(stderr.length).toBeLessThan(1300);
    expect(hasRawUnsafe(stderr)).toBe(false);
  });
});

describe('numbers in flags are decimal whole numbers', () => {
  test.each([
    { args: ['--val-samples', '0x10'], message: '--val-samples: expected a positive integer' },
    { args: ['--val-samples', '1e3'], message: '--val-samples: expected a positive integer' },
    { args: ['--val-batch-size', '1_000'], message: '--val-batch-size: expected a positive integer' },
    { args: ['--val-steps', '16.0'], message: '--val-steps: expected a positive integer' },
    { args: ['--workers', '+4'], message: '--workers: expected a positive integer' },
    { args: ['--val-steps', '99999999999999999999'], message: '--val-steps: expected a positive integer' },
    { args: ['--max-warnings', '0x1'], message: '--max-warnings: expected a whole number >= 0' },
    { args: ['--max-warnings', '-1'], message: '--max-warnings: expected a whole number >= 0' },
    { args: ['--val-class-counts', '5200,0x10'], message: '--val-class-counts: expected comma-separated' },
  ])('$args', async ({ args, message }) => {
    const { code, stdout, stderr } = await runCli([seed, ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`epochlint: ${message}`);
  });

  test.each([
    { args: ['--val-samples', '10401'] },
    { args: ['--val-class-counts', '5200, 5201'] },
    { args: ['--max-warnings', ' 3 '] },
  ])('accepted: $args', async ({ args }) => {
    expect((await runCli([seed, ...args])).code).toBe(1);
  });
});

describe('-o never destroys an input and never blocks', () => {
  const logText = readFileSync(seed);
  const fresh = (name: string): string => {
    const file = join(work.dir, name);
    writeFileSync(file, logText);
    return file;
  };

  test.each([
    {
      name: 'the input itself (probe: the log was overwritten)',
      make: () => ({ input: fresh('same.log'), output: join(work.dir, 'same.log') }),
    },
    {
      name: 'a symbolic link to the input',
      make: () => {
        const input = fresh('target.log');
        symlinkSync(input, join(work.dir, 'alias.log'));
        return { input, output: join(work.dir, 'alias.log') };
      },
    },
    {
      name: 'a hard link to the input',
      make: () => {
        const input = fresh('hard.log');
        linkSync(input, join(work.dir, 'hard-twin.log'));
        return { input, output: join(work.dir, 'hard-twin.log') };
      },
    },
    {
      name: 'the same file by another path',
      make: () => ({
        input: fresh('other-path.log'),
        output: join(work.dir, '.', 'x', '..', 'other-path.log'),
      }),
    },
  ])('refused: $name', async ({ make }) => {
    mkdirSync(join(work.dir, 'x'), { recursive: true });
    const { input, output } = make();
    const { code, stdout, stderr } = await runCli([input, '-o', output]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`epochlint: ${output}: is also an input: refusing to overwrite it with the report\n`);
    expect(readFileSync(input)).toEqual(logText);
  });

  test('refused: a followed file that does not exist yet', async () => {
    const path = join(work.dir, 'not-yet.log');
    const { code, stderr } = await runCli(['--follow', path, '-o', path]);
    expect(code).toBe(2);
    expect(stderr).toBe(`epochlint: ${path}: is also an input: refusing to overwrite it with the report\n`);
  });

  test('refused: a file found in an input folder', async () => {
    const dir = join(work.dir, 'sweep-o');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'train.log'), logText);
    const { code } = await runCli([dir, '-o', join(dir, 'train.log')]);
    expect(code).toBe(2);
    expect(readFileSync(join(dir, 'train.log'))).toEqual(logText);
  });

  test('refused: stdin redirected from the output file (epochlint -o t.log < t.log)', async () => {
    const file = fresh('stdin.log');
    const info = statSync(file);
    const result = await runMain(['-o', file], {
      cwd: work.dir,
      stdin: Readable.from([logText]),
      stdinIdentity: `${info.dev}:${info.ino}`,
    });
    expect(result.code).toBe(2);
    expect(readFileSync(file)).toEqual(logText);
  });

  test.each([
    {
      name: "an empty name (probe: ': no such directory')",
      output: () => '',
      message: '--output-file: needs a file name',
    },
    {
      name: 'a directory (probe: cannot write)',
      output: () => work.dir,
      message: `${work.dir}: is a directory`,
    },
    {
      name: 'a missing folder',
      output: () => join(work.dir, 'no/such/r.txt'),
      message: `${join(work.dir, 'no/such/r.txt')}: no such directory`,
    },
    {
      name: 'a file as a folder',
      output: () => `${seed}/r.txt`,
      message: `${seed}/r.txt: a part of the path is not a directory`,
    },
    { name: '/dev/full', output: () => '/dev/full', message: '/dev/full: no space left on the device' },
    {
      name: 'a folder where no file can be made',
      output: () => '/proc/x.txt',
      message: '/proc/x.txt: no file can be created there',
    },
    {
      name: 'a named pipe nobody reads (probe: hang)',
      output: () => {
        const fifo = join(work.dir, 'out.fifo');
        execFileSync('mkfifo', [fifo]);
        return fifo;
      },
      message: `${join(work.dir, 'out.fifo')}: no process is reading this named pipe (or it is a socket)`,
    },
  ])('one line: $name', async ({ output, message }) => {
    const { code, stdout, stderr } = await runCli([seed, '-o', output()]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`epochlint: ${message}\n`);
  });

  test('a report replaces an earlier report, and /dev/null takes it', async () => {
    const out = join(work.dir, 'report.json');
    writeFileSync(out, 'x'.repeat(100_000));
    expect((await runCli([seed, '-f', 'json', '-o', out])).code).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ schemaVersion: 1 });
    expect((await runCli([seed, '-o', '/dev/null'])).code).toBe(1);
  });

  test('a named pipe with a reader gets the report', async () => {
    const fifo = join(work.dir, 'read.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = new Socket({
      fd: openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK),
      writable: false,
    });
    let received = '';
    reader.on('data', (d: Buffer) => (received += d.toString()));
    const ended = new Promise((resolve) => reader.on('end', resolve));
    const { code } = await runCli([seed, '-f', 'json', '-o', fifo]);
    await ended;
    reader.destroy();
    expect(code).toBe(1);
    expect(JSON.parse(received)).toMatchObject({ schemaVersion: 1 });
  });
});

describe('inputs that are not regular files', () => {
  test.each([
    { input: '/dev/urandom', message: 'binary data (NUL bytes), not a text log' },
    { input: '/dev/zero', message: 'binary data (NUL bytes), not a text log' },
    { input: '/dev/null', message: 'empty input' },
  ])('$input: one line, at once', async ({ input, message }) => {
    const { code, stderr } = await runCli([input]);
    expect(code).toBe(2);
    expect(stderr).toBe(`epochlint: ${input}: ${message}\n`);
  });

  test('a named pipe is read as a stream (in process: the open never blocks)', async () => {
    const fifo = join(work.dir, 'in.fifo');
    execFileSync('mkfifo', [fifo]);
    const running = runCli([fifo, '-f', 'json']);
    // a writer can open only once the reader is there
    let fd: number | null = null;
    for (let i = 0; i < 2000 && fd === null; i += 1) {
      try {
        fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      } catch {
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    if (fd === null) throw new Error('no reader on the pipe');
    const writer = new Socket({ fd, readable: false });
    writer.end(readFileSync(seed));
    const { code, stdout } = await running;
    expect(code).toBe(1);
    expect((JSON.parse(stdout) as { summary: { epochs: number } }).summary.epochs).toBe(39);
  });

  test('a socket is refused with one line', async () => {
    const path = join(work.dir, 'sock');
    const server = createServer().listen(path);
    await new Promise((r) => server.on('listening', r));
    try {
      const { code, stderr } = await runCli([path]);
      expect(code).toBe(2);
      expect(stderr).toBe(`epochlint: ${path}: no process is reading this named pipe (or it is a socket)\n`);
    } finally {
      server.close();
    }
  });
});

describe('config trust', () => {
  const rulesOff = (): string => {
    const ids = DETECTORS.map((d) => d.id);
    return JSON.stringify({ rules: Object.fromEntries(ids.map((id) => [id, 'off'])) });
  };

  test('a config in an ancestor outside the project: used, but named and warned about (probe: silent)', async () => {
    const root = join(work.dir, 'ancestor');
    mkdirSync(join(root, 'a'), { recursive: true });
    writeFileSync(join(root, 'epochlint.config.json'), rulesOff());
    const text = await runCli([seed], { cwd: join(root, 'a') });
    expect(text.code).toBe(0);
    expect(text.stderr).toBe(
      `epochlint: warning: using the config file ../epochlint.config.json, found outside this project (above ${join(root, 'a')}); --no-config ignores it\n`,
    );
    expect(text.stdout.split('\n')[0]).toBe('config: ../epochlint.config.json (outside the project)');
    const json = await runCli([seed, '-f', 'json'], { cwd: join(root, 'a') });
    expect(JSON.parse(json.stdout)).toMatchObject({
      config: { path: '../epochlint.config.json', outsideProject: true },
    });
    expect((await runCli([seed, '--no-config'], { cwd: join(root, 'a') })).code).toBe(1);
  });

  test('the project config: named in the report, no warning', async () => {
    const root = join(work.dir, 'project');
    mkdirSync(join(root, 'logs'), { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'p', epochlint: { failOn: 'never' } }));
    const { code, stdout, stderr } = await runCli([seed, '-f', 'json'], { cwd: join(root, 'logs') });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toMatchObject({ config: { path: '../package.json', outsideProject: false } });
  });

  test('no config: the JSON says null and the text has no config line', async () => {
    const json = await runCli([seed, '-f', 'json', '--no-config']);
    expect(JSON.parse(json.stdout)).toMatchObject({ config: null, interrupted: null });
    expect((await runCli([seed, '--no-config'])).stdout).not.toMatch(/^config:/m);
  });

  test.each([
    {
      name: 'a named pipe (probe: hang)',
      make: (p: string) => execFileSync('mkfifo', [p]),
      reason: 'is a named pipe, not a config file',
    },
    { name: 'a directory', make: (p: string) => mkdirSync(p), reason: 'is a directory' },
  ])('--config naming $name: one line, exit 2', async ({ make, reason }) => {
    const path = join(work.dir, `cfg-${reason.length}`);
    make(path);
    const { code, stderr } = await runCli([seed, '--config', path]);
    expect(code).toBe(2);
    expect(stderr).toBe(`epochlint: ${path}: ${reason}\n`);
  });

  test('--config /dev/urandom: one line at once (probe: 5.8 GB)', async () => {
    const { code, stderr } = await runCli([seed, '--config', '/dev/urandom']);
    expect(code).toBe(2);
    expect(stderr).toBe('epochlint: /dev/urandom: is a character device, not a config file\n');
  });

  test.each([
    { keys: 80_000, lines: 21, last: '... and 79980 more problem(s)' },
    // the probe's file: 2.4 MB, refused unread before a single key is looked at
    { keys: 200_000, lines: 1, last: 'larger than 1 MiB: not a config file' },
  ])(
    '$keys unknown keys: at most 20 lines and a count (probe: 200k lines)',
    async ({ keys, lines, last }) => {
      const path = join(work.dir, `many-keys-${keys}.json`);
      writeFileSync(
        path,
        JSON.stringify(Object.fromEntries(Array.from({ length: keys }, (_, i) => [`k${i}`, 1]))),
      );
      const { code, stderr } = await runCli([seed, '--config', path]);
      expect(code).toBe(2);
      const printed = stderr.trimEnd().split('\n');
      expect(printed).toHaveLength(lines);
      expect(printed.at(-1)).toBe(`epochlint: ${path}: ${last}`);
    },
  );

  test('an unknown key with control characters is escaped', async () => {
    const path = join(work.dir, 'hostile-key.json');
    writeFileSync(path, JSON.stringify({ '\u001b]52;c;x\u0007\u202e': 1 }));
    const { code, stderr } = await runCli([seed, '--config', path]);
    expect(code).toBe(2);
    expect(hasRawUnsafe(stderr)).toBe(false);
  });
});

describe('no argument spread over data', () => {
  test('a text report of a file with 200k lines does not overflow the stack (probe: 50k runs, internal error)', () => {
    const issues = Array.from({ length: 200_000 }, (_, i) => ({
      kind: 'bad-value' as const,
      line: i + 1,
      // distinct messages: identical ones are folded into one line with a count
      message: `x${i}`,
    }));
    const report: Report = {
      schemaVersion: 1,
      files: [
        {
          file: 'f.log',
          format: 'keras-text',
          runs: [
            { index: 0, epochs: 1, firstEpoch: 1, lastEpoch: 1, fromLine: 1, toLine: 1, metrics: ['loss'] },
          ],
          findings: [],
          diagnoses: [],
          contexts: [],
          issues,
          error: null,
        },
      ],
      interrupted: null,
      config: null,
    };
    const text = renderText(report, { chalk: new Chalk({ level: 0 }), verbose: true });
    expect(text.split('\n').filter((l) => l.includes('bad-value: line '))).toHaveLength(200_000);
  });

  test('a folder of 150k logs expands without a spread (in an injected file system)', async () => {
    const names = Array.from({ length: 150_000 }, (_, i) => `r${i}.log`);
    const root = join(work.dir, 'wide');
    mkdirSync(root, { recursive: true });
    let ino = 10;
    const fakeFile = () => Object.assign(statSync(seed), { ino: (ino += 1) });
    const inputs = await expandInputs([root], ROOT, {
      fs: {
        readdir: () =>
          Promise.resolve(
            names.map(
              (name) =>
                ({
                  name,
                  isFile: () => true,
                  isDirectory: () => false,
                  isSymbolicLink: () => false,
                }) as Dirent,
            ),
          ),
        stat: (p: string) => Promise.resolve(p === root ? statSync(root) : fakeFile()),
      },
    });
    expect(inputs).toHaveLength(150_000);
  });
});

describe('folder inputs pick up every format the readers read', () => {
  test('markdown, R Markdown, event files and the named CSV/JSON logs are found; other files are not', async () => {
    const dir = join(work.dir, 'formats');
    mkdirSync(join(dir, 'run', 'validation'), { recursive: true });
    const names = [
      'README.md',
      'train.Rmd',
      'notes.markdown',
      'run/validation/events.out.tfevents.1700000001.host.v2',
      'run/metrics.csv',
      'results.csv',
      'summary.csv',
      'trainer_state.json',
    ];
    for (const name of [...names, 'model.h5', 'plot.png', 'events.bin']) writeFileSync(join(dir, name), 'x');
    const found = await expandInputs([dir], work.dir);
    expect(found.map((f) => ('file' in f ? f.file.slice(dir.length + 1) : f.problem)).sort()).toEqual(
      [...names].sort(),
    );
  });
});

describe('--metric reaches the parser', () => {
  test('a bare list read with metricNames is named from its first epoch on (probe: the live line said val_value)', async () => {
    const path = join(work.dir, 'losses.txt');
    writeFileSync(path, '0.9\n0.7\n0.6\n');
    const live: string[][] = [];
    const result = await readInput(path, {
      inputFormat: 'auto',
      stdin: process.stdin,
      metricNames: ['val_loss'],
      onEpoch: (epoch) => live.push(Object.keys(epoch.metrics)),
    });
    expect(result.error).toBeNull();
    expect(result.runs.flatMap((r) => r.epochs.map((e) => e.metrics))).toEqual([
      { val_loss: 0.9 },
      { val_loss: 0.7 },
      { val_loss: 0.6 },
    ]);
    expect(live).toEqual([['val_loss'], ['val_loss'], ['val_loss']]);
  });
});

describe('parse -f csv never writes a formula', () => {
  test('names that start with =, +, - or @ are quoted as text; negative numbers stay numbers', async () => {
    const path = join(work.dir, 'formula.json');
    writeFileSync(
      path,
      JSON.stringify({
        '=HYPERLINK("http://x")': [0.5, 0.4],
        '+SUM(A1)': [1, 2],
        '-cmd': [3, 4],
        '@sum': [5, 6],
        loss: [-0.5, -1e-7],
      }),
    );
    const { code, stdout } = await runCli(['parse', path, '-f', 'csv']);
    expect(code).toBe(0);
    const [header, first] = stdout.trimEnd().split('\n');
    expect(header).toBe(
      `file,run,epoch,of,steps,total_steps,seconds,"'=HYPERLINK(""http://x"")",'+SUM(A1),'-cmd,'@sum,loss`,
    );
    expect(first?.endsWith(',0.5,1,3,5,-0.5')).toBe(true);
  });
});
