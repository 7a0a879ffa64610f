/**
 * Sweeps: a folder linted on worker threads (`--jobs`) gives the bytes of one thread, in the order of
 * the inputs; `--shard i/n` splits the files into n disjoint parts that together are the whole; a
 * sweep's report is printed as the files come.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseShard, selectShard } from '../../src/cli/shard.js';
import { runCli, type CliResult } from './run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'epochlint-sweep-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A sweep folder: the real logs, a config that is no log, and one unreadable log in the middle. */
const sweep = join(work, 'sweep');
mkdirSync(join(sweep, 'b-broken'), { recursive: true });
for (const name of [
  'crossvalidated-416172.txt',
  'satellite-unet-jaccard-history.json',
  'bloodgroup-lr-training_log.csv',
  'brain-tumor-prettier-history.json',
]) {
  writeFileSync(join(sweep, name), readFileSync(new URL(`../../fixtures/real/${name}`, import.meta.url)));
}
writeFileSync(join(sweep, 'params.json'), '{"lr": 0.001, "batch_size": 32}\n');
writeFileSync(join(sweep, 'b-broken', 'history.json'), '{"loss": [0.5, 0.4');

/**
 * A command several tests compare against is run once in this file (a sweep on worker threads costs the
 * workers' start each time); its result is never changed.
 */
const once = new Map<string, Promise<CliResult>>();
function runOnce(args: string[]): Promise<CliResult> {
  const key = JSON.stringify(args);
  let result = once.get(key);
  if (result === undefined) {
    result = runCli(args);
    once.set(key, result);
  }
  return result;
}

/** The file names a report of `--format jsonl` covers, in order. */
function filesOf(jsonl: string): string[] {
  return jsonl
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { kind: string; file?: string })
    .filter((line) => line.kind === 'file')
    .map((line) => line.file ?? '');
}

describe('--jobs: worker threads give the bytes of one thread', () => {
  test.each(['text', 'json', 'jsonl', 'github', 'sarif'])('%s', async (format) => {
    const one = await runCli([sweep, '--jobs', '1', '--format', format]);
    const two = await runOnce([sweep, '--jobs', '2', '--format', format]);
    expect(two).toEqual(one);
    expect(one.code).toBe(2);
    expect(one.stdout.length).toBeGreaterThan(0);
  });

  test('the real corpus: three workers, and without --jobs the cores when the sweep is large enough', async () => {
    // JSON lines carry every field of every file: the same lines are the same report in every format
    const args = ['fixtures/real', '--format', 'jsonl', '--fail-on', 'never'];
    const one = await runCli([...args, '--jobs', '1']);
    expect(one.code).toBe(0);
    expect(filesOf(one.stdout).length).toBeGreaterThan(40);
    expect(await runCli([...args, '--jobs', '3'])).toEqual(one);
    expect(await runCli(args, { cores: 2 })).toEqual(one);
  });

  test('messages on stderr come in the order of the inputs', async () => {
    const { stderr } = await runOnce([sweep, '--jobs', '2', '--format', 'json']);
    expect(stderr.split('\n').filter((l) => l.length > 0)).toEqual([
      `epochlint: ${join(sweep, 'b-broken', 'history.json')}: line 1: expected ',' or ']' after a list item, found end of input`,
      `epochlint: skipped 1 file found in directories that hold no training log: ${join(sweep, 'params.json')}`,
    ]);
  });

  test.each([
    { jobs: '0', problem: "--jobs: expected a whole number >= 1, got '0'" },
    { jobs: 'two', problem: "--jobs: expected a whole number >= 1, got 'two'" },
    { jobs: '1.5', problem: "--jobs: expected a whole number >= 1, got '1.5'" },
  ])('--jobs $jobs is refused', async ({ jobs, problem }) => {
    const { code, stdout, stderr } = await runCli([sweep, '--jobs', jobs]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`epochlint: ${problem}\n`);
  });
});

