import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildContext } from '../../src/context/index.js';
import { CAUSES, causeMessages, diagnose, diagnoseRun, findCause } from '../../src/diagnose/diagnose.js';
import { findDetector } from '../../src/detect/index.js';
import { PatternClass } from '../../src/diagnose/evidence.js';
import { creditedThreads, priorOf, TALLY, TALLY_THREADS, unlistedPrior } from '../../src/diagnose/priors.js';
import {
  logOdds,
  posteriorScores,
  probabilityOf,
  VERDICT_ORDER,
  verdictOf,
} from '../../src/diagnose/score.js';
import { Diagnosis, Reason, type Finding, type Run } from '../../src/model/index.js';
import { detectAll, labRun, realRun, realRuns, seedCode } from './helpers.js';
import { SCENARIOS, scenario } from './scenarios.js';

const seedRun = realRun('crossvalidated-416172.txt');
const code = await seedCode();

function diagnosed(name: string): Diagnosis[] {
  const s = scenario(name);
  return diagnoseRun(s.run, s.findings, buildContext(s.run, s.hints, s.code));
}

const rank = (diagnoses: Diagnosis[], cause: string) => diagnoses.findIndex((d) => d.cause === cause);

describe('the founding case (CrossValidated 416172)', () => {
  it('from the log alone: evaluation-side causes first, model-side ones unlikely or not listed', () => {
    const diagnoses = diagnosed('seed');
    const top = diagnoses.slice(0, 3).map((d) => d.side);
    expect(top.every((side) => side === 'evaluation')).toBe(true);
    for (const model of ['batchnorm-statistics', 'learning-rate-too-high']) {
      expect(['unlikely', 'ruled-out']).toContain(diagnoses.find((d) => d.cause === model)?.verdict);
    }
    // a periodic pattern lists no cause that only explains gaps between validation and training
    expect(rank(diagnoses, 'dropout-averaging-gap')).toBe(-1);
  });

  it('with the code of the paste: every cause it bears on changes, each with line 7', () => {
    const without = new Map(diagnosed('seed').map((d) => [d.cause, d]));
    const withCode = diagnosed('seed with code');
    for (const cause of [
      'batchnorm-statistics',
      'worker-duplication',
      'weight-averaging-swap',
      'cyclic-learning-rate',
    ]) {
      const after = withCode.find((d) => d.cause === cause);
      const before = without.get(cause);
      expect(after?.score, cause).toBeLessThan(before?.score ?? 0);
      expect(
        after?.reasons.some((r) => r.weight !== null && r.data.line === 7),
        `${cause} cites line 7`,
      ).toBe(true);
    }
    expect(withCode.find((d) => d.cause === 'validation-slice-rotation')?.verdict).toBe('ruled-out');
  });

  it('with --val-batch-size 16 --val-steps 325 and the code, slice rotation is confirmed and first', () => {
    const diagnoses = diagnosed('seed with code, valBatchSize 16 and valSteps 325');
    expect(diagnoses[0]).toMatchObject({
      cause: 'validation-slice-rotation',
      verdict: 'confirmed',
      tiedWith: [],
    });
  });

  it('is deterministic', () => {
    const findings = detectAll(seedRun, {}, code);
    const once = diagnose([seedRun], findings, [buildContext(seedRun, {}, code)]);
    const twice = diagnose([seedRun], findings, [buildContext(seedRun, {}, code)]);
    expect(twice).toEqual(once);
  });
});

