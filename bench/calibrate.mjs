#!/usr/bin/env node
// Calibration of the detectors (`npm run calibrate`), seeded: reruns print the same tables.
//
// Part 1 — loss curves: simulated validation curves (decaying trend, plateau, step drop) with iid, AR(0.6)
// and heavy-tailed t(3) noise, n = 12 … 300, without alternation (false alarms) and with an alternation of
// amplitude equal to the noise (power). Counts error findings of every error-severity detector (the ones
// that fail a CI job by default). Targets (issue 3): false alarms <= 1 % in every null cell; val-alternation
// power >= 90 % at n = 20.
//
// Part 2 — accuracy curves (issue 7): validation accuracy = k / n_val, k binomial around a learning curve
// whose level also jitters from epoch to epoch by as much as the sampling noise (iid, AR(0.6) or t(3)): the
// honest noise of a fixed validation set scored by a model that keeps changing. Training accuracy and loss
// follow the curve smoothly. Null cells count errors and warnings of the instability detectors; power cells
// add two collapses of 10 binomial standard errors (val-instability), two training-loss jumps ×3
// (train-loss-jumps), or a training and validation alternation the size of the noise (train-oscillation).
import { DETECTORS, runDetectors } from '../dist/detect/index.js';
import { ar1Series, createRandom, normalSeries, randomNormal, studentTSeries } from '../dist/stats/index.js';

const REPS = Number(process.env.EPOCHLINT_CALIBRATE_REPS ?? 1000);
/** `EPOCHLINT_CALIBRATE_PARTS=2` runs part 2 only (both by default). */
const PARTS = new Set((process.env.EPOCHLINT_CALIBRATE_PARTS ?? '1,2').split(','));
const SIZES = (process.env.EPOCHLINT_CALIBRATE_SIZES ?? '12,20,40,100,300').split(',').map(Number);
const SIGMA = 0.02;
const RULES = process.env.EPOCHLINT_CALIBRATE_OPTIONS
  ? { 'val-alternation': { options: JSON.parse(process.env.EPOCHLINT_CALIBRATE_OPTIONS) } }
  : {};
// val-instability is gated too, but part 1 has no accuracy series, and without one it cannot raise an error
// (a loss has no sampling arithmetic): its error rate is measured in part 2
const gating = DETECTORS.filter((d) => d.defaultSeverity === 'error' && d.id !== 'val-instability');
const NEW = ['val-instability', 'train-loss-jumps', 'train-oscillation', 'val-stuck'];
const newDetectors = DETECTORS.filter((d) => NEW.includes(d.id));

const trends = {
  decay: (t, n) => Math.exp(-t / (n / 4)) * 0.7 + 0.3,
  plateau: () => 0.5,
  step: (t, n) => (t < n / 2 ? 0.6 : 0.5),
};
const noises = {
  iid: (rng, n, sd = SIGMA) => normalSeries(rng, n, sd),
  'ar(0.6)': (rng, n, sd = SIGMA) => ar1Series(rng, n, 0.6, sd),
  't(3)': (rng, n, sd = SIGMA) => studentTSeries(rng, n, 3, sd),
};

const fact = (value) => ({ value, source: 'flag', line: null, note: null });
const context = (run, valSamples = null) => ({
  run,
  trainSamples: null,
  valSamples: valSamples === null ? null : fact(valSamples),
  classes: null,
  stepsPerEpoch: null,
  batchSize: null,
  valBatchSize: null,
  valSteps: null,
  valClassCounts: null,
  valShuffle: null,
  valData: null,
  kerasVersion: null,
  workers: null,
  batchnorm: null,
  lrChanges: [],
  useMultiprocessing: null,
  trainShuffle: null,
  dropout: null,
  valAugmented: null,
  preprocessingMatch: null,
  optimizer: null,
  lrSchedule: null,
  callbacks: null,
  valStepsExpression: null,
  stepsPerEpochExpression: null,
  valStepsDivisor: null,
  learningRate: null,
  valCounts: null,
  trainCounts: null,
  code: [],
});

