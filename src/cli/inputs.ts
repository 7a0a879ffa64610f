/**
 * Turning command-line inputs into files: a directory (a hyperparameter sweep) stands for the log
 * files below it, a glob is expanded (for shells that do not, and for quoted patterns in CI), `-` is
 * stdin. Results are sorted so reports are deterministic.
 *
 * Walks are bounded by what they can match and by the file system's identity of things: every
 * directory is entered once per (device, inode), so symbolic-link cycles (`a -> .`) neither repeat a
 * file nor recurse without end, and a file reached under two names is listed once. A directory that
 * cannot be read is reported, never skipped in silence, and the interrupt flag is checked before each
 * directory is read.
 */
import type { Dirent, Stats } from 'node:fs';
import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { READERS } from '../parse/readers.js';

/**
 * Extensions of files that can hold a training log; together with the names the readers hint at
 * (`events.out.tfevents.*`, `trainer_state.json`, ...), the files a folder input reads. Content still
 * decides the format, and a file found in a folder that holds no log is skipped with a note.
 */
const LOG_EXTENSION = /\.(?:log|txt|out|csv|tsv|json|jsonl|ipynb|md|markdown|rmd)$/i;

/** Whether a file found in a folder input is read. */
export function isLogFileName(name: string): boolean {
  return LOG_EXTENSION.test(name) || READERS.some((r) => r.fileHint?.test(name) === true);
}
/** Folders no sweep keeps its logs in; a wildcard never enters them (a literal segment may). */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '__pycache__', '.ipynb_checkpoints']);
/** Characters that make an argument a pattern. */
const WILDCARD = /[*?[]/;

/** One input after expansion: a file to read, or a one-line problem to report. */
export type ExpandedInput = { file: string; fromDirectory?: boolean } | { problem: string; input: string };

/** The file-system calls a walk makes (tests wrap the real ones to make a folder unreadable). */
export interface WalkFileSystem {
  readdir(path: string): Promise<Dirent[]>;
  stat(path: string): Promise<Stats>;
}

/**
 * A directory is read through the thread pool (the event loop, and so an interrupt, is heard between
 * two directories); the entries are stat-ed on the calling thread. A stat reads no data and takes a few
 * microseconds, while a trip through the pool took about 80 µs: a folder of 1000 logs was walked in
 * 80 ms, the two cores idle meanwhile, before a sweep could start its workers.
 */
const NODE_WALK_FS: WalkFileSystem = {
  readdir: (path) => readdir(path, { withFileTypes: true }),
  // a stat that throws rejects, as the promise API's does
  stat: (path) => new Promise((done) => done(statSync(path))),
};

/** Options of {@link expandInputs}. */
export interface ExpandOptions {
  /** Polled before each directory is read: true ends the walk with what was found so far. */
  stop?: () => boolean;
  fs?: WalkFileSystem;
}

/** Shared state of one expansion: what was visited, and the stop flag. */
interface Walk {
  fs: WalkFileSystem;
  stop: () => boolean;
  /** `dev:ino` of directories entered (with the pattern state for globs). */
  visited: Set<string>;
  /** `dev:ino` of files listed. */
  listed: Set<string>;
}

/** Expands directories and globs; other arguments are passed through (missing files fail when read). */
export async function expandInputs(
  args: readonly string[],
  cwd: string,
  options: ExpandOptions = {},
): Promise<ExpandedInput[]> {
  const out: ExpandedInput[] = [];
  const stop = options.stop ?? (() => false);
  const fs = options.fs ?? NODE_WALK_FS;
  for (const arg of args) {
    if (stop()) break;
    if (arg === '-') {
      out.push({ file: arg });
      continue;
    }
    const absolute = resolve(cwd, arg);
    const info = await fs.stat(absolute).catch(() => null);
    if (info?.isDirectory()) {
      const walk: Walk = { fs, stop, visited: new Set([identity(info)]), listed: new Set() };
      const found: ExpandedInput[] = [];
      await walkDirectory(absolute, arg, walk, found);
      if (found.length === 0) out.push({ problem: 'directory holds no log files', input: arg });
      // a loop, not push(...found): a folder may hold more files than a call takes arguments
      for (const f of found) out.push('problem' in f ? f : { ...f, fromDirectory: true });
      continue;
    }
    if (info === null && WILDCARD.test(arg)) {
      const found = await expandGlob(arg, cwd, fs, stop);
      for (const problem of found.problems) out.push({ problem, input: arg });
      if (found.files.length === 0 && found.problems.length === 0)
        out.push({ problem: 'no file matches this pattern', input: arg });
      for (const f of found.files) out.push({ file: f });
      continue;
    }
    out.push({ file: arg });
  }
  return out;
}

function identity(info: Stats): string {
  return `${info.dev}:${info.ino}`;
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The entry's own kind, or its target's for a symbolic link (null when the link is broken). */
async function kindOf(fs: WalkFileSystem, entry: Dirent, path: string): Promise<Stats | Dirent | null> {
  return entry.isSymbolicLink() ? await fs.stat(path).catch(() => null) : entry;
}

/** Why a directory could not be read, in a few words. */
function readReason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'it vanished while being read';
  return typeof code === 'string' ? code : 'read error';
}

/** A symbolic link met during a walk, followed once the real tree has been walked. */
interface PendingLink {
  path: string;
  shown: string;
}

/**
 * Log files below a directory, in sorted tree order, each directory and each file once; hidden and
 * tool folders are not entered; unreadable folders become problems in `out`. The real tree is walked
 * first and symbolic links after it, so a file is listed under its real path when it has one, and a
 * link adds only what the tree does not already hold.
 */
async function walkDirectory(
  root: string,
  shownRoot: string,
  walk: Walk,
  out: ExpandedInput[],
): Promise<void> {
  const files: string[] = [];
  const links: PendingLink[] = [];
  const visitTree = async (directory: string, shown: string): Promise<void> => {
    if (walk.stop()) return;
    let entries: Dirent[];
    try {
      entries = await walk.fs.readdir(directory);
    } catch (error) {
      out.push({ problem: `cannot read this directory (${readReason(error)})`, input: shown });
      return;
    }
    for (const entry of entries.sort(byName)) {
      if (walk.stop()) return;
      const path = join(directory, entry.name);
      const shownPath = join(shown, entry.name);
      if (entry.isSymbolicLink()) links.push({ path, shown: shownPath });
      else await visitEntry(entry.name, entry, path, shownPath);
    }
  };
  const visitEntry = async (
    name: string,
    kind: Stats | Dirent,
    path: string,
    shown: string,
  ): Promise<void> => {
    if (kind.isDirectory()) {
      if (SKIPPED_DIRECTORIES.has(name) || name.startsWith('.')) return;
      const info = 'ino' in kind ? kind : await walk.fs.stat(path).catch(() => null);
      if (info === null || walk.visited.has(identity(info))) return;
      walk.visited.add(identity(info));
      await visitTree(path, shown);
    } else if (kind.isFile() && isLogFileName(name)) {
      const info = 'ino' in kind ? kind : await walk.fs.stat(path).catch(() => null);
      if (info === null || walk.listed.has(identity(info))) return;
      walk.listed.add(identity(info));
      files.push(shown);
    }
  };
  await visitTree(root, shownRoot);
  // links in the order met; a link to a directory may hold more links, appended as they are met
  for (let i = 0; i < links.length && !walk.stop(); i += 1) {
    const link = links[i] as PendingLink;
    const target = await walk.fs.stat(link.path).catch(() => null);
    if (target !== null) await visitEntry(basename(link.path), target, link.path, link.shown);
  }
  for (const file of files.sort(byPathSegments)) out.push({ file });
}

/** Tree order: path segments compared one by one (`a/b.log` before `a-b/c.log`). */
function byPathSegments(a: string, b: string): number {
  const x = a.split(sep);
  const y = b.split(sep);
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const p = x[i] ?? '';
    const q = y[i] ?? '';
    if (p !== q) return p < q ? -1 : 1;
  }
  return x.length - y.length;
}

