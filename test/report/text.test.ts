import { readFileSync } from 'node:fs';
import { Chalk } from 'chalk';
import type { FileReport } from '../../src/model/index.js';
import { describe, expect, test } from 'vitest';
import {
  DETAIL_FILES,
  SCREEN_LINES,
  TABLE_LOOKAHEAD,
  createTextStream,
  renderText,
} from '../../src/report/text.js';
import { HEALTHY, HOSTILE_METRIC, NAN, SAMPLE, SEED, lintFixture, reportOf } from './sample-report.js';

const plain = new Chalk({ level: 0 });
const colour = new Chalk({ level: 1 });
const ANSI = /\u001b\[[0-9;]*m/g;

const seed = reportOf([await lintFixture(SEED)]);
const text = (report = seed, options: Partial<Parameters<typeof renderText>[1]> = {}) =>
  renderText(report, { chalk: plain, width: 80, ...options });
const lines = (output: string) => output.trimEnd().split('\n');

describe('text report of the founding case', () => {
  const out = text();
  const rows = lines(out);

  test('fits one screen at 80 columns', () => {
    expect(rows.length).toBeLessThanOrEqual(SCREEN_LINES);
    for (const row of rows) expect([...row].length).toBeLessThanOrEqual(80);
  });

  test('the first three lines carry the verdict and the next step', () => {
    const first = rows.slice(0, 3).join(' ').replace(/\s+/g, ' ');
    expect(rows[0]).toMatch(/^✖ Validation metric alternates between epochs \(val_acc, val_loss\) while/);
    expect(first).toContain('training is smooth: the evaluation changes between epochs, not the model');
    expect(rows[2]).toMatch(
      /^ {2}next: find what changes between two consecutive evaluations: evaluate the$/,
    );
  });

  test('every figure appears once: the swing, its multiple of the noise, the sampling error', () => {
    const count = (pattern: RegExp) => out.match(pattern)?.length ?? 0;
    expect(count(/21\.8 points/g)).toBe(1);
    expect(count(/0\.21[78]/g)).toBe(0);
    expect(count(/22 points/g)).toBe(0);
    expect(count(/10\.4×/g)).toBe(1);
    expect(count(/45\.7×/g)).toBe(1);
    expect(count(/46\.5|67\.2/g)).toBe(0);
    // what the pasted code says is quoted with its line, once
    expect(count(/the callbacks in the code \(ModelCheckpoint, ReduceLROnPlateau, line 7\)/g)).toBe(1);
    // no statistic dump by default
    expect(out).not.toMatch(/amplitudeToValNoise|pAdjusted|rankP/);
  });

  test('one line per finding, most severe first; the top causes, then the rest on one line', () => {
    const findings = rows.filter((r) => /^ {2}[✖▲·] /.test(r));
    expect(findings.map((r) => r.slice(2, 3))).toEqual(['✖', '✖', '▲', '·']);
    expect(findings[0]).toBe('  ✖ val-alternation val_acc: swing 21.8 points, 10.4× its noise, epochs 1–39');
    const verdicts = rows.filter((r) => /^ {2}(confirmed|likely|possible|unlikely|ruled-out) /.test(r));
    expect(verdicts.length).toBeGreaterThan(0);
    expect(verdicts.length).toBeLessThanOrEqual(3);
    expect(out).toMatch(/also considered: cyclic-learning-rate,[\s\S]*?\(unlikely\); ruled out: /);
    expect(out).toMatch(/ruled out: /);
  });

  test('the chart of every epoch comes before the findings', () => {
    const chart = rows.findIndex((r) => r.startsWith('  val_acc  '));
    const finding = rows.findIndex((r) => r.startsWith('  ✖ '));
    expect(chart).toBeGreaterThan(0);
    expect(chart).toBeLessThan(finding);
    expect(rows[chart]).toMatch(/^ {2}val_acc {2}█▁█▅/);
    expect(text(seed, { chart: false })).not.toContain('█▁█');
  });

  test('the last line is the summary', () => {
    expect(rows.at(-1)).toBe('1 file, 39 epochs: 2 errors, 1 warning, 1 note');
  });

  test('snapshot', () => {
    expect(out).toMatchSnapshot();
  });
});

describe('text report --verbose', () => {
  const out = text(seed, { verbose: true });

  test('every statistic, every cause with its check and fix, the shared evidence once', () => {
    expect(out).toContain('amplitudeToValNoise 10.4');
    expect(out).toContain('pAdjusted 9.89e-18');
    // the slice rotation is ruled out by arithmetic on the numbers the log and the code give
    expect(out.replace(/\s+/g, ' ')).toContain(
      'ruled out for the stated/implied numbers N = 10401, b = 32, s = 325',
    );
    for (const id of ['extra-validation-draws', 'weight-averaging-swap', 'batchnorm-statistics'])
      expect(out).toMatch(
        new RegExp(`\\(${id}, score -?[0-9.]+, (evaluation|training|data|model|measurement)\\)`),
      );
    expect(out.match(/^ {4}fix: /gm)?.length).toBe(seed.files[0]?.diagnoses.length);
    expect(out.match(/ acc does not alternate \(p = 0\.334\)$/gm)?.length).toBe(1);
    expect(out.match(/validation swings with a period of 2 epochs while training does not/g)?.length).toBe(1);
    expect(out).toContain('parse truncated-epoch: line 7:');
  });

  test('snapshot', () => {
    expect(out).toMatchSnapshot();
  });
});

describe('text report of several files', () => {
  const out = text(SAMPLE);
  const rows = lines(out);

  test('starts with the runs table: file, epochs, best and last value, verdict', () => {
    const wide = lines(text(SAMPLE, { width: 120 }));
    expect(wide[0]?.split(/ {2,}/).slice(1)).toEqual([
      'file',
      'epochs',
      'metric',
      'best (epoch)',
      'last',
      'verdict',
    ]);
    expect(wide.slice(1, 6).map((r) => r.trim().split(/ {2,}/))).toEqual([
      [SEED, '39', 'val_loss', '0.0339 (9)', '0.0469', '2 errors'],
      [NAN, '7', 'val_loss', '0.526 (1)', 'nan', '2 errors'],
      [HEALTHY, '20', 'val_loss', '0.927 (20)', '0.927', 'clean'],
      ['missing.log', '–', '–', '–', '–', 'could not be read'],
      ['hostile.log', '14', 'val_a|b…x1b[2J', '–', '–', '1 warning'],
    ]);
    expect(rows[0]?.startsWith('  file ')).toBe(true);
  });

  test('printed as the files come: the table, then the details and the summary at the end', () => {
    const stream = createTextStream({ chalk: plain, width: 80 }, SAMPLE.config);
    const [first, second, ...rest] = SAMPLE.files;
    expect(stream.begin()).toBe('');
    // the first could be the only run (the one-screen report): held until the second comes; the rows
    // of a short sweep are held too, so that they set the columns
    expect(stream.file(first as FileReport)).toBe('');
    expect(stream.file(second as FileReport)).toBe('');
    const parts = [...rest.map((f) => stream.file(f)), stream.end(null)];
    expect(parts.slice(0, -1).join('')).toBe('');
    expect(parts.join('')).toBe(out);
  });

  test('an unreadable file is not reported again below the table (the CLI said it on stderr)', () => {
    expect(out.match(/missing\.log/g)?.length).toBe(1);
    expect(out).not.toContain('no such file');
    expect(rows.at(-1)).toBe('5 files (1 could not be read), 80 epochs: 4 errors, 2 warnings, 2 notes');
  });

  test('every run with curves gets its chart, a clean one too', () => {
    const healthy = out.slice(out.lastIndexOf(HEALTHY));
    expect(healthy).toMatch(/^ {2}✔ No instability found in 20 epochs/m);
    expect(healthy).toMatch(/^ {2}val_loss /m);
    expect(out.slice(out.lastIndexOf(NAN))).toMatch(/^ {2}val_loss ▄××××××/m);
  });

  test('fits the width, at 60 and 120 columns too', () => {
    for (const width of [60, 80, 120]) {
      for (const row of lines(text(SAMPLE, { width }))) expect([...row].length).toBeLessThanOrEqual(width);
    }
  });

  test('--quiet: only the table, the errors and the summary', () => {
    const quiet = lines(text(SAMPLE, { quiet: true }));
    expect(quiet[0]).toMatch(/^ {2}file /);
    const body = quiet.slice(quiet.indexOf('') + 1, -2);
    expect(body.every((r) => r.includes(': ✖ '))).toBe(true);
    expect(body).toHaveLength(4);
    expect(quiet.join('\n')).not.toMatch(/^ {2}(possible|▲|·) /m);
  });

  test('a hostile metric name is escaped in colour and without', () => {
    for (const chalk of [plain, colour]) {
      const out = renderText(SAMPLE, { chalk, width: 80 });
      expect(out).not.toContain('\u001b[2J');
      expect(out.replace(ANSI, '')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(out).toContain('val_a|b,c:d%0A\\n<x>&"\'`\\x1b[2J');
    }
    expect(HOSTILE_METRIC).toContain('\u001b');
  });

  test('colour on a TTY-level chalk, none at level 0', () => {
    expect(renderText(SAMPLE, { chalk: colour, width: 80 })).toContain('\u001b[31m');
    expect(out).not.toContain('\u001b');
  });
});

const healthy = await lintFixture(HEALTHY);
const failing = await lintFixture(SEED);

describe('text report of a long sweep', () => {
  const CLEAN = TABLE_LOOKAHEAD + 20;
  const WITH_ERRORS = 10;
  // clean runs first, the runs with errors last: the details keep the errors although they come late
  const files: FileReport[] = [
    ...Array.from({ length: CLEAN }, (_, i) => ({ ...healthy, file: `runs/clean-${i}.json` })),
    ...Array.from({ length: WITH_ERRORS }, (_, i) => ({ ...failing, file: `runs/failing-${i}.txt` })),
  ];
  const stream = (interrupted: 'SIGINT' | null = null) => {
    const s = createTextStream({ chalk: plain, width: 80 }, null);
    const parts = [s.begin(), ...files.map((f) => s.file(f)), s.end(interrupted)];
    return parts;
  };
  const parts = stream();
  const headerOf = /^(runs\/\S+) · /;

  test(`the table starts once ${TABLE_LOOKAHEAD} rows are in, then a row per file as it comes`, () => {
    expect(parts.slice(0, TABLE_LOOKAHEAD).join('')).toBe('');
    const start = lines(parts[TABLE_LOOKAHEAD] ?? '');
    expect(start[0]).toBe('  files in runs/:');
    expect(start[1]).toMatch(/^ {2}file +epochs +metric +best \(epoch\) +last +verdict$/);
    expect(start.slice(2).map((r) => r.trim().split(/ {2,}/)[0])).toEqual(
      Array.from({ length: TABLE_LOOKAHEAD }, (_, i) => `clean-${i}.json`),
    );
    const later = parts.slice(TABLE_LOOKAHEAD + 1, -1).map((p) => lines(p));
    expect(later.every((l) => l.length === 1)).toBe(true);
    expect(later.at(-1)?.[0]?.trim().split(/ {2,}/)).toEqual([
      `failing-${WITH_ERRORS - 1}.txt`,
      '39',
      'val_loss',
      '0.0339 (9)',
      '0.0469',
      '2 errors',
    ]);
  });

  test(`the details of at most ${DETAIL_FILES} files after the table: errors first, printed in input order`, () => {
    const end = lines(parts.at(-1) ?? '');
    const shown = end.flatMap((l) => headerOf.exec(l)?.[1] ?? []);
    expect(shown).toEqual([
      ...Array.from({ length: DETAIL_FILES - WITH_ERRORS }, (_, i) => `runs/clean-${i}.json`),
      ...Array.from({ length: WITH_ERRORS }, (_, i) => `runs/failing-${i}.txt`),
    ]);
    const left = CLEAN + WITH_ERRORS - DETAIL_FILES;
    expect(
      end
        .slice(-4, -2)
        .map((l) => l.trim())
        .join(' '),
    ).toBe(
      `details of ${left} files not shown (at most ${DETAIL_FILES} files are, errors first, then warnings): lint one on its own, or use --format jsonl for every file`,
    );
    const tally = (severity: string) =>
      [healthy, failing].map((f) => f.findings.filter((x) => x.severity === severity).length);
    const total = (severity: string) => {
      const [clean = 0, errors = 0] = tally(severity);
      return CLEAN * clean + WITH_ERRORS * errors;
    };
    expect(total('error')).toBeGreaterThan(0);
    expect(end.at(-1)).toBe(
      `${CLEAN + WITH_ERRORS} files, ${CLEAN * 20 + WITH_ERRORS * 39} epochs: ${total('error')} errors, ${total('warning')} warnings, ${total('info')} notes`,
    );
  });

  test('the same bytes as the report rendered whole', () => {
    expect(parts.join('')).toBe(text(reportOf(files)));
  });

  test('an interrupt is said below a table that was printed as it came', () => {
    const end = lines(stream('SIGINT').at(-1) ?? '');
    expect(end[0]).toBe('');
    expect(end[1]).toBe(
      '▲ interrupted (SIGINT): reading stopped early; this report covers only what was read',
    );
  });

  test('--quiet: the rows as they come, then the error lines of the files with errors', () => {
    const s = createTextStream({ chalk: plain, width: 80, quiet: true }, null);
    const out = lines([s.begin(), ...files.map((f) => s.file(f)), s.end(null)].join(''));
    const errors = out.filter((l) => l.includes(': ✖ '));
    expect(errors.map((l) => /runs\/failing-\d+\.txt/.exec(l)?.[0])).toEqual(
      Array.from({ length: WITH_ERRORS }, (_, i) => [
        `runs/failing-${i}.txt`,
        `runs/failing-${i}.txt`,
      ]).flat(),
    );
    expect(out.indexOf(errors[0] ?? '')).toBe(2 + CLEAN + WITH_ERRORS + 1);
  });
});

describe('text report edge cases', () => {
  test('nothing linted (every input failed): no text at all, so no "0 errors" beside exit 2', () => {
    const missing = SAMPLE.files.filter((f) => f.error !== null);
    expect(text(reportOf(missing))).toBe('');
  });

  test('an interrupted report and a config outside the project say so first', () => {
    const out = lines(
      text({ ...seed, interrupted: 'SIGINT', config: { path: '../x.json', outsideProject: true } }),
    );
    expect(out[0]).toBe(
      '▲ interrupted (SIGINT): reading stopped early; this report covers only what was read',
    );
    expect(out[1]).toBe('config: ../x.json (outside the project)');
    expect(out[2]).not.toMatch(/config/);
  });
});

const sixRuns = reportOf([await lintFixture('fixtures/real/cs294-tfkeras-6runs-markdown.txt')]);

describe('text report of a file with several runs', () => {
  const out = text(sixRuns);

  test('the runs table first, one row per run', () => {
    const rows = lines(out);
    expect(rows[0]).toMatch(/^ {2}file +run +epochs/);
    expect(rows.slice(1, 7).map((r) => r.trim().split(/ {2,}/)[1])).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  test('notes that read the same in several runs are shown once, with the runs they are in', () => {
    expect(out.match(/only 5 validation points/g)).toHaveLength(1);
    expect(out).toMatch(
      /notes of several runs:\n(.*\n)*.*only 5 validation points(.*\n)*.*epochs 1–5 \(runs 1–6\)/,
    );
    expect(out).toMatch(/val-better-than-train val_loss: 4 of 5 epochs, epochs 1–5 \(runs 2, 5\)/);
    // every run still has its own section and chart
    expect(out.match(/^ {2}run \d · 5 epochs · lines \d+–\d+$/gm)).toHaveLength(6);
    expect(out.match(/^ {2}val_loss /gm)).toHaveLength(6);
  });
});

describe('the README shows the real first screen', () => {
  test('its console block of the founding case is the report, line for line', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const command = '$ epochlint fixtures/real/crossvalidated-416172.txt\n';
    const start = readme.indexOf(command);
    expect(start).toBeGreaterThan(0);
    const block = readme.slice(start + command.length, readme.indexOf('```', start));
    expect(block).toBe(text());
  });
});

describe('a run whose time axis is not epochs', () => {
  test('says steps where the readers record a step axis (RunSummary.axis)', async () => {
    const file = await lintFixture(SEED);
    const stepped = reportOf([{ ...file, runs: file.runs.map((r) => ({ ...r, axis: 'step' })) }]);
    const out = text(stepped);
    expect(out).toContain('· 1 run · 39 steps');
    expect(out).toMatch(/^ {2}step {5}1 {8}10/m);
    expect(out).toContain('val-alternation val_acc: swing 21.8 points, 10.4× its noise, steps 1–39');
    expect(text()).not.toMatch(/ steps 1–39|39 steps/);
  });
});
