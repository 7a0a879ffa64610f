#!/usr/bin/env node
// The diagnosis measured on real trainings whose mechanism is known (`npm run lab [-- <dir>]`, issue 7).
// <dir> (default fixtures/lab) holds the logs and a manifest.json: one entry per file with its
// `mechanism` and `expected.period`, the shape of ../shared/lab-dev/. Every run is linted as the CLI
// would (code in the input read too) and scored on five figures, per mechanism and in total:
//   findings  the findings the lab README says a diagnosis should show (table below)
//   listed    the true cause is listed (neither `unlikely` nor `ruled-out`)
//   first     the true cause ranks first; a shared first place counts where the README calls two
//             mechanisms indistinguishable from a log, or where the first cause is epochlint's own sub-case
//             of the true one (extra validation draws: the rotating windows moved by s + w batches), and
//             the first cause says it is tied with the true one
//   training  a training-side finding where the mechanism moves the training curve
//   no-alt    no val-alternation error on a run whose manifest says it has no period
// `--verbose` prints every run's findings and first causes.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lintText } from '../dist/lint.js';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const dir = resolve(
  args.find((a) => !a.startsWith('--')) ?? new URL('../fixtures/lab/', import.meta.url).pathname,
);
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

const serious = (f) => f.severity === 'error' || f.severity === 'warning';
const has = (report, rule, test = () => true) => report.findings.some((f) => f.rule === rule && test(f));
const isError = (f) => f.severity === 'error';
const noError = (report) => !report.findings.some((f) => f.severity === 'error');
const noPeriod = (report) =>
  !report.findings.some((f) => (f.rule === 'val-alternation' || f.rule === 'val-periodic') && serious(f));

/** Detectors whose findings are about the training curve (the lab's "training-side finding"). */
const TRAINING_SIDE = new Set(['train-loss-jumps', 'train-oscillation', 'loss-divergence']);

/**
 * What the lab README's "what a diagnosis should say" asks of each mechanism: `findings(report, entry)`,
 * the true cause (null: none to name), the cause the README says a log cannot tell it from, and whether the
 * mechanism moves the training curve.
 */
const MECHANISMS = {
  healthy: { findings: (r) => noError(r) && noPeriod(r), cause: null },
  'slice-rotation-2': {
    findings: (r) =>
      has(r, 'val-alternation', (f) => f.severity === 'error' && f.stats.trainAlternates !== true),
    cause: 'validation-slice-rotation',
    // extra draws are the same rotating windows moved by s + w batches (epochlint's own sub-case of it)
    indistinguishable: ['weight-averaging-swap', 'extra-validation-draws'],
  },
  'slice-rotation-3': {
    findings: (r) =>
      has(r, 'val-periodic', (f) => serious(f) && f.stats.period === 3) &&
      !has(r, 'val-alternation', (f) => f.severity === 'error'),
    cause: 'validation-slice-rotation',
    indistinguishable: ['extra-validation-draws'],
  },
  'fixed-subset': { findings: (r) => noError(r) && noPeriod(r), cause: null },
  'batchnorm-stats': {
    findings: (r) => has(r, 'val-instability', serious) && noPeriod(r),
    cause: 'batchnorm-statistics',
  },
  'cyclic-lr': {
    findings: (r) =>
      has(r, 'val-alternation', (f) => f.severity === 'error') &&
      (has(r, 'train-oscillation', serious) ||
        has(r, 'val-alternation', (f) => f.severity === 'error' && f.stats.trainAlternates === true)),
    cause: 'cyclic-learning-rate',
    training: true,
  },
  'lr-too-high': {
    // irregular instability of training, and of validation with it: a validation-instability finding, or the
    // training-jump finding saying validation rises at the same epochs
    findings: (r) =>
      has(r, 'train-loss-jumps', serious) &&
      (has(r, 'val-instability', serious) ||
        has(r, 'train-loss-jumps', (f) => serious(f) && f.stats.valMoves === true)) &&
      noPeriod(r),
    cause: 'learning-rate-too-high',
    training: true,
  },
  overfitting: {
    findings: (r) =>
      has(r, 'overfitting', serious) && !has(r, 'val-alternation', (f) => f.severity === 'error'),
    cause: null,
  },
  'preprocessing-mismatch': {
    findings: (r) => has(r, 'val-stuck', serious),
    cause: 'preprocessing-mismatch',
  },
  'ema-swap': {
    findings: (r) =>
      has(r, 'val-alternation', (f) => f.severity === 'error' && f.stats.trainAlternates !== true),
    cause: 'weight-averaging-swap',
    indistinguishable: ['validation-slice-rotation'],
  },
  'heavy-dropout': { findings: (r) => has(r, 'val-better-than-train') && noError(r), cause: null },
  // mechanisms of the hold-out sets (their README's "what a diagnosis should say")
  'val-at-chance': {
    findings: (r) => has(r, 'val-stuck', serious),
    // "broken validation pipeline (labels or inputs)": the catalogue's cause for a validation pipeline that
    // does not show the model what it learned on
    cause: 'preprocessing-mismatch',
  },
  'augmented-validation': {
    findings: (r) => has(r, 'val-instability') && noPeriod(r) && !has(r, 'val-alternation', isError),
    cause: 'random-validation',
  },
  'shuffled-partial-validation': {
    findings: (r) => has(r, 'val-instability') && noPeriod(r) && !has(r, 'val-alternation', isError),
    cause: 'random-validation',
  },
  'tiny-validation': { findings: (r) => noError(r) && noPeriod(r), cause: null },
  'lr-step-decay': { findings: (r) => noError(r) && noPeriod(r), cause: null },
  'class-sorted-training': {
    findings: (r) =>
      has(r, 'val-alternation', isError) &&
      (has(r, 'train-oscillation', serious) ||
        has(r, 'val-alternation', (f) => isError(f) && f.stats.trainAlternates === true)),
    cause: 'class-sorted-training-data',
    training: true,
  },
  divergence: {
    findings: (r, entry) => {
      const first = entry.measured?.first_nonfinite_epoch ?? null;
      return r.findings.some(
        (f) =>
          (f.rule === 'loss-not-finite' || f.rule === 'loss-divergence') &&
          f.severity === 'error' &&
          (first === null || f.epochs[0] <= first),
      );
    },
    cause: null,
  },
};