// ---------------------------------------------------------------------------------------------
// Globs

/** One pattern segment: `**`, or a sequence of wildcard tokens matched against one name. */
type Segment = { kind: 'globstar' } | { kind: 'name'; tokens: Token[]; literal: boolean };

type Token =
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'char'; code: number }
  | { kind: 'class'; negate: boolean; ranges: Array<[number, number]> };

/**
 * A path segment's tokens: `*` any run of characters, `?` one character, `[abc]`, `[a-z]` and
 * `[!a]`/`[^a]` classes; an unclosed `[` is a literal.
 */
export function compileSegment(segment: string): Segment {
  if (segment === '**') return { kind: 'globstar' };
  const chars = Array.from(segment);
  const tokens: Token[] = [];
  let literal = true;
  for (let i = 0; i < chars.length; i += 1) {
    const c = chars[i] ?? '';
    if (c === '*') {
      literal = false;
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') {
      literal = false;
      tokens.push({ kind: 'any' });
    } else if (c === '[' && chars.indexOf(']', i + 2) !== -1) {
      literal = false;
      let j = i + 1;
      const negate = chars[j] === '!' || chars[j] === '^';
      if (negate) j += 1;
      const ranges: Array<[number, number]> = [];
      // a `]` right after the opening bracket is a member, as in shells
      for (let first = true; j < chars.length && (first || chars[j] !== ']'); first = false) {
        const from = (chars[j] ?? '').codePointAt(0) ?? 0;
        if (chars[j + 1] === '-' && chars[j + 2] !== undefined && chars[j + 2] !== ']') {
          ranges.push([from, (chars[j + 2] ?? '').codePointAt(0) ?? 0]);
          j += 3;
        } else {
          ranges.push([from, from]);
          j += 1;
        }
      }
      tokens.push({ kind: 'class', negate, ranges });
      i = j;
    } else {
      tokens.push({ kind: 'char', code: c.codePointAt(0) ?? 0 });
    }
  }
  return { kind: 'name', tokens, literal };
}