describe('scores and verdicts', () => {
  it('the score is the posterior log-odds among the listed causes and an unlisted one', () => {
    const diagnoses = diagnosed('lab: batchnorm statistics');
    const weights = diagnoses.map((d) => d.reasons.reduce((s, r) => s + (r.weight ?? 0), 0));
    const expected = posteriorScores(
      diagnoses.map((d, i) => ({
        prior: findCause(d.cause)?.prior.probability ?? 0,
        weight: weights[i] ?? 0,
      })),
      unlistedPrior(),
    );
    diagnoses.forEach((d, i) => {
      // reasons carry weights rounded to 3 decimals
      expect(d.score).toBeCloseTo(expected[i] ?? 0, 1);
      expect(d.verdict).toBe(verdictOf(d.score));
    });
  });

  it('verdicts are bands of the posterior probability', () => {
    expect(verdictOf(logOdds(0.995))).toBe('confirmed');
    expect(verdictOf(logOdds(0.6))).toBe('likely');
    expect(verdictOf(logOdds(0.1))).toBe('possible');
    expect(verdictOf(logOdds(0.01))).toBe('unlikely');
    expect(verdictOf(logOdds(0.0001))).toBe('ruled-out');
    expect(probabilityOf(logOdds(0.3))).toBeCloseTo(0.3, 9);
  });

  it('ranks best first by score, and reasons with weights come first, strongest first', () => {
    for (const s of SCENARIOS) {
      const diagnoses = diagnoseRun(s.run, s.findings, buildContext(s.run, s.hints, s.code));
      for (let i = 1; i < diagnoses.length; i += 1) {
        expect(diagnoses[i - 1]?.score ?? 0).toBeGreaterThanOrEqual(diagnoses[i]?.score ?? 0);
      }
      for (const d of diagnoses) {
        const weighted = d.reasons.filter((r) => r.weight !== null).map((r) => Math.abs(r.weight ?? 0));
        expect(weighted).toEqual([...weighted].sort((a, b) => b - a));
        expect(d.reasons.slice(0, weighted.length).every((r) => r.weight !== null)).toBe(true);
      }
    }
  });

  it('causes the log cannot tell apart are tied, with the observation that separates them', () => {
    const diagnoses = diagnosed('alternation, sizes unknown');
    const tied = diagnoses.filter((d) => d.tiedWith.length > 0).map((d) => d.cause);
    expect(tied).toEqual(
      expect.arrayContaining([
        'validation-slice-rotation',
        'weight-averaging-swap',
        'extra-validation-draws',
      ]),
    );
    const rotation = diagnoses.find((d) => d.cause === 'validation-slice-rotation');
    expect(rotation?.tiedWith).toContain('weight-averaging-swap');
    expect(rotation?.separatedBy?.messageId).toBe('separate-swap');
    const swap = diagnoses.find((d) => d.cause === 'weight-averaging-swap');
    expect(swap?.separatedBy?.messageId).toBe('separate-rotation');
    // tied causes have the same evidence and, with the same prior, the same score
    expect(rotation?.score).toBe(swap?.score);
  });

  it('a training twin that leans toward alternating (p = 0.02) weighs for the causes that move training', () => {
    const s = scenario('alternation, sizes unknown');
    const findings = s.findings.map((f) =>
      f.rule === 'val-alternation' ? { ...f, stats: { ...f.stats, trainP: 0.02 } } : f,
    );
    const diagnoses = diagnoseRun(s.run, findings, buildContext(s.run, s.hints));
    const lean = (cause: string) =>
      diagnoses.find((d) => d.cause === cause)?.reasons.find((r) => r.messageId === 'train-lean');
    // 1 / (−e · 0.02 · ln 0.02) = 4.70
    expect(lean('cyclic-learning-rate')?.data).toMatchObject({ p: 0.02, factor: 4.7 });
    expect(lean('cyclic-learning-rate')?.weight).toBeGreaterThan(0);
    expect(lean('validation-slice-rotation')?.weight).toBeLessThan(0);
  });

  it('the digits separate them: windows of 192 and 168 samples put slice rotation first, untied', () => {
    const diagnoses = diagnosed('lab: slice rotation, CSVLogger digits');
    expect(diagnoses[0]).toMatchObject({ cause: 'validation-slice-rotation', tiedWith: [] });
    expect(diagnoses.find((d) => d.cause === 'weight-averaging-swap')?.verdict).toBe('ruled-out');
  });
});

describe('which runs are diagnosed, and with which causes', () => {
  it('a plain overfit gets its next step and no cause list', () => {
    const run = labRun('dev-13.log');
    const findings = detectAll(run);
    expect(findings.some((f) => f.rule === 'overfitting' && f.next.messageId === 'next')).toBe(true);
    expect(diagnose([run], findings, [buildContext(run, {})])).toEqual([]);
  });

  it('causes that only explain periodic patterns are not listed for irregular instability', () => {
    const causes = diagnosed('irregular collapses, 2000 images').map((d) => d.cause);
    for (const periodicOnly of [
      'validation-slice-rotation',
      'extra-validation-draws',
      'worker-duplication',
      'weight-averaging-swap',
      'validation-freq-gaps',
    ]) {
      expect(causes).not.toContain(periodicOnly);
    }
    expect(causes).toContain('batchnorm-statistics');
  });

  it('a run without an error or warning of a detector that starts a diagnosis gets none', () => {
    const run = labRun('dev-07.txt');
    const findings = detectAll(run).filter(
      (f) => f.severity === 'info' || findDetector(f.rule)?.startsDiagnosis !== true,
    );
    expect(diagnose([run], findings, [buildContext(run, {})])).toEqual([]);
  });

  it('matches findings and contexts to runs by index', () => {
    const runs = realRuns('kanji-keras1-verbose2-3runs.log');
    const findings = runs.flatMap((r) => detectAll(r));
    const contexts = runs.map((r) => buildContext(r, {}));
    const diagnoses = diagnose(runs, findings, [...contexts].reverse());
    for (const d of diagnoses) expect(findings.some((f) => f.run === d.run)).toBe(true);
    expect(diagnose(runs, findings, contexts)).toEqual(diagnoses);
  });
});

