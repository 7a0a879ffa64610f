/**
 * The config file: discovery (upward from the working directory, like eslint and prettier), JSON
 * syntax checking with a line number, and zod validation with one friendly line per problem
 * (`<file>: <json path>: expected ..., got ...`). Never throws; the filesystem is reached only through
 * a small injectable `ConfigFileSystem`.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { DETECTORS, findDetector, type Detector, type RuleSetting } from '../detect/index.js';
import { Hints } from '../model/index.js';
import { INPUT_FORMATS } from '../parse/readers.js';
import { CHECK } from '../model/check.js';

/** Config file names in priority order within one directory; `package.json` counts only with an `"epochlint"` key. */
export const CONFIG_FILE_NAMES = ['epochlint.config.json', '.epochlintrc.json', 'package.json'] as const;

/** The key of the config inside a `package.json`. */
const PACKAGE_KEY = 'epochlint';

/**
 * Report formats a config may name (the `--format` contract in design.md). Kept here rather than taken
 * from `report/` so a config is validated against the documented contract.
 */
export const CONFIG_FORMATS = ['text', 'json', 'markdown', 'github', 'junit', 'sarif'] as const;

const RuleLevel = z.enum(['error', 'warning', 'info', 'off']);

/** What the shorthand-or-object union says when a rule value is neither. */
const RULE_VALUE_EXPECTED = 'expected "error", "warning", "info", "off" or { severity, options }';

/**
 * A rule's options are validated by that detector's own schema, but kept as written (the detector
 * fills its defaults when it runs), so the config never claims a setting the user did not make.
 */
function detectorOptions(detector: Detector) {
  return z.unknown().superRefine((value, ctx) => {
    const parsed = detector.options.safeParse(value, CHECK);
    if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ ...issue });
  });
}

function ruleValue(detector: Detector) {
  return z.union(
    [
      RuleLevel,
      z.object({ severity: RuleLevel.optional(), options: detectorOptions(detector).optional() }).strict(),
    ],
    { error: RULE_VALUE_EXPECTED },
  );
}

const Rules = z.object(Object.fromEntries(DETECTORS.map((d) => [d.id, ruleValue(d).optional()]))).strict();

/** The config file's schema: strict, every key optional, no defaults (the CLI tells "not set" from "set"). */
export const EpochlintConfig = z
  .object({
    /** Per-rule severity (`"off"` disables) or `{ severity, options }`. */
    rules: Rules,
    /** Metric names (as printed) that no detector looks at. */
    ignoreMetrics: z.array(z.string()),
    /** Lint only these metrics (as printed); the first also names a bare list's series (`--metric`). */
    metrics: z.array(z.string()),
    /** Read inputs as this format instead of sniffing (`--input-format`; from the readers table). */
    inputFormat: z.enum(INPUT_FORMATS as [string, ...string[]]),
    /** What the log cannot say about the run (same as the context flags). */
    context: Hints,
    /** Lowest severity that makes the exit code 1. */
    failOn: z.enum(['error', 'warning', 'info', 'never']),
    /** More warnings than this makes the exit code 1. */
    maxWarnings: z.number().int().min(0),
    /** Report format. */
    format: z.enum(CONFIG_FORMATS),
  })
  .partial()
  .strict();
export type EpochlintConfig = z.infer<typeof EpochlintConfig>;

/** Where a loaded config came from, for the report and the outside-the-project warning. */
export interface ConfigSource {
  /** The file as given to `--config`, or relative to the working directory when discovered. */
  shown: string;
  /** Found by the upward search rather than named with `--config`. */
  discovered: boolean;
  /**
   * The file lies outside the project: not inside the nearest directory (from the working directory
   * up) that holds a `package.json` or `.git`, or, when there is none, not inside the working
   * directory. A config there (`/tmp/epochlint.config.json`) may have been left by anyone.
   */
  outsideProject: boolean;
  /** The project directory it was compared with (absolute). */
  projectRoot: string;
}

/** A config as loaded: where it came from (absolute; `null` when none) and its validated content. */
export interface LoadedConfig {
  path: string | null;
  source: ConfigSource | null;
  config: EpochlintConfig;
}

/** What is at a path, as config discovery needs to know it. */
export type EntryKind = 'file' | 'directory' | 'other' | 'missing';