function asRun(rows) {
  return {
    index: 0,
    epochs: rows.map((metrics, t) => ({
      epoch: t + 1,
      of: rows.length,
      metrics,
      steps: null,
      countUnit: null,
      seconds: null,
      stepTime: null,
      line: t + 1,
    })),
    events: [],
    datasets: [],
    source: { dialect: 'keras-text', file: null, fromLine: 1, toLine: rows.length },
  };
}

/** Part 1: a run whose training loss follows the trend smoothly and whose validation loss is trend + noise (+ swing). */
function simulateLoss(rng, n, trend, noise, amplitude) {
  const e = noise(rng, n);
  // the training loss is noisy too (half the validation noise, same kind), so loss-divergence is tested
  const trainNoise = noise(rng, n).map((v) => v / 2);
  const rows = [];
  for (let t = 0; t < n; t += 1) {
    const base = trend(t, n);
    rows.push({
      loss: base * 0.8 + trainNoise[t],
      val_loss: base + e[t] + amplitude * (t % 2 === 0 ? 1 : -1),
    });
  }
  return asRun(rows);
}

const pct = (k, reps = REPS) => `${((100 * k) / reps).toFixed(1).padStart(5)} %`;

console.log(
  `epochlint calibration: ${REPS} seeded replications per cell, noise sd ${SIGMA}, alternation amplitude = noise sd`,
);
console.log('');
console.log('Part 1: loss curves');
console.log(`detectors gating CI (default severity error): ${gating.map((d) => d.id).join(', ')}`);
console.log(
  [
    'trend',
    'noise',
    'n',
    ...gating.map((d) => `FA ${d.id}`),
    'power val-alternation (error)',
    '(error or warning)',
  ]
    .map((h, i) => (i < 3 ? h.padEnd(i === 2 ? 4 : 8) : h))
    .join('  '),
);
let worst = 0;
let worstCell = '';
let seed = 1;
const power20 = [];
for (const [trendName, trend] of PARTS.has('1') ? Object.entries(trends) : []) {
  for (const [noiseName, noise] of Object.entries(noises)) {
    for (const n of SIZES) {
      const tally = (amplitude) => {
        const rng = createRandom(seed++);
        const errors = Object.fromEntries(gating.map((d) => [d.id, 0]));
        let alternationAny = 0;
        for (let rep = 0; rep < REPS; rep += 1) {
          const run = simulateLoss(rng, n, trend, noise, amplitude);
          const findings = runDetectors(gating, run, context(0), { rules: RULES, ignoreMetrics: new Set() });
          for (const d of gating)
            if (findings.some((f) => f.rule === d.id && f.severity === 'error')) errors[d.id] += 1;
          if (findings.some((f) => f.rule === 'val-alternation' && f.severity !== 'info'))
            alternationAny += 1;
        }
        return { errors, alternationAny };
      };
      const nullRates = tally(0);
      const alt = tally(SIGMA);
      for (const d of gating) {
        if (nullRates.errors[d.id] > worst) {
          worst = nullRates.errors[d.id];
          worstCell = `${d.id} ${trendName}/${noiseName}/n=${n}`;
        }
      }
      if (n === 20) power20.push({ cell: `${trendName}/${noiseName}`, k: alt.errors['val-alternation'] });
      console.log(
        [
          trendName.padEnd(8),
          noiseName.padEnd(8),
          String(n).padEnd(4),
          ...gating.map((d) => pct(nullRates.errors[d.id]).padStart(`FA ${d.id}`.length)),
          pct(alt.errors['val-alternation']).padStart('power val-alternation (error)'.length),
          pct(alt.alternationAny).padStart('(error or warning)'.length),
        ].join('  '),
      );
    }
  }
}

// false alarms need many replications; power and the heavy-tailed case are read at a coarser grain
const POWER_REPS = Math.min(REPS, Number(process.env.EPOCHLINT_CALIBRATE_POWER_REPS ?? 200));