describe('priors (README: "Causes the diagnosis weighs")', () => {
  it('the tally has 35 threads and every cause gets its share, half a thread more', () => {
    expect(TALLY.reduce((s, r) => s + r.threads, 0)).toBe(TALLY_THREADS);
    expect(creditedThreads('batchnorm-statistics')).toBe(9);
    expect(creditedThreads('random-validation')).toBe(6);
    expect(priorOf('batchnorm-statistics')).toBeCloseTo(9.5 / 42, 9);
    expect(CAUSES.reduce((s, c) => s + c.prior.probability, 0)).toBeCloseTo(1, 9);
  });
});

describe('the registry', () => {
  it('is alphabetical with unique kebab-case ids and includes the catalogue', () => {
    const ids = CAUSES.map((c) => c.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
    expect(ids.length).toBe(14);
  });

  it('findCause and causeMessages', () => {
    expect(findCause('validation-slice-rotation')?.title).toMatch(/slice/i);
    expect(findCause('nope')).toBeUndefined();
    expect(causeMessages('batchnorm-statistics')['no-batchnorm']).toBeTypeOf('string');
    expect(causeMessages('nope')).toEqual({});
  });

  it('every cause has a side, a prior with its source, kinds it explains and likelihoods that are probabilities', () => {
    for (const cause of CAUSES) {
      expect(cause.title.length).toBeGreaterThan(0);
      expect(cause.predicts.length).toBeGreaterThan(0);
      expect(cause.prior.probability).toBeGreaterThan(0);
      expect(cause.prior.source.length).toBeGreaterThan(0);
      expect(cause.explains.length).toBeGreaterThan(0);
      const pattern = Object.entries(cause.likelihoods.pattern);
      for (const [name, p] of pattern) {
        expect(PatternClass.options).toContain(name);
        expect(p).toBeGreaterThan(0);
      }
      expect(pattern.reduce((s, [, p]) => s + p, 0)).toBeLessThanOrEqual(1);
      for (const table of [cause.likelihoods.counts, cause.likelihoods.rate]) {
        for (const p of Object.values(table ?? {})) expect(p).toBeGreaterThan(0);
      }
      for (const id of Object.values(cause.separatedFrom)) expect(cause.messages[id]).toBeTypeOf('string');
      for (const text of Object.values(cause.messages)) expect(text.trim().length).toBeGreaterThan(0);
    }
  });
});

/** Placeholders of a template: `{name}`. */
function placeholders(template: string): string[] {
  return [...template.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] ?? '');
}

function expectRenders(causeId: string, reason: Reason, where: string): void {
  const messages = causeMessages(causeId);
  const template = messages[reason.messageId];
  expect(template, `${causeId}: ${reason.messageId} missing (${where})`).toBeTypeOf('string');
  for (const name of placeholders(template ?? '')) {
    expect(Object.keys(reason.data), `${causeId}: ${reason.messageId} needs {${name}} (${where})`).toContain(
      name,
    );
  }
}

describe('message contract: every emitted message id exists and its placeholders are filled', () => {
  const cases: Array<{
    name: string;
    run: Run;
    findings: Finding[];
    context: ReturnType<typeof buildContext>;
  }> = [];
  for (const s of SCENARIOS)
    cases.push({
      name: s.name,
      run: s.run,
      findings: s.findings,
      context: buildContext(s.run, s.hints, s.code),
    });
  for (const file of readdirSync(new URL('../../fixtures/real/', import.meta.url))) {
    if (file === 'manifest.json') continue;
    for (const run of realRuns(file))
      cases.push({
        name: `${file} run ${run.index}`,
        run,
        findings: detectAll(run),
        context: buildContext(run, {}),
      });
  }

  it.each(cases)('$name', ({ run, findings, context }) => {
    for (const d of diagnoseRun(run, findings, context)) {
      expect(Diagnosis.parse(d)).toEqual(d);
      expect(VERDICT_ORDER).toContain(d.verdict);
      for (const r of d.reasons) expectRenders(d.cause, r, 'reason');
      expectRenders(d.cause, d.check, 'check');
      expectRenders(d.cause, d.fix, 'fix');
      if (d.separatedBy !== null) expectRenders(d.cause, d.separatedBy, 'separatedBy');
    }
  });
});