const FIGURES = ['findings', 'listed', 'first', 'training', 'no-alt'];
const rows = new Map();
const tally = (mechanism, figure, ok) => {
  const row = rows.get(mechanism) ?? Object.fromEntries(FIGURES.map((f) => [f, [0, 0]]));
  row[figure][0] += ok ? 1 : 0;
  row[figure][1] += 1;
  rows.set(mechanism, row);
};

for (const entry of manifest) {
  // a mechanism this table does not know is still linted: only the figures that need no expectation count
  const known = MECHANISMS[entry.mechanism];
  if (known === undefined) {
    console.error(`lab: ${entry.file}: no expectation for mechanism '${entry.mechanism}' in bench/lab.mjs`);
  }
  const spec = known ?? { findings: null, cause: null };
  const report = await lintText(entry.file, readFileSync(join(dir, entry.file)));
  const diagnoses = report.diagnoses.filter((d) => d.run === 0);
  if (spec.findings !== null) tally(entry.mechanism, 'findings', spec.findings(report, entry));
  if (spec.cause !== null) {
    const mine = diagnoses.find((d) => d.cause === spec.cause);
    tally(entry.mechanism, 'listed', mine !== undefined && !['unlikely', 'ruled-out'].includes(mine.verdict));
    const top = diagnoses[0];
    const shared =
      top !== undefined &&
      (spec.indistinguishable ?? []).includes(top.cause) &&
      (top.tiedWith ?? []).includes(spec.cause);
    tally(entry.mechanism, 'first', top?.cause === spec.cause || shared);
  }
  if (spec.training === true) {
    tally(
      entry.mechanism,
      'training',
      report.findings.some((f) => serious(f) && TRAINING_SIDE.has(f.rule)),
    );
  }
  if ((entry.expected?.period ?? null) === null) {
    tally(entry.mechanism, 'no-alt', !has(report, 'val-alternation', (f) => f.severity === 'error'));
  }
  if (verbose) {
    console.log(`${entry.file} (${entry.mechanism})`);
    for (const f of report.findings)
      console.log(`  ${f.severity.padEnd(7)} ${f.rule} ${f.metric ?? ''} [${f.epochs}]`);
    for (const d of diagnoses.slice(0, 4)) {
      const score = typeof d.score === 'number' ? ` ${d.score.toFixed(2)}` : '';
      const tied = (d.tiedWith ?? []).length > 0 ? ` (tied with ${d.tiedWith.join(', ')})` : '';
      console.log(`  -> ${d.verdict.padEnd(9)} ${d.cause}${score}${tied}`);
    }
  }
}

const cell = ([k, n]) => (n === 0 ? '-' : `${k}/${n}`).padStart(7);
const width = Math.max(...[...rows.keys(), 'total'].map((m) => m.length));
console.log(`epochlint lab: ${manifest.length} runs in ${dir}`);
console.log(['mechanism'.padEnd(width), ...FIGURES.map((f) => f.padStart(7))].join('  '));
const total = Object.fromEntries(FIGURES.map((f) => [f, [0, 0]]));
for (const [mechanism, row] of [...rows.entries()].sort(([a], [b]) => a.localeCompare(b))) {
  console.log([mechanism.padEnd(width), ...FIGURES.map((f) => cell(row[f]))].join('  '));
  for (const f of FIGURES) {
    total[f][0] += row[f][0];
    total[f][1] += row[f][1];
  }
}
console.log(['total'.padEnd(width), ...FIGURES.map((f) => cell(total[f]))].join('  '));
const pct = ([k, n]) => (n === 0 ? '-' : `${((100 * k) / n).toFixed(0)} %`);
console.log(
  `expected findings ${pct(total.findings)} (target >= 95 %), true cause listed ${pct(total.listed)} (100 %), first ${pct(total.first)} (>= 80 %), training-side finding ${pct(total.training)}, no val-alternation error without a period ${pct(total['no-alt'])}`,
);
