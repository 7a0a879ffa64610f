#!/usr/bin/env node
// `npm run bench`: every figure of issue 11, in one run and on the same files, each beside what it is
// compared with (runs of the two sides alternate, so a machine that speeds up or slows down during the
// run affects both alike; the figure is the median over the runs, and a ratio the median of the ratios
// of the pairs):
// - start-up: `epochlint --version` against a bare `node -e 0` (CPU time), target under 1.5x;
// - the founding case linted, against the same bare start, target under 2.5x;
// - `epochlint parse` of the bench log (~520 MB of verbose=1 output with backspace-redrawn frames) in
//   MB/s against the Python regex script of a practitioner (bench/peer_regex.py, at least 2.5x) and a
//   plain streamed read by Node (within 1.6x);
// - the lint of that log against its parse (within 2x);
// - peak RSS of parse and lint at 1 MB, ~520 MB and 1 GB (under 100 MB);
// - folders of 10, 1000 and 10,000 small logs: peak RSS (flat), time per file (linear), and the
//   speed-up of `--jobs 2` over `--jobs 1` on 1000 files (at least 1.6x on two cores), beside what two
//   processes get from this machine at that moment (a host that shares its cores bounds the speed-up).
// CPU time and peak RSS are the process's own (`process.resourceUsage()` at exit, all threads, the
// figures /usr/bin/time prints), read by a preloaded probe (usage-probe.cjs) that a bare node pays too.
//
// Environment: EPOCHLINT_BENCH_BIN=path/to/bin/epochlint.js measures another build (a checkout of an
// older commit, for a before/after table); EPOCHLINT_BENCH_MB (default 520) the size of the bench log;
// EPOCHLINT_BENCH_FOLDERS (default 10,1000,10000) the folder sizes; EPOCHLINT_BENCH_RUNS (default 5)
// the pairs of the start-up figures; EPOCHLINT_BENCH_PARTS (default startup,scale,sweeps) the parts to run.
import { spawn, spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const dataDir = fileURLToPath(new URL('./.data/', import.meta.url));
const BIN = process.env.EPOCHLINT_BENCH_BIN ?? join(root, 'bin', 'epochlint.js');
const PROBE = fileURLToPath(new URL('./usage-probe.cjs', import.meta.url));
const PEER = fileURLToPath(new URL('./peer_regex.py', import.meta.url));
const SEED = join(root, 'fixtures', 'real', 'crossvalidated-416172.txt');
const BENCH_MB = Number(process.env.EPOCHLINT_BENCH_MB ?? 520);
const FOLDERS = (process.env.EPOCHLINT_BENCH_FOLDERS ?? '10,1000,10000').split(',').map(Number);
const RUNS = Number(process.env.EPOCHLINT_BENCH_RUNS ?? 5);
const PARTS = new Set((process.env.EPOCHLINT_BENCH_PARTS ?? 'startup,scale,sweeps').split(','));
const STEPS_PER_EPOCH = 1000;
const usageFile = join(tmpdir(), `epochlint-bench-usage-${process.pid}.json`);
const devNull = openSync('/dev/null', 'w');

// ---------------------------------------------------------------------------------------------------
// Inputs

function bar(done, total) {
  const p = Math.floor((30 * done) / total);
  if (done >= total) return `[${'='.repeat(30)}]`;
  return `[${p > 0 ? '='.repeat(p - 1) + '>' : ''}${'.'.repeat(30 - p)}]`;
}

/** One epoch as Keras writes it to a file: header, \b-and-\r redrawn frames, the final line. */
function epochText(epoch, epochs) {
  const parts = [`Epoch ${epoch}/${epochs}\n`];
  let prev = 0;
  const loss = (1 / (epoch + 1)).toFixed(4);
  for (let step = 1; step <= STEPS_PER_EPOCH; step += 1) {
    const eta = Math.round((STEPS_PER_EPOCH - step) * 0.004);
    const frame = `${String(step).padStart(4)}/${STEPS_PER_EPOCH} ${bar(step, STEPS_PER_EPOCH)} - ETA: ${eta}s - loss: ${loss} - accuracy: 0.${String(5000 + (step % 4000)).padStart(4, '0')}`;
    parts.push('\b'.repeat(prev), '\r', frame);
    prev = frame.length;
  }
  const last = `${STEPS_PER_EPOCH}/${STEPS_PER_EPOCH} ${bar(STEPS_PER_EPOCH, STEPS_PER_EPOCH)} - 4s 4ms/step - loss: ${loss} - accuracy: 0.9000 - val_loss: ${(0.5 + (epoch % 2) / 10).toFixed(4)} - val_accuracy: 0.8500`;
  parts.push('\b'.repeat(prev), '\r', last, '\n');
  return parts.join('');
}

/** A verbose=1 log of at least `mb` MB (generated once, kept in bench/.data). */
async function verboseLog(name, mb) {
  const file = join(dataDir, name);
  const bytes = mb * 1024 * 1024;
  if (existsSync(file) && statSync(file).size >= bytes) return file;
  mkdirSync(dataDir, { recursive: true });
  const epochs = Math.ceil(bytes / Buffer.byteLength(epochText(1, 1)));
  const out = createWriteStream(file);
  for (let e = 1; e <= epochs; e += 1) {
    if (!out.write(epochText(e, epochs))) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve) => out.end(resolve));
  return file;
}

