/**
 * Directory walks and globs over hostile trees: symbolic-link cycles, aliases, unreadable folders,
 * interrupts, and how much of the tree a pattern reads (counted as file-system calls, not timed).
 */
import type { Dirent } from 'node:fs';
import { copyFileSync, linkSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, test } from 'vitest';
import {
  compileSegment,
  expandInputs,
  matchSegment,
  type ExpandedInput,
  type WalkFileSystem,
} from '../../src/cli/inputs.js';
import { scratch } from './hostile-helpers.js';
import { ROOT, runCli } from './run-cli.js';

const seed = join(ROOT, 'fixtures/real/crossvalidated-416172.txt');
const work = scratch('inputs');
afterAll(() => work.remove());

/** A tree under the scratch directory: files get the seed log, `->` entries become symbolic links. */
function tree(name: string, entries: string[]): string {
  const root = join(work.dir, name);
  mkdirSync(root, { recursive: true });
  for (const entry of entries) {
    const [path = '', target] = entry.split(' -> ');
    const full = join(root, path);
    if (path.endsWith('/')) mkdirSync(full, { recursive: true });
    else {
      mkdirSync(join(full, '..'), { recursive: true });
      if (target !== undefined) symlinkSync(target, full);
      else copyFileSync(seed, full);
    }
  }
  return root;
}

/** The real file system, with a count of directory reads and chosen folders unreadable. */
function countingFs(unreadable: string[] = []): WalkFileSystem & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readdir: async (path: string): Promise<Dirent[]> => {
      reads.push(path);
      if (unreadable.some((u) => path.endsWith(u)))
        throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      return readdir(path, { withFileTypes: true });
    },
    stat: (path: string) => stat(path),
  };
}

const files = (inputs: ExpandedInput[]): string[] => inputs.flatMap((i) => ('file' in i ? [i.file] : []));
const problems = (inputs: ExpandedInput[]): string[] =>
  inputs.flatMap((i) => ('problem' in i ? [`${i.input}: ${i.problem}`] : []));

describe('directory walks', () => {
  test.each([
    { name: 'one self-link', entries: ['x.log', 'a -> .'], listed: ['x.log'] },
    {
      name: 'two self-links (2^32 paths when followed blindly)',
      entries: ['x.log', 'a -> .', 'b -> .'],
      listed: ['x.log'],
    },
    {
      name: 'a cycle through a parent',
      entries: ['d/x.log', 'd/up -> ..', 'e/y.log'],
      listed: ['d/x.log', 'e/y.log'],
    },
    {
      name: 'a file alias keeps the real name',
      entries: ['latest.log -> run.log', 'run.log'],
      listed: ['run.log'],
    },
    {
      name: 'a folder alias keeps the real path',
      entries: ['a-latest -> z-run', 'z-run/train.log'],
      listed: ['z-run/train.log'],
    },
    {
      name: 'a link to a folder outside the tree is walked',
      entries: ['in/x.log', 'out -> ../outside-target'],
      listed: ['in/x.log', 'out/o.log'],
    },
    { name: 'a broken link is not a file', entries: ['x.log', 'gone.log -> nowhere.log'], listed: ['x.log'] },
    {
      name: 'hidden and tool folders are not entered',
      entries: ['.cache/x.log', 'node_modules/y.log', 'z.log'],
      listed: ['z.log'],
    },
  ])('$name', async ({ name, entries, listed }) => {
    if (name.includes('outside')) tree('outside-target', ['o.log']);
    const root = tree(name.replace(/\W+/g, '-'), entries);
    const inputs = await expandInputs([root], ROOT);
    expect(problems(inputs)).toEqual([]);
    expect(files(inputs)).toEqual(listed.map((f) => join(root, f)));
  });

  test('a hard link is the same file: listed once', async () => {
    const root = tree('hard', ['a.log']);
    linkSync(join(root, 'a.log'), join(root, 'b.log'));
    expect(files(await expandInputs([root], ROOT))).toEqual([join(root, 'a.log')]);
  });

  test('the epochs of a cyclic folder are read once (probe: the file 33 times)', async () => {
    const root = tree('cyclic-parse', ['x.log', 'a -> .', 'b -> .']);
    const { code, stdout } = await runCli(['parse', root, '-f', 'csv']);
    expect(code).toBe(0);
    const once = await runCli(['parse', seed, '-f', 'csv']);
    const rows = (out: string) => out.trim().split('\n').slice(1);
    expect(rows(stdout)).toHaveLength(rows(once.stdout).length);
    expect(new Set(rows(stdout).map((r) => r.split(',')[0])).size).toBe(1);
  });

  test('an unreadable subfolder is a problem, not a silent skip', async () => {
    const root = tree('locked', ['a/x.log', 'b/y.log']);
    const inputs = await expandInputs([root], ROOT, { fs: countingFs(['/b']) });
    expect(files(inputs)).toEqual([join(root, 'a/x.log')]);
    expect(problems(inputs)).toEqual([`${join(root, 'b')}: cannot read this directory (permission denied)`]);
  });

  test('an interrupt stops the walk before the next directory', async () => {
    const root = tree('many', ['a/x.log', 'b/x.log', 'c/x.log', 'd/x.log']);
    const fs = countingFs();
    let calls = 0;
    const inputs = await expandInputs([root, seed], ROOT, { fs, stop: () => (calls += 1) > 4 });
    expect(fs.reads.length).toBeLessThan(5);
    expect(files(inputs)).not.toContain(seed);
  });

  test('a named pipe or a device in a folder is not read (never blocks)', async () => {
    const root = tree('fifo-folder', ['x.log']);
    execFileSync('mkfifo', [join(root, 'pipe.log')]);
    symlinkSync('/dev/zero', join(root, 'zero.log'));
    expect(files(await expandInputs([root], ROOT))).toEqual([join(root, 'x.log')]);
  });
});

