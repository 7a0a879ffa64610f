/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The HTML report in a real browser: Debian's chromium, headless, loads the file from disk. Its rendered
 * DOM must hold the charts and the verdict, its screenshot must not be blank, and no request may leave
 * the page. CI installs chromium (`.ci/run`); without `/usr/bin/chromium` these tests are skipped.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { decodePng, inkShare } from '../report/png.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const title = available
  ? 'the HTML report in headless chromium'
  : `the HTML report in headless chromium (skipped: ${CHROMIUM} not found; apt-get install chromium)`;

// CI installs chromium: there a missing browser is a broken install step, not a reason to skip
test.runIf(!available && process.env.CI === 'true')('CI has Debian chromium for the HTML test', () => {
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: .ci/run installs it`).toBe(true);
});

const SEED = 'fixtures/real/crossvalidated-416172.txt';
const HEALTHY = 'fixtures/real/satellite-unet-jaccard-history.json';

describe.skipIf(!available)(title, () => {
  const work = mkdtempSync(join(tmpdir(), 'epochlint-html-'));
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // the flags that work on this kind of machine (root, no GPU, no network beyond the registries)
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function open(args: string[], name: string) {
    const { stdout } = await runCli([...args, '--format', 'html']);
    const file = join(work, name);
    writeFileSync(file, stdout);
    const url = pathToFileURL(file).href;
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    const violations: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(url, { waitUntil: 'load' });
    return { page, url, requests, violations };
  }

  test('the founding case: the verdict, an SVG chart per validation metric with its findings, nothing loaded', async () => {
    const { page, url, requests, violations } = await open([SEED], 'seed.html');
    expect(requests).toEqual([url]);
    expect(violations).toEqual([]);
    expect(await page.textContent('#verdict')).toContain('2 errors, 1 warning, 1 note');
    expect(await page.textContent('[data-verdict]')).toMatch(
      /^✖ Validation metric alternates between epochs \(val_acc, val_loss\)/,
    );
    expect(await page.textContent('.answer .next')).toMatch(
      /^Next: find what changes between two consecutive evaluations/,
    );
    const charts = await page.$$eval('svg[data-metric]', (svgs) =>
      svgs.map((svg) => ({
        metric: svg.getAttribute('data-metric'),
        width: svg.getBoundingClientRect().width,
        curves: svg.querySelectorAll('polyline.curve.validation').length,
        findings: [...svg.querySelectorAll('rect.finding')].map((r) => r.getAttribute('data-rule')),
        best: svg.querySelectorAll('circle.best').length,
      })),
    );
    expect(charts.map((c) => c.metric)).toEqual(['val_loss', 'val_acc']);
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(300);
      expect(chart.curves).toBe(1);
      expect(chart.best).toBe(1);
    }
    expect(charts[1]?.findings).toEqual(['val-alternation', 'val-swing-exceeds-sampling-noise']);
    // the less likely causes are folded, closed
    expect(await page.$eval('details', (d) => d.hasAttribute('open'))).toBe(false);
    const shot = decodePng(await page.screenshot({ fullPage: true }));
    expect(shot.height).toBeGreaterThan(900);
    expect(inkShare(shot)).toBeGreaterThan(0.03);
    await page.close();
  });

  test('several files: the runs table first, an unreadable file in it, a chart for the healthy run', async () => {
    const { page, url, requests } = await open([SEED, HEALTHY, 'missing.log'], 'many.html');
    expect(requests).toEqual([url]);
    const rows = await page.$$eval('table.runs tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
    expect(rows.map((r) => [r[0], r[6]])).toEqual([
      [SEED, '2 errors'],
      [HEALTHY, 'clean'],
      ['missing.log', 'could not be read'],
    ]);
    const first = await page.$eval('main, body', (body) => body.querySelector('section')?.className);
    expect(first).toBe('runs-table');
    const perFile = await page.$$eval('section.file', (sections) =>
      sections.map((section) =>
        [...section.querySelectorAll('svg[data-metric]')].map((s) => s.getAttribute('data-metric')),
      ),
    );
    expect(perFile[0]).toEqual(['val_loss', 'val_acc']);
    expect(perFile[1]?.slice(0, 2)).toEqual(['val_loss', 'val_accuracy']);
    expect(perFile[2]).toEqual([]);
    await page.close();
  });
});