/** The only filesystem access of this module; tests may wrap the real one. */
export interface ConfigFileSystem {
  /** What is at `path` (links followed). */
  kind(path: string): EntryKind;
  /**
   * The text of a regular file of at most {@link MAX_CONFIG_BYTES}, or why it was not read (`no such
   * file`, `is a directory`, `is a named pipe, not a config file`, `larger than 1 MiB`).
   */
  readText(path: string): { ok: true; text: string } | { ok: false; reason: string };
}

/** A config is a few keys; a larger file is refused unread rather than parsed (the probe's 58 MB). */
export const MAX_CONFIG_BYTES = 1 << 20;

/** At most this many problem lines are printed for one config, then `... and N more`. */
export const MAX_CONFIG_PROBLEMS = 20;

/** The real filesystem. */
export const NODE_FILE_SYSTEM: ConfigFileSystem = {
  kind(file) {
    try {
      const info = statSync(file, { throwIfNoEntry: false });
      if (info === undefined) return 'missing';
      return info.isFile() ? 'file' : info.isDirectory() ? 'directory' : 'other';
    } catch {
      return 'missing';
    }
  },
  readText(file) {
    // O_NONBLOCK: a named pipe must not block the open (a pool thread stuck in open() keeps the
    // process from exiting); the descriptor itself is then checked, so no swap can slip in between
    let fd: number;
    try {
      fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0));
    } catch (error) {
      return { ok: false, reason: describeReadError(error) };
    }
    try {
      const info = fstatSync(fd);
      if (info.isDirectory()) return { ok: false, reason: 'is a directory' };
      if (!info.isFile()) return { ok: false, reason: `is ${describeKind(info)}, not a config file` };
      if (info.size > MAX_CONFIG_BYTES) return { ok: false, reason: CONFIG_TOO_LARGE };
      // read at most one byte past the cap: a file that grows (or lies about its size) is still bounded;
      // not zero-filled (only the bytes read are used), so the pages past a small file are never touched
      const buffer = Buffer.allocUnsafe(MAX_CONFIG_BYTES + 1);
      let filled = 0;
      for (;;) {
        const n = readSync(fd, buffer, filled, buffer.length - filled, null);
        if (n === 0) break;
        filled += n;
        if (filled > MAX_CONFIG_BYTES) return { ok: false, reason: CONFIG_TOO_LARGE };
      }
      return { ok: true, text: buffer.toString('utf8', 0, filled) };
    } catch (error) {
      return { ok: false, reason: describeReadError(error) };
    } finally {
      closeSync(fd);
    }
  },
};

const CONFIG_TOO_LARGE = `larger than ${MAX_CONFIG_BYTES >> 20} MiB: not a config file`;

function describeKind(info: Stats): string {
  if (info.isFIFO()) return 'a named pipe';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

function describeReadError(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown error';
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENXIO':
      return 'is a socket, not a config file';
    default:
      return `cannot be read (${code})`;
  }
}

/**
 * The config file that applies in `cwd`: the first of `CONFIG_FILE_NAMES` found in `cwd` or the
 * nearest ancestor that has one, up to the filesystem root; `null` when there is none. A
 * `package.json` without an `"epochlint"` key is skipped; one that is not valid JSON counts when its
 * text mentions `"epochlint"`, so that `loadConfig` reports its syntax error instead of ignoring it.
 * An `epochlint.config.json` or `.epochlintrc.json` that is not a regular file (a directory, a named
 * pipe) is found too, so that loading it is an error rather than a silent skip.
 */