describe('globs', () => {
  const root = tree('globbed', [
    'top.log',
    'runs/r1/train.log',
    'runs/r1/deep/er/train.log',
    'runs/r2/train.log',
    'runs/r2/notes.txt',
    'runs/loop -> .',
    'runs/node_modules/train.log',
  ]);

  test.each([
    { pattern: '*.log', listed: ['top.log'], reads: 1 },
    { pattern: 'runs/*/train.log', listed: ['runs/r1/train.log', 'runs/r2/train.log'], reads: 4 },
    {
      pattern: 'runs/**/train.log',
      listed: ['runs/r1/deep/er/train.log', 'runs/r1/train.log', 'runs/r2/train.log'],
      // runs, r1, r1/deep, r1/deep/er, r2: the loop back to runs and node_modules are not entered
      reads: 5,
    },
    { pattern: 'runs/node_modules/*.log', listed: ['runs/node_modules/train.log'], reads: 1 },
    { pattern: 'runs/r[12]/*.t?t', listed: ['runs/r2/notes.txt'], reads: 3 },
    { pattern: 'runs/r[!1]/*', listed: ['runs/r2/notes.txt', 'runs/r2/train.log'], reads: 2 },
  ])('$pattern reads only what it can match', async ({ pattern, listed, reads }) => {
    const fs = countingFs();
    const inputs = await expandInputs([pattern], root, { fs });
    expect(files(inputs)).toEqual(listed);
    // directories read, counted: a one-segment pattern reads one directory, not the tree below it
    expect(fs.reads.length).toBe(reads);
  });

  test('a glob over an unreadable subfolder reports it (probe: 6 -> 3 epochs, exit 0)', async () => {
    const fs = countingFs(['/r2']);
    const inputs = await expandInputs(['runs/*/train.log'], root, { fs });
    expect(files(inputs)).toEqual(['runs/r1/train.log']);
    expect(problems(inputs)).toEqual(['runs/*/train.log: cannot read directory runs/r2 (permission denied)']);
  });

  test('an absolute pattern gives absolute paths', async () => {
    expect(files(await expandInputs([`${root}/runs/r2/*.log`], ROOT))).toEqual([
      join(root, 'runs/r2/train.log'),
    ]);
  });

  test('a pattern with a missing base matches nothing, with one problem', async () => {
    expect(problems(await expandInputs(['nowhere/*.log'], root))).toEqual([
      'nowhere/*.log: no file matches this pattern',
    ]);
  });

  test('the walk really had a cycle to survive', () => {
    expect(readdirSync(join(root, 'runs'))).toContain('loop');
  });
});

describe('segment matching', () => {
  test.each([
    { pattern: '*.log', name: 'a.log', match: true },
    { pattern: '*.log', name: 'a.log.gz', match: false },
    { pattern: 'a*b*c', name: 'aXXbYYc', match: true },
    { pattern: 'a*b*c', name: 'aXXbYY', match: false },
    { pattern: '?.log', name: 'ab.log', match: false },
    { pattern: '[a-c]x', name: 'bx', match: true },
    { pattern: '[!a-c]x', name: 'bx', match: false },
    { pattern: '[^a-c]x', name: 'dx', match: true },
    { pattern: '[]]x', name: ']x', match: true },
    { pattern: '[x', name: '[x', match: true },
    { pattern: '*', name: '', match: true },
    { pattern: 'é*', name: 'été', match: true },
    // many stars against a long near miss: a backtracking regex is exponential here
    { pattern: '*a*a*a*a*a*a*a*a*b', name: 'a'.repeat(200), match: false },
  ])('$pattern ~ $name', ({ pattern, name, match }) => {
    const segment = compileSegment(pattern);
    expect(segment.kind).toBe('name');
    if (segment.kind === 'name') expect(matchSegment(segment.tokens, name)).toBe(match);
  });
});

test('a folder of files written by the test (sanity of the fixture helper)', () => {
  const root = tree('sanity', ['a.log']);
  writeFileSync(join(root, 'b.txt'), 'x');
  expect(readdirSync(root).sort()).toEqual(['a.log', 'b.txt']);
});

describe('segment matching agrees with a reference matcher on random patterns (seeded)', () => {
  /** mulberry32: reproducible. */
  let a = 7;
  const random = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const PARTS = ['a', 'b', '*', '?', '[ab]', '[!a]', '[a-b]', '.'];
  /** The same language as a regular expression (fine for these short inputs). */
  const reference = (pattern: string[]): RegExp =>
    new RegExp(
      `^${pattern
        .map((p) => (p === '*' ? '.*' : p === '?' ? '.' : p === '[!a]' ? '[^a]' : p === '.' ? '\\.' : p))
        .join('')}$`,
      's',
    );

  test('4000 pattern/name pairs', () => {
    for (let i = 0; i < 4000; i += 1) {
      const parts = Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(PARTS));
      const name = Array.from({ length: Math.floor(random() * 10) }, () => pick(['a', 'b', '.'])).join('');
      const segment = compileSegment(parts.join(''));
      if (segment.kind !== 'name') continue;
      expect(matchSegment(segment.tokens, name), `${parts.join('')} ~ ${name}`).toBe(
        reference(parts).test(name),
      );
    }
  });
});