function matchesOne(token: Token, code: number): boolean {
  switch (token.kind) {
    case 'any':
      return true;
    case 'char':
      return token.code === code;
    case 'class': {
      const inside = token.ranges.some(([from, to]) => code >= from && code <= to);
      return inside !== token.negate;
    }
    case 'star':
      return false;
  }
}

/**
 * Whether `name` matches the tokens. The classic two-pointer wildcard match: on a mismatch it
 * returns to the last `*` only, so the cost is at most (name length × pattern length), never
 * exponential the way a backtracking regex of several `.*` can be.
 */
export function matchSegment(tokens: readonly Token[], name: string): boolean {
  const codes = Array.from(name, (c) => c.codePointAt(0) ?? 0);
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = 0;
  while (s < codes.length) {
    const token = tokens[p];
    if (token?.kind === 'star') {
      starP = p;
      p += 1;
      starS = s;
    } else if (token !== undefined && matchesOne(token, codes[s] ?? 0)) {
      p += 1;
      s += 1;
    } else if (starP >= 0) {
      p = starP + 1;
      starS += 1;
      s = starS;
    } else return false;
  }
  while (tokens[p]?.kind === 'star') p += 1;
  return p === tokens.length;
}

/** The states reachable without consuming a name: a `**` may match no directory at all. */
function closure(segments: readonly Segment[], states: Iterable<number>): Set<number> {
  const out = new Set<number>();
  for (const start of states) {
    let i = start;
    out.add(i);
    while (segments[i]?.kind === 'globstar') {
      i += 1;
      out.add(i);
    }
  }
  return out;
}

/** The states after consuming one name (a directory or the file) from each state in `states`. */
function step(segments: readonly Segment[], states: ReadonlySet<number>, name: string): Set<number> {
  const next = new Set<number>();
  for (const i of states) {
    const segment = segments[i];
    if (segment === undefined) continue;
    if (segment.kind === 'globstar') {
      if (!SKIPPED_DIRECTORIES.has(name)) next.add(i);
    } else if (matchSegment(segment.tokens, name)) {
      if (segment.literal || !SKIPPED_DIRECTORIES.has(name)) next.add(i + 1);
    }
  }
  return closure(segments, next);
}

/**
 * The files a pattern matches (`*`, `?` and classes within a segment, `**` across segments), sorted,
 * and the directories it needed but could not read. Only directories the pattern can still match
 * below are read: `*.log` reads one directory, `runs/*\/train.log` two levels.
 */
async function expandGlob(
  pattern: string,
  cwd: string,
  fs: WalkFileSystem,
  stop: () => boolean,
): Promise<{ files: string[]; problems: string[] }> {
  const normalized = pattern.split(sep).join('/');
  const parts = normalized.split('/');
  const firstWild = parts.findIndex((p) => WILDCARD.test(p));
  const baseParts = parts.slice(0, Math.max(0, firstWild));
  const base = baseParts.join('/') || (normalized.startsWith('/') ? '/' : '.');
  const segments = parts
    .slice(Math.max(0, firstWild))
    .filter((p) => p.length > 0)
    .map(compileSegment);
  const root = resolve(cwd, base);
  const found = new Map<string, string>();
  const problems: string[] = [];
  const visited = new Set<string>();
  const show = (path: string): string =>
    (isAbsolute(pattern) ? path : relative(cwd, path) || '.').split(sep).join('/');

  const visit = async (directory: string, states: Set<number>): Promise<void> => {
    if (stop()) return;
    const info = await fs.stat(directory).catch(() => null);
    if (info === null) return;
    const key = `${identity(info)}:${[...states].sort((a, b) => a - b).join(',')}`;
    if (visited.has(key)) return;
    visited.add(key);
    let entries: Dirent[];
    try {
      entries = await fs.readdir(directory);
    } catch (error) {
      // a base that is not a directory simply matches nothing
      const code = (error as { code?: unknown }).code;
      if (code !== 'ENOTDIR' && !(code === 'ENOENT' && directory === root))
        problems.push(`cannot read directory ${show(directory)} (${readReason(error)})`);
      return;
    }
    for (const entry of entries.sort(byName)) {
      if (stop()) return;
      const next = step(segments, states, entry.name);
      if (next.size === 0) continue;
      const path = join(directory, entry.name);
      const kind = await kindOf(fs, entry, path);
      if (kind === null) continue;
      if (kind.isFile() && next.has(segments.length)) {
        const fileInfo = await fs.stat(path).catch(() => null);
        if (fileInfo !== null && !found.has(identity(fileInfo))) found.set(identity(fileInfo), show(path));
      } else if (kind.isDirectory() && [...next].some((i) => i < segments.length)) {
        await visit(path, new Set([...next].filter((i) => i < segments.length)));
      }
    }
  };
  await visit(root, closure(segments, [0]));
  return { files: [...found.values()].sort(), problems };
}