export function findConfigFile(cwd: string, fs: ConfigFileSystem = NODE_FILE_SYSTEM): string | null {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const file = path.join(dir, name);
      const kind = fs.kind(file);
      if (kind === 'missing') continue;
      if (name !== 'package.json') return file;
      if (kind === 'file' && packageHasConfig(fs, file)) return file;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Files and folders that mark a project's root directory. */
const PROJECT_MARKERS = ['package.json', '.git'] as const;

/**
 * The project `cwd` belongs to: the nearest directory from `cwd` up that holds a `package.json` or a
 * `.git` (a folder, or a file in a git worktree); `cwd` itself when there is none.
 */
export function findProjectRoot(cwd: string, fs: ConfigFileSystem = NODE_FILE_SYSTEM): string {
  const start = path.resolve(cwd);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (PROJECT_MARKERS.some((name) => fs.kind(path.join(dir, name)) !== 'missing')) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

function isInside(file: string, directory: string): boolean {
  const rel = path.relative(directory, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function packageHasConfig(fs: ConfigFileSystem, file: string): boolean {
  const read = fs.readText(file);
  if (!read.ok) return false;
  const parsed = parseJson(read.text);
  if (!parsed.ok) return read.text.includes(`"${PACKAGE_KEY}"`);
  return isPlainObject(parsed.value) && Object.hasOwn(parsed.value, PACKAGE_KEY);
}

/** The outcome of `loadConfig`: the config, or one line per problem. */
export type LoadConfigResult = { ok: true; loaded: LoadedConfig } | { ok: false; problems: string[] };

/**
 * Loads the config: none with `noConfig`; exactly `configPath` (relative to `cwd`; a `package.json`
 * contributes its `"epochlint"` key) when given; else the discovered file. Problems name the file as
 * given (or relative to `cwd` when discovered) and are one line each. Never throws.
 */
export function loadConfig(options: {
  cwd: string;
  configPath?: string;
  noConfig?: boolean;
  fs?: ConfigFileSystem;
}): LoadConfigResult {
  const fs = options.fs ?? NODE_FILE_SYSTEM;
  const none: LoadConfigResult = { ok: true, loaded: { path: null, source: null, config: {} } };
  if (options.noConfig === true) return none;
  let file: string;
  let shown: string;
  if (options.configPath !== undefined) {
    if (options.configPath.length === 0) return { ok: false, problems: ['--config: needs a file name'] };
    file = path.resolve(options.cwd, options.configPath);
    shown = options.configPath;
  } else {
    const found = findConfigFile(options.cwd, fs);
    if (found === null) return none;
    file = found;
    shown = path.relative(path.resolve(options.cwd), found) || found;
  }
  const projectRoot = findProjectRoot(options.cwd, fs);
  const source: ConfigSource = {
    shown,
    discovered: options.configPath === undefined,
    outsideProject: !isInside(file, projectRoot),
    projectRoot,
  };
  const read = fs.readText(file);
  if (!read.ok) return { ok: false, problems: [`${shown}: ${read.reason}`] };
  const parsed = parseJson(read.text);
  if (!parsed.ok) {
    return { ok: false, problems: [`${shown}: line ${parsed.line}: invalid JSON: ${parsed.message}`] };
  }
  let content = parsed.value;
  const prefix: PropertyKey[] = [];
  if (path.basename(file) === 'package.json') {
    if (!isPlainObject(content) || !Object.hasOwn(content, PACKAGE_KEY)) {
      return { ok: false, problems: [`${shown}: no "${PACKAGE_KEY}" key`] };
    }
    content = content[PACKAGE_KEY];
    prefix.push(PACKAGE_KEY);
  }
  const result = EpochlintConfig.safeParse(content, CHECK);
  if (!result.success) {
    const collected: Collected = { problems: [], more: 0 };
    for (const issue of result.error.issues) describeIssue(issue, [], content, collected);
    const problems = collected.problems.map((p) => formatProblem(shown, [...prefix, ...p.path], p.text));
    if (collected.more > 0) problems.push(`${shown}: ... and ${collected.more} more problem(s)`);
    return { ok: false, problems };
  }
  return { ok: true, loaded: { path: file, source, config: result.data } };
}

/** The config's rules as the detector runner takes them (`"off"` → `{ severity: 'off' }`). */
export function toRuleSettings(config: EpochlintConfig): Record<string, RuleSetting> {
  const settings: Record<string, RuleSetting> = {};
  for (const [id, value] of Object.entries(config.rules ?? {})) {
    if (value === undefined) continue;
    if (typeof value === 'string') {
      settings[id] = { severity: value };
      continue;
    }
    const setting: RuleSetting = {};
    if (value.severity !== undefined) setting.severity = value.severity;
    if (value.options !== undefined) setting.options = value.options;
    settings[id] = setting;
  }
  return settings;
}

// ---------------------------------------------------------------------------------------------
// Problems

interface Problem {
  path: PropertyKey[];
  text: string;
}

function formatProblem(file: string, at: PropertyKey[], text: string): string {
  return at.length === 0 ? `${file}: ${text}` : `${file}: ${formatPath(at)}: ${text}`;
}

/** `rules.val-alternation.options.alpha`, `ignoreMetrics[2]`, `rules["a b"]`. */
export function formatPath(at: readonly PropertyKey[]): string {
  let out = '';
  for (const key of at) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$-]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** Problems described so far, and how many more were found but not described (the cap). */
interface Collected {
  problems: Problem[];
  more: number;
}

/**
 * One zod issue as problem lines into `out`; `base` is the issue's context path (inside a union
 * branch). Past {@link MAX_CONFIG_PROBLEMS} problems are only counted: a config with 200k unknown keys
 * costs a count, not 200k suggestions.
 */
function describeIssue(issue: z.core.$ZodIssue, base: PropertyKey[], root: unknown, out: Collected): void {
  const room = (): number => MAX_CONFIG_PROBLEMS - out.problems.length;
  if (issue.code === 'unrecognized_keys') {
    const at = [...base, ...issue.path];
    const shown = issue.keys.slice(0, Math.max(0, room()));
    for (const key of shown) out.problems.push({ path: [...at, key], text: describeUnknownKey(at, key) });
    out.more += issue.keys.length - shown.length;
    return;
  }
  if (issue.code === 'invalid_union') {
    // the branch that accepted the value's type (issues only below it) says what is wrong inside
    const branch = issue.errors.find((errors) =>
      errors.every((e) => e.path.length > 0 || e.code === 'unrecognized_keys'),
    );
    if (branch !== undefined) {
      for (const e of branch) describeIssue(e, [...base, ...issue.path], root, out);
      return;
    }
  }
  if (room() <= 0) {
    out.more += 1;
    return;
  }
  out.problems.push(describeOne(issue, [...base, ...issue.path], root));
}

function describeOne(issue: z.core.$ZodIssue, at: PropertyKey[], root: unknown): Problem {
  const found = valueAt(root, at);
  const got = `got ${describeValue(found)}`;
  switch (issue.code) {
    case 'invalid_type':
      return { path: at, text: `expected ${typeName(issue.expected)}, ${got}` };
    case 'invalid_value': {
      const text = `expected ${listOr(issue.values.map((v) => JSON.stringify(v)))}, ${got}`;
      const suggestion =
        typeof found === 'string'
          ? suggest(
              found,
              issue.values.filter((v) => typeof v === 'string'),
            )
          : null;
      return { path: at, text: suggestion === null ? text : `${text}; did you mean "${suggestion}"?` };
    }
    case 'too_small':
    case 'too_big':
      return { path: at, text: `expected ${describeBound(issue)}, ${got}` };
    default:
      return { path: at, text: `${issue.message.replace(/^Invalid input: /, '')}, ${got}` };
  }
}

function typeName(expected: string): string {
  switch (expected) {
    case 'int':
      return 'integer';
    case 'object':
      return 'object';
    default:
      return expected;
  }
}

function describeBound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const limit = String(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
    const op = small ? (issue.inclusive === false ? '>' : '>=') : issue.inclusive === false ? '<' : '<=';
    return `number ${op} ${limit}`;
  }
  const unit = issue.origin === 'string' ? 'character' : 'item';
  const n = Number(limit);
  return `${small ? 'at least' : 'at most'} ${limit} ${unit}${n === 1 ? '' : 's'}`;
}

function describeUnknownKey(at: readonly PropertyKey[], key: string): string {
  const known = knownKeys(at);
  const what =
    at.length === 1 && at[0] === 'rules'
      ? 'unknown rule'
      : at.at(-1) === 'options'
        ? 'unknown option'
        : 'unknown key';
  const suggestion = suggest(key, known);
  if (suggestion !== null) return `${what}; did you mean "${suggestion}"?`;
  if (known.length === 0) return `${what}; this object takes no keys`;
  return `${what}; expected one of ${known.join(', ')}`;
}

/** The keys the schema allows at a path (for suggestions). */
function knownKeys(at: readonly PropertyKey[]): string[] {
  const [first, second, third] = at;
  if (at.length === 0) return Object.keys(EpochlintConfig.shape);
  if (at.length === 1 && first === 'context') return Object.keys(Hints.shape);
  if (at.length === 1 && first === 'rules') return DETECTORS.map((d) => d.id);
  if (first !== 'rules' || typeof second !== 'string') return [];
  if (at.length === 2) return ['severity', 'options'];
  const options = findDetector(second)?.options;
  if (at.length === 3 && third === 'options' && options instanceof z.ZodObject)
    return Object.keys(options.shape);
  return [];
}

function valueAt(root: unknown, at: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of at) {
    if (typeof value !== 'object' || value === null || typeof key === 'symbol') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/** A found value for a message: JSON when short, else its kind. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string' && value.length > 40) return `${JSON.stringify(value.slice(0, 37))}…`;
  const json = JSON.stringify(value);
  if (json !== undefined && json.length <= 40) return json;
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  if (typeof value === 'object' && value !== null) return 'an object';
  return typeof value === 'function' ? 'a function' : typeof value;
}

function listOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`;
}

/**
 * The closest candidate to a misspelt name, or null: the same name up to case and `-`/`_`, a
 * candidate it is a prefix of (`warn` → `warning`), or one within a small edit distance.
 */
export function suggest(name: string, candidates: readonly string[]): string | null {
  const norm = (s: string): string => s.toLowerCase().replace(/[-_]/g, '');
  const wanted = norm(name);
  if (wanted === '') return null;
  let best: string | null = null;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of [...candidates].sort()) {
    const c = norm(candidate);
    let score: number;
    if (c === wanted) score = 0;
    else if (wanted.length >= 3 && c.startsWith(wanted)) score = 1;
    // the distance is at least the difference in length: no need to align a 1 MB key with a rule id
    else if (Math.abs(wanted.length - c.length) > 3) score = Infinity;
    else {
      const d = editDistance(wanted, c);
      score = d <= Math.min(3, Math.max(1, Math.floor(Math.max(wanted.length, c.length) / 4))) ? d : Infinity;
    }
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function editDistance(a: string, b: string): number {
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      row.push(d);
    }
    prev2 = prev;
    prev = row;
  }
  return prev[b.length] ?? 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// JSON

/** Parses JSON text (a leading BOM allowed); on a syntax error, its 1-based line and what was wrong. */
export function parseJson(
  text: string,
): { ok: true; value: unknown } | { ok: false; line: number; message: string } {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (error) {
    // V8's messages differ between Node versions and often lack a position; locate the error ourselves
    const located = findJsonSyntaxError(body);
    if (located !== null) return { ok: false, line: lineAt(body, located.offset), message: located.message };
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message)?.[1];
    return { ok: false, line: position === undefined ? 1 : lineAt(body, Number(position)), message };
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

type Token =
  | { kind: 'eof'; start: number; end: number }
  | { kind: 'punct'; char: string; start: number; end: number }
  | { kind: 'value'; what: string; start: number; end: number }
  | { kind: 'other'; what: string; start: number; end: number }
  | { kind: 'error'; message: string; start: number; end: number };

type State = 'value' | 'array-first' | 'array-next' | 'object-first' | 'key' | 'colon' | 'after';

/**
 * The first syntax error of a JSON text, or null when it is valid. A linear state machine with an
 * explicit stack (no recursion, so deep nesting cannot overflow).
 */
export function findJsonSyntaxError(text: string): { offset: number; message: string } | null {
  const stack: string[] = [];
  let state: State = 'value';
  let i = 0;
  for (;;) {
    const token = readToken(text, i);
    if (token.kind === 'error') return { offset: token.start, message: token.message };
    const fail = (expected: string): { offset: number; message: string } => ({
      offset: token.start,
      message: `expected ${expected}, found ${describeToken(token)}`,
    });
    const punct = token.kind === 'punct' ? token.char : null;
    i = token.end;
    switch (state) {
      case 'value':
      case 'array-first':
      case 'array-next':
        if (state === 'array-first' && punct === ']') {
          stack.pop();
          state = 'after';
        } else if (state === 'array-next' && punct === ']') {
          return { offset: token.start, message: 'trailing comma before "]"' };
        } else if (token.kind === 'value') {
          state = 'after';
        } else if (punct === '{' || punct === '[') {
          stack.push(punct);
          state = punct === '{' ? 'object-first' : 'array-first';
        } else {
          return fail(state === 'array-first' ? 'a value or "]"' : 'a value');
        }
        break;
      case 'object-first':
      case 'key':
        if (state === 'object-first' && punct === '}') {
          stack.pop();
          state = 'after';
        } else if (state === 'key' && punct === '}') {
          return { offset: token.start, message: 'trailing comma before "}"' };
        } else if (token.kind === 'value' && token.what === 'a string') {
          state = 'colon';
        } else {
          return fail(
            state === 'object-first'
              ? 'a property name in double quotes or "}"'
              : 'a property name in double quotes',
          );
        }
        break;
      case 'colon':
        if (punct !== ':') return fail('":" after the property name');
        state = 'value';
        break;
      case 'after': {
        const open = stack.at(-1);
        if (open === undefined) {
          if (token.kind === 'eof') return null;
          return {
            offset: token.start,
            message: `unexpected ${describeToken(token)} after the end of the JSON value`,
          };
        }
        const close = open === '{' ? '}' : ']';
        if (punct === close) {
          stack.pop();
        } else if (punct === ',') {
          state = open === '{' ? 'key' : 'array-next';
        } else {
          return fail(`"," or "${close}"`);
        }
        break;
      }
    }
  }
}

function describeToken(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'end of file';
    case 'punct':
      return JSON.stringify(token.char);
    case 'value':
    case 'other':
      return token.what;
    case 'error':
      return token.message;
  }
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isWordChar = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || isDigit(c) || c === 95 || c === 36;

function readToken(text: string, from: number): Token {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const start = i;
  if (i >= text.length) return { kind: 'eof', start, end: i };
  const ch = text.charAt(i);
  const code = text.charCodeAt(i);
  if ('{}[]:,'.includes(ch)) return { kind: 'punct', char: ch, start, end: i + 1 };
  if (ch === '"') return readString(text, start);
  if (ch === '-' || isDigit(code)) return readNumber(text, start);
  if (isWordChar(code)) {
    let end = i;
    while (end < text.length && isWordChar(text.charCodeAt(end))) end++;
    const word = text.slice(start, end);
    if (word === 'true' || word === 'false' || word === 'null')
      return { kind: 'value', what: word, start, end };
    return {
      kind: 'other',
      what: JSON.stringify(word.length > 20 ? `${word.slice(0, 20)}…` : word),
      start,
      end,
    };
  }
  if (ch === '/' && (text.charAt(i + 1) === '/' || text.charAt(i + 1) === '*')) {
    return { kind: 'other', what: 'a comment (JSON has no comments)', start, end: i + 2 };
  }
  if (ch === "'")
    return { kind: 'other', what: 'a single quote (JSON strings use double quotes)', start, end: i + 1 };
  return {
    kind: 'other',
    what: JSON.stringify(String.fromCodePoint(text.codePointAt(i) ?? code)),
    start,
    end: i + 1,
  };
}

function readString(text: string, start: number): Token {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) return { kind: 'value', what: 'a string', start, end: i + 1 };
    if (c === 10 || c === 13)
      return { kind: 'error', message: 'line break inside a string', start: i, end: i };
    if (c < 32) return { kind: 'error', message: 'control character inside a string', start: i, end: i };
    if (c === 92) {
      const e = text.charAt(i + 1);
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          return { kind: 'error', message: 'invalid \\u escape in a string', start: i, end: i };
        }
        i += 6;
        continue;
      }
      if (!'"\\/bfnrt'.includes(e) || e === '') {
        return { kind: 'error', message: `invalid escape "\\${e}" in a string`, start: i, end: i };
      }
      i += 2;
      continue;
    }
    i++;
  }
  return { kind: 'error', message: 'unterminated string', start, end: start };
}

function readNumber(text: string, start: number): Token {
  let i = start;
  const digits = (): number => {
    const from = i;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    return i - from;
  };
  const invalid = (): Token => {
    let end = i;
    while (end < text.length && (isWordChar(text.charCodeAt(end)) || '.+-'.includes(text.charAt(end)))) end++;
    return { kind: 'error', message: `invalid number ${JSON.stringify(text.slice(start, end))}`, start, end };
  };
  if (text.charAt(i) === '-') i++;
  if (text.charAt(i) === '0') {
    i++;
    if (isDigit(text.charCodeAt(i))) return invalid();
  } else if (digits() === 0) {
    return invalid();
  }
  if (text.charAt(i) === '.') {
    i++;
    if (digits() === 0) return invalid();
  }
  if (text.charAt(i) === 'e' || text.charAt(i) === 'E') {
    i++;
    if (text.charAt(i) === '+' || text.charAt(i) === '-') i++;
    if (digits() === 0) return invalid();
  }
  if (i < text.length && isWordChar(text.charCodeAt(i))) return invalid();
  return { kind: 'value', what: 'a number', start, end: i };
}

/** The config keys, for the README (`--config`, `--no-config` and discovery included). */
export const CONFIG_DOC = `## Configuration

epochlint reads one JSON config file. Without \`--config\`, it looks in the working directory and then in
each parent directory up to the filesystem root, and uses the first directory that has one of (in this
order) \`epochlint.config.json\`, \`.epochlintrc.json\`, or a \`package.json\` with an \`"epochlint"\` key (a
\`package.json\` without the key is skipped; an \`epochlint.config.json\` or \`.epochlintrc.json\` that is a
directory or a named pipe is an error). \`--config <file>\` uses exactly that file (for a \`package.json\`,
its \`"epochlint"\` key); \`--no-config\` uses none. Command-line flags override the file. A config must be a
regular file of at most 1 MiB.

The report names the config used (\`config:\` in the text header, \`"config"\` in the JSON); one found above
the project (the nearest \`package.json\` or \`.git\` from the working directory up) is marked
\`(outside the project)\` and announced with a warning.

Every key is optional; unknown keys, unknown rule ids and invalid values are errors (exit code 2), reported
one per line as \`<file>: <key path>: expected ..., got ...\`; after 20 lines the rest are counted.

| Key | Value | Default |
|---|---|---|
| \`rules\` | object: rule id → \`"error"\`, \`"warning"\`, \`"info"\` or \`"off"\`, or \`{ "severity": ..., "options": { ... } }\`; options are the rule's own (see \`epochlint explain <id>\`) | each rule at its default severity and options |
| \`ignoreMetrics\` | array of metric names as printed (\`"lr"\`, \`"val_lr"\`) that no rule looks at (\`--ignore-metric\`) | \`[]\` |
| \`metrics\` | array of metric names as printed: lint only these (\`--metric\`); the first names a bare list of values | all metrics |
| \`inputFormat\` | \`"auto"\` or an input format of \`--input-format\` (\`"epoch-lines"\`, \`"lightning-csv"\`, ...) | \`"auto"\` |
| \`context\` | what the log cannot say: \`valSamples\`, \`valBatchSize\`, \`valSteps\`, \`trainSamples\`, \`batchSize\`, \`stepsPerEpoch\` (positive integers), \`valClassCounts\` (array of counts), \`valShuffle\`, \`batchnorm\` (booleans), \`valData\` (\`"generator"\`, \`"sequence"\`, \`"dataset"\`, \`"arrays"\`), \`kerasVersion\` (string), \`workers\` (positive integer); the same as the context flags | nothing known |
| \`failOn\` | \`"error"\`, \`"warning"\`, \`"info"\` or \`"never"\`: lowest severity that makes the exit code 1 (\`--fail-on\`) | \`"error"\` |
| \`maxWarnings\` | integer ≥ 0: more warnings than this makes the exit code 1 (\`--max-warnings\`) | no limit |
| \`format\` | \`"text"\`, \`"json"\`, \`"markdown"\`, \`"github"\`, \`"junit"\` or \`"sarif"\` (\`--format\`) | \`"text"\` |

\`\`\`json
{
  "rules": {
    "val-alternation": "warning",
    "plateau": "off",
    "overfitting": { "severity": "error", "options": { "minEpochs": 6 } }
  },
  "ignoreMetrics": ["val_lr", "lr"],
  "context": { "valBatchSize": 16, "valSteps": 325, "batchnorm": false },
  "failOn": "error",
  "maxWarnings": 10,
  "format": "text"
}
\`\`\`
`;