/** A deterministic generator (mulberry32), so the folders are the same on every machine. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One run of a sweep: a verbose=2 Keras log of 20 to 80 epochs, a decaying loss with noise; one run in
 * four alternates on the validation side, one in eight over-fits, so the detectors and the diagnosis
 * have work in every file.
 */
function sweepLog(index) {
  const rng = random(index + 1);
  const epochs = 20 + Math.floor(rng() * 61);
  const alternates = index % 4 === 0;
  const overfits = index % 8 === 3;
  const lines = [`Found ${2000 + index} images belonging to 4 classes.`];
  for (let e = 1; e <= epochs; e += 1) {
    const trend = 0.3 + 0.7 * Math.exp(-e / (epochs / 4));
    const loss = trend * 0.8 + (rng() - 0.5) * 0.02;
    let val = trend + (rng() - 0.5) * 0.04;
    if (alternates) val += e % 2 === 0 ? 0.08 : -0.08;
    if (overfits && e > epochs / 2) val += (e - epochs / 2) * 0.01;
    const acc = 1 - loss / 1.5;
    const valAcc = 1 - val / 1.5;
    lines.push(`Epoch ${e}/${epochs}`);
    lines.push(
      `63/63 - 12s - loss: ${loss.toFixed(4)} - accuracy: ${acc.toFixed(4)} - val_loss: ${val.toFixed(4)} - val_accuracy: ${valAcc.toFixed(4)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function sweepFolder(count) {
  const folder = join(dataDir, `sweep-${count}`);
  const marker = join(folder, '.complete');
  if (existsSync(marker)) return folder;
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < count; i += 1) {
    writeFileSync(join(folder, `run-${String(i).padStart(5, '0')}.log`), sweepLog(i));
  }
  writeFileSync(marker, '');
  return folder;
}

// ---------------------------------------------------------------------------------------------------
// Measuring

/** Runs `command args` once: wall seconds, and for Node commands the CPU seconds and peak RSS. */
function measure(command, args, { node = true, cwd = root } = {}) {
  rmSync(usageFile, { force: true });
  const argv = node ? ['-r', PROBE, ...args] : args;
  const start = process.hrtime.bigint();
  const child = spawnSync(node ? process.execPath : command, argv, {
    cwd,
    env: { ...process.env, EPOCHLINT_BENCH_USAGE: usageFile, NO_COLOR: '1' },
    stdio: ['ignore', devNull, 'pipe'],
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (child.error !== undefined) throw child.error;
  // 0 clean, 1 findings; anything else is a failed measurement
  if (child.status !== 0 && child.status !== 1) {
    throw new Error(
      `${[command, ...args].join(' ')} exited with ${child.status}: ${child.stderr.slice(0, 500)}`,
    );
  }
  const usage = node && existsSync(usageFile) ? JSON.parse(readFileSync(usageFile, 'utf8')) : null;
  return { wall, cpu: usage?.cpu ?? NaN, rssMb: usage === null ? NaN : usage.maxRssKb / 1024 };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * `a` and `b` in turn, `runs` times each after one of each not counted; the medians of each figure and
 * the median of the per-pair ratios a/b of `key`.
 */
function paired(a, b, runs, key) {
  a();
  b();
  const as = [];
  const bs = [];
  for (let i = 0; i < runs; i += 1) {
    as.push(a());
    bs.push(b());
  }
  const med = (list) => ({
    wall: median(list.map((m) => m.wall)),
    cpu: median(list.map((m) => m.cpu)),
    rssMb: Math.max(...list.map((m) => m.rssMb)),
  });
  return { a: med(as), b: med(bs), ratio: median(as.map((m, i) => m[key] / bs[i][key])) };
}

/**
 * What two cores give on this machine right now: the same CPU-bound loop in one process, then in two
 * at once; the ratio of the work done per second (2.0 on two free cores; less when the host shares them,
 * which bounds any --jobs speed-up measured beside it).
 */
async function parallelThroughput() {
  const loop = 'let x = 0; for (let i = 0; i < 2e8; i += 1) x += i % 7; if (x < 0) console.log(x);';
  const once = () =>
    new Promise((resolve, reject) => {
      const start = process.hrtime.bigint();
      const child = spawn(process.execPath, ['-e', loop], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('close', () => resolve(Number(process.hrtime.bigint() - start) / 1e9));
    });
  const one = median([await once(), await once(), await once()]);
  const pairs = [];
  for (let i = 0; i < 3; i += 1) pairs.push(Math.max(...(await Promise.all([once(), once()]))));
  return { one, two: median(pairs), ratio: (2 * one) / median(pairs) };
}

// ---------------------------------------------------------------------------------------------------
// The table

const rows = [];
function row(figure, value, target, ok) {
  rows.push({ figure, value, target, mark: ok === null ? '' : ok ? 'ok' : 'MISSED' });
  const r = rows.at(-1);
  process.stdout.write(`${r.figure.padEnd(50)} ${r.value.padEnd(44)} ${r.target.padEnd(12)} ${r.mark}\n`);
}
const s = (x) => `${x.toFixed(x < 1 ? 3 : 2)} s`;
const x = (r) => `${r.toFixed(2)}x`;
const mbps = (mb, seconds) => `${(mb / seconds).toFixed(0)} MB/s`;

const epochlint =
  (...args) =>
  () =>
    measure(null, [BIN, ...args]);
const bareNode = () => measure(null, ['-e', '0']);

process.stdout.write(
  `epochlint bench: ${BIN}\nnode ${process.version}, ${cpus().length} cores; medians of paired runs (A and B in turn)\n\n`,
);
process.stdout.write(`${'figure'.padEnd(50)} ${'measured'.padEnd(44)} ${'target'.padEnd(12)}\n`);

// start-up and the founding case
if (PARTS.has('startup')) {
  const version = paired(epochlint('--version'), bareNode, RUNS, 'cpu');
  row(
    'start-up: --version / node -e 0 (CPU)',
    `${x(version.ratio)} (${s(version.a.cpu)} / ${s(version.b.cpu)})`,
    '< 1.5x',
    version.ratio < 1.5,
  );
  const help = paired(epochlint('--help'), bareNode, RUNS, 'cpu');
  row(
    'start-up: --help / node -e 0 (CPU)',
    `${x(help.ratio)} (${s(help.a.cpu)} / ${s(help.b.cpu)})`,
    '',
    null,
  );
  const seed = paired(epochlint(SEED), bareNode, RUNS, 'cpu');
  row(
    'founding case lint / node -e 0 (CPU)',
    `${x(seed.ratio)} (${s(seed.a.cpu)} / ${s(seed.b.cpu)})`,
    '< 2.5x',
    seed.ratio < 2.5,
  );
  row('founding case lint, wall', `${s(seed.a.wall)} (node -e 0: ${s(seed.b.wall)})`, '', null);
}

// parse and lint of the bench log
const PLAIN_READ = `let n = 0; for await (const c of (await import('node:fs')).createReadStream(process.argv[1], { highWaterMark: 1 << 20 })) n += c.length; console.log(n);`;
if (PARTS.has('scale')) {
  const log = await verboseLog(`bench-verbose1-${BENCH_MB}mb.log`, BENCH_MB);
  const mb = statSync(log).size / (1024 * 1024);
  const parse = epochlint('parse', log, '--format', 'csv');
  const peer = paired(parse, () => measure('python3', [PEER, log], { node: false }), 3, 'wall');
  row(
    `parse of ${mb.toFixed(0)} MB vs Python regex peer`,
    `${x(1 / peer.ratio)} faster (${mbps(mb, peer.a.wall)} / ${mbps(mb, peer.b.wall)})`,
    '>= 2.5x',
    1 / peer.ratio >= 2.5,
  );
  const read = paired(parse, () => measure(null, ['--input-type=module', '-e', PLAIN_READ, log]), 3, 'wall');
  row(
    `parse of ${mb.toFixed(0)} MB vs a plain read (wall)`,
    `${x(read.ratio)} (${s(read.a.wall)} / ${s(read.b.wall)}, ${mbps(mb, read.b.wall)})`,
    '<= 1.6x',
    read.ratio <= 1.6,
  );
  const lint = paired(epochlint(log), parse, 3, 'wall');
  row(
    `lint of ${mb.toFixed(0)} MB vs its parse (wall)`,
    `${x(lint.ratio)} (${s(lint.a.wall)} / ${s(lint.b.wall)})`,
    '<= 2x',
    lint.ratio <= 2,
  );
  const small = await verboseLog('bench-verbose1-1mb.log', 1);
  const large = await verboseLog('bench-verbose1-1024mb.log', 1024);
  for (const [label, file, known] of [
    ['1 MB', small, null],
    [`${mb.toFixed(0)} MB`, log, { parse: Math.max(peer.a.rssMb, read.a.rssMb), lint: lint.a.rssMb }],
    ['1 GB', large, null],
  ]) {
    const parseRss = known?.parse ?? epochlint('parse', file, '--format', 'csv')().rssMb;
    const lintRss = known?.lint ?? epochlint(file)().rssMb;
    row(
      `peak RSS at ${label}: parse, lint`,
      `${parseRss.toFixed(0)} MB, ${lintRss.toFixed(0)} MB`,
      '< 100 MB',
      parseRss < 100 && lintRss < 100,
    );
  }
}

// sweeps
if (PARTS.has('sweeps')) {
  // an older build (EPOCHLINT_BENCH_BIN) may have no --jobs: its sweeps run as it runs them
  const help = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' }).stdout;
  const jobs = (n) => (help.includes('--jobs') ? ['--jobs', String(n)] : []);
  const perFile = new Map();
  for (const count of FOLDERS) {
    const folder = sweepFolder(count);
    if (count === 1000) {
      const machine = await parallelThroughput();
      row(
        'this machine: 2 processes / 1 (CPU-bound loop)',
        `${x(machine.ratio)} the work per second (${s(machine.one)} alone, ${s(machine.two)} two at once)`,
        '2x if free',
        null,
      );
      // the speed-up: --jobs 2 and --jobs 1 in turn
      const pair = paired(epochlint(folder, ...jobs(2)), epochlint(folder, ...jobs(1)), 2, 'wall');
      perFile.set(count, pair.b.wall / count);
      row(
        `folder of ${count} logs, --jobs 1`,
        `${s(pair.b.wall)} (${((1000 * pair.b.wall) / count).toFixed(1)} ms/file), RSS ${pair.b.rssMb.toFixed(0)} MB`,
        'RSS flat',
        null,
      );
      row(
        `folder of ${count} logs, --jobs 2`,
        `${s(pair.a.wall)}, RSS ${pair.a.rssMb.toFixed(0)} MB: ${x(1 / pair.ratio)} faster`,
        '>= 1.6x',
        1 / pair.ratio >= 1.6,
      );
      continue;
    }
    const one = epochlint(folder, ...jobs(1))();
    perFile.set(count, one.wall / count);
    row(
      `folder of ${count} logs, --jobs 1`,
      `${s(one.wall)} (${((1000 * one.wall) / count).toFixed(1)} ms/file), RSS ${one.rssMb.toFixed(0)} MB`,
      'RSS flat',
      null,
    );
  }
  const largest = Math.max(...FOLDERS);
  if (perFile.has(1000) && largest > 1000) {
    const growth = perFile.get(largest) / perFile.get(1000);
    row(`time per file, ${largest} logs / 1000 logs`, x(growth), '~1x (linear)', growth < 1.3);
  }
}

rmSync(usageFile, { force: true });