// Part 2 ----------------------------------------------------------------------------------------------
const ACC_SIZES = (process.env.EPOCHLINT_CALIBRATE_ACC_SIZES ?? '20,40,100').split(',').map(Number);
const VAL_SETS = (process.env.EPOCHLINT_CALIBRATE_VAL_SETS ?? '100,1000,10000').split(',').map(Number);
const curves = {
  learning: (t, n) => 0.95 - 0.4 * Math.exp(-t / (n / 4)),
  plateau: () => 0.8,
};
// honest model jitter: Gaussian, independent or autocorrelated. Heavy-tailed jitter (a model that now and
// then jumps far) is what val-instability is for: it is measured below as a case, not as a null
const jitters = {
  iid: (rng, n, sd) => normalSeries(rng, n, sd),
  'ar(0.6)': (rng, n, sd) => ar1Series(rng, n, 0.6, sd),
};
const heavy = { 't(3)': (rng, n, sd) => studentTSeries(rng, n, 3, sd) };

/**
 * A run with an honest validation accuracy on n_val samples and smooth training; `effect` adds collapses,
 * training jumps or an alternation.
 */
function simulateAccuracy(rng, n, nVal, curve, jitter, effect) {
  const level = Array.from({ length: n }, (_, t) => curve(t, n));
  const se = level.map((p) => Math.sqrt((p * (1 - p)) / nVal));
  const j = jitter(rng, n, 1);
  const trainNoise = normalSeries(rng, n, 0.002);
  const collapses = new Set(effect === 'collapse' ? [Math.floor(n / 3), Math.floor((2 * n) / 3)] : []);
  const jumps = new Set(effect === 'jumps' ? [Math.floor(n / 3), Math.floor((2 * n) / 3)] : []);
  const rows = [];
  for (let t = 0; t < n; t += 1) {
    const wobble = effect === 'alternation' ? (t % 2 === 0 ? 1 : -1) : 0;
    // the model's true accuracy this epoch: the curve, jittered by one sampling SE of the chosen kind
    let p = Math.min(0.999, Math.max(0.001, level[t] + se[t] * j[t] + wobble * se[t]));
    if (collapses.has(t)) p = Math.max(0.001, p - 10 * se[t]);
    // k correct of n_val: binomial, by its normal approximation
    const k = Math.round(
      Math.min(nVal, Math.max(0, nVal * p + Math.sqrt(nVal * p * (1 - p)) * randomNormal(rng))),
    );
    const trainAcc = Math.min(
      0.9999,
      level[t] + 0.03 + trainNoise[t] - (effect === 'alternation' ? wobble * 0.01 : 0),
    );
    const trainLoss =
      -Math.log(Math.max(1e-4, trainAcc)) * (jumps.has(t) ? 3 : 1) * (1 + 0.01 * randomNormal(rng));
    rows.push({
      loss: trainLoss,
      accuracy: trainAcc,
      val_loss: -Math.log(Math.max(1e-4, k / nVal)) * 1.2,
      val_accuracy: k / nVal,
    });
  }
  return asRun(rows);
}