describe('--shard i/n', () => {
  const all = async (): Promise<string[]> =>
    filesOf((await runOnce([sweep, '--format', 'jsonl', '--fail-on', 'never'])).stdout);

  test.each([2, 3])('%i shards: disjoint, in order, together every file', async (count) => {
    const whole = await all();
    expect(whole).toHaveLength(5);
    const parts: string[][] = [];
    for (let index = 1; index <= count; index += 1) {
      const shard = await runCli([
        sweep,
        '--shard',
        `${index}/${count}`,
        '--format',
        'jsonl',
        '--fail-on',
        'never',
      ]);
      parts.push(filesOf(shard.stdout));
    }
    expect(parts.flat().sort()).toEqual([...whole].sort());
    expect(new Set(parts.flat()).size).toBe(whole.length);
    // each part in the sweep's order
    for (const part of parts) expect(part).toEqual(whole.filter((f) => part.includes(f)));
  });

  test('a shard beyond the files is empty, not a failure (a matrix larger than the sweep)', async () => {
    const file = 'fixtures/real/crossvalidated-416172.txt';
    const empty = await runCli([file, '--shard', '2/3', '--format', 'json']);
    expect(empty.code).toBe(0);
    expect(empty.stderr).toBe('epochlint: shard 2/3 has no file (the inputs hold 1)\n');
    expect(JSON.parse(empty.stdout)).toMatchObject({ files: [], summary: { files: 0 } });
    expect((await runCli([file, '--shard', '1/3'])).code).toBe(1);
  });

  test.each([
    { shard: '0/2', args: [] },
    { shard: '3/2', args: [] },
    { shard: '1', args: [] },
    { shard: 'a/b', args: [] },
    { shard: '1/0', args: [] },
  ])('--shard $shard is refused', async ({ shard }) => {
    const { code, stdout, stderr } = await runCli(['fixtures/real', '--shard', shard]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`epochlint: --shard: expected i/n with 1 <= i <= n (e.g. 2/4), got '${shard}'\n`);
  });

  test('stdin cannot be sharded', async () => {
    const { code, stderr } = await runCli(['--shard', '1/2'], { input: 'Epoch 1/1\n' });
    expect(code).toBe(2);
    expect(stderr).toBe(
      'epochlint: --shard splits a list of files; it cannot split stdin or a followed file\n',
    );
  });
});

describe('selectShard', () => {
  const files = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  test.each([
    { shard: '1/1', expected: files },
    { shard: '1/2', expected: ['a', 'c', 'e', 'g'] },
    { shard: '2/2', expected: ['b', 'd', 'f'] },
    { shard: '3/3', expected: ['c', 'f'] },
    { shard: '7/7', expected: ['g'] },
    { shard: '8/8', expected: [] },
  ])('file k goes to shard (k mod n) + 1: $shard', ({ shard, expected }) => {
    const parsed = parseShard(shard);
    if ('problem' in parsed) throw new Error(parsed.problem);
    expect(selectShard(files, parsed)).toEqual(expected);
  });
});

describe('a sweep report printed as the files come', () => {
  test('--format jsonl: a line per file in input order, then the summary the JSON report has', async () => {
    const lines = (await runOnce([sweep, '--jobs', '2', '--format', 'jsonl'])).stdout.trimEnd().split('\n');
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((p) => p.kind)).toEqual(['file', 'file', 'file', 'file', 'file', 'summary']);
    expect(parsed.every((p) => p.schemaVersion === 1)).toBe(true);
    expect(parsed[0]).toMatchObject({ file: join(sweep, 'b-broken', 'history.json'), runs: [] });
    const json = JSON.parse((await runCli([sweep, '--format', 'json'])).stdout) as Record<string, unknown>;
    expect(parsed.at(-1)).toEqual({
      schemaVersion: 1,
      kind: 'summary',
      interrupted: null,
      config: null,
      summary: json.summary,
    });
    expect(parsed.slice(0, -1).map(({ schemaVersion: _v, kind: _k, ...file }) => file)).toEqual(json.files);
  });

  test('-o writes the bytes stdout gets', async () => {
    const out = join(work, 'report.txt');
    const written = await runCli([sweep, '--jobs', '2', '-o', out]);
    const printed = await runCli([sweep, '--jobs', '2']);
    expect(written.code).toBe(printed.code);
    expect(written.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(printed.stdout);
  });
});
