/**
 * Turning command-line inputs into files: a directory (a hyperparameter sweep) stands for the log
 * files below it, a glob is expanded (for shells that do not, and for quoted patterns in CI), `-` is
 * stdin. Results are sorted so reports are deterministic.
 */
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** File names that can hold a training log. */
const LOG_FILE = /\.(?:log|txt|out|csv|tsv|json|jsonl|ipynb)$/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '__pycache__', '.ipynb_checkpoints']);

/** One input after expansion: a file to read, or a one-line problem to report. */
export type ExpandedInput = { file: string; fromDirectory?: boolean } | { problem: string; input: string };

/** Expands directories and globs; other arguments are passed through (missing files fail when read). */
export async function expandInputs(args: readonly string[], cwd: string): Promise<ExpandedInput[]> {
  const out: ExpandedInput[] = [];
  for (const arg of args) {
    if (arg === '-') {
      out.push({ file: arg });
      continue;
    }
    const absolute = resolve(cwd, arg);
    const info = await stat(absolute).catch(() => null);
    if (info?.isDirectory()) {
      const problems: string[] = [];
      const files = await walk(absolute, problems);
      for (const problem of problems) out.push({ problem, input: arg });
      if (files.length === 0 && problems.length === 0)
        out.push({ problem: 'directory holds no log files', input: arg });
      for (const f of files) out.push({ file: join(arg, relative(absolute, f)), fromDirectory: true });
      continue;
    }
    if (info === null && /[*?[]/.test(arg)) {
      const files = await expandGlob(arg, cwd);
      if (files.length === 0) out.push({ problem: 'no file matches this pattern', input: arg });
      for (const f of files) out.push({ file: f });
      continue;
    }
    out.push({ file: arg });
  }
  return out;
}

/** Log files below a directory, sorted; symbolic links are followed; unreadable folders are problems. */
async function walk(directory: string, problems: string[], depth = 0): Promise<string[]> {
  const found: string[] = [];
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch {
    problems.push(`cannot read directory ${directory}`);
    return found;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(directory, entry.name);
    const kind = entry.isSymbolicLink() ? await stat(path).catch(() => null) : entry;
    if (kind === null) continue;
    if (kind.isDirectory()) {
      // depth bound: a symbolic link cycle must not recurse forever
      if (!SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith('.') && depth < 32) {
        for (const f of await walk(path, problems, depth + 1)) found.push(f);
      }
    } else if (kind.isFile() && LOG_FILE.test(entry.name)) {
      found.push(path);
    }
  }
  return found;
}

/** `*` and `?` within a path segment, `**` across segments, `[abc]` classes. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i] ?? '';
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        re += '.*';
        i += 1;
        if (pattern[i + 1] === '/') i += 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close === -1) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, close).replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

async function expandGlob(pattern: string, cwd: string): Promise<string[]> {
  const normalized = pattern.split(sep).join('/');
  const firstWild = normalized.search(/[*?[]/);
  const baseEnd = normalized.lastIndexOf('/', firstWild);
  const base = baseEnd === -1 ? '' : normalized.slice(0, baseEnd);
  const matcher = globToRegExp(normalized);
  const files = await walkAll(resolve(cwd, base || '.'));
  // an absolute pattern matches absolute paths; a relative one, paths relative to the working directory
  return files
    .map((f) => (isAbsolute(pattern) ? f : relative(cwd, f)).split(sep).join('/'))
    .filter((f) => matcher.test(f))
    .sort();
}

async function walkAll(directory: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(directory, entry.name);
    const kind = entry.isSymbolicLink() ? await stat(path).catch(() => null) : entry;
    if (kind === null) continue;
    if (kind.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name) && !entry.isSymbolicLink()) {
        for (const f of await walkAll(path)) found.push(f);
      }
    } else if (kind.isFile()) found.push(path);
  }
  return found;
}