console.log('');
console.log(
  `Part 2: accuracy curves (${REPS} replications per null cell, ${POWER_REPS} per power cell and per heavy-tailed row; validation accuracy binomial on n_val samples plus a model jitter of one sampling SE)`,
);
console.log(
  [
    'curve',
    'jitter',
    'n_val',
    'n',
    'FA val-instability (error)',
    'warnings: val-instability',
    'train-loss-jumps',
    'train-oscillation',
    'val-stuck',
    '| power: collapses (error)',
    'jumps',
    'train alternation',
  ].join('  '),
);
let worstAcc = 0;
let worstAccCell = '';
const powers = { collapse: [], jumps: [], alternation: [] };
const instabilityError = (fs) => fs.some((f) => f.rule === 'val-instability' && f.severity === 'error');
const count = (n, nVal, curve, jitter, effect, pick, reps = REPS) => {
  const rng = createRandom(seed++);
  let hits = 0;
  const warnings = Object.fromEntries(NEW.map((id) => [id, 0]));
  for (let rep = 0; rep < reps; rep += 1) {
    const run = simulateAccuracy(rng, n, nVal, curve, jitter, effect);
    const findings = runDetectors(newDetectors, run, context(0, nVal), {
      rules: {},
      ignoreMetrics: new Set(),
    });
    if (pick(findings)) hits += 1;
    for (const id of NEW)
      if (findings.some((f) => f.rule === id && f.severity === 'warning')) warnings[id] += 1;
  }
  return {
    hits: (hits * REPS) / reps,
    warnings: Object.fromEntries(NEW.map((id) => [id, (warnings[id] * REPS) / reps])),
  };
};
const row = (cells) => console.log(cells.join('  '));
for (const [jitterSet, label] of PARTS.has('2')
  ? [
      [jitters, 'null'],
      [heavy, 'heavy-tailed jumps'],
    ]
  : []) {
  for (const [curveName, curve] of Object.entries(curves)) {
    for (const [jitterName, jitter] of Object.entries(jitterSet)) {
      for (const nVal of VAL_SETS) {
        for (const n of ACC_SIZES) {
          const nul = count(
            n,
            nVal,
            curve,
            jitter,
            'none',
            instabilityError,
            label === 'null' ? REPS : POWER_REPS,
          );
          // power at one set size, to keep the run short
          const measured = nVal === 1000 && label === 'null';
          const collapse = measured
            ? count(n, nVal, curve, jitter, 'collapse', instabilityError, POWER_REPS)
            : null;
          const jumps = measured
            ? count(
                n,
                nVal,
                curve,
                jitter,
                'jumps',
                (fs) => fs.some((f) => f.rule === 'train-loss-jumps' && f.severity !== 'info'),
                POWER_REPS,
              )
            : null;
          const alternation = measured
            ? count(
                n,
                nVal,
                curve,
                jitter,
                'alternation',
                (fs) => fs.some((f) => f.rule === 'train-oscillation' && f.severity !== 'info'),
                POWER_REPS,
              )
            : null;
          if (label === 'null' && nul.hits > worstAcc) {
            worstAcc = nul.hits;
            worstAccCell = `${curveName}/${jitterName}/n_val=${nVal}/n=${n}`;
          }
          if (collapse) powers.collapse.push(collapse.hits);
          if (jumps) powers.jumps.push(jumps.hits);
          if (alternation) powers.alternation.push(alternation.hits);
          const opt = (x) => (x === null ? '     -' : pct(x.hits));
          row([
            curveName.padEnd(8),
            `${jitterName}${label === 'null' ? '' : '*'}`.padEnd(7),
            String(nVal).padStart(5),
            String(n).padStart(3),
            pct(nul.hits).padStart('FA val-instability (error)'.length),
            pct(nul.warnings['val-instability']).padStart('warnings: val-instability'.length),
            pct(nul.warnings['train-loss-jumps']).padStart('train-loss-jumps'.length),
            pct(nul.warnings['train-oscillation']).padStart('train-oscillation'.length),
            pct(nul.warnings['val-stuck']).padStart('val-stuck'.length),
            `| ${opt(collapse).padStart('power: collapses (error)'.length)}`,
            opt(jumps).padStart('jumps'.length),
            opt(alternation).padStart('train alternation'.length),
          ]);
        }
      }
    }
  }
}
console.log(
  '(* heavy-tailed model jitter: a model that now and then jumps by several standard errors is irregular instability; its rows show how often val-instability says so)',
);

const range = (list) => `${pct(Math.min(...list)).trim()} – ${pct(Math.max(...list)).trim()}`;
console.log('');
// the summary of a part that was not run (EPOCHLINT_CALIBRATE_PARTS) is left out, not printed as 0 % or ±Infinity
if (PARTS.has('1')) {
  console.log(
    `worst false-alarm rate of an error finding in a null cell, part 1: ${pct(worst).trim()}${worstCell ? ` (${worstCell})` : ''} (target <= 1 %)`,
  );
  console.log(
    `val-alternation power at n = 20 (errors): ${power20.map((p) => `${p.cell} ${pct(p.k).trim()}`).join(', ')} (target >= 90 %)`,
  );
}
if (PARTS.has('2')) {
  console.log(
    `worst false-alarm rate of a val-instability error in a null cell, part 2: ${pct(worstAcc).trim()}${worstAccCell ? ` (${worstAccCell})` : ''} (target <= 1 %)`,
  );
  console.log(
    `power over the part-2 cells with n_val = 1000: val-instability on two 10-SE collapses ${range(powers.collapse)}, train-loss-jumps on two ×3 jumps ${range(powers.jumps)}, train-oscillation on an alternation of one noise SD ${range(powers.alternation)}`,
  );
}
