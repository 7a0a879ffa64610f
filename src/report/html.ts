/**
 * The HTML report (`--format html`): one self-contained file to attach as a CI artifact or open from
 * disk. Inline CSS and SVG only: no script, no font, no image, no request of any kind (a strict Content
 * Security Policy says so to the browser). Per run: the answer (what is wrong, the next step, the likely
 * cause), an SVG chart per validation metric (with its training twin) where the findings' epochs, the best
 * epoch and the learning-rate changes are marked, the findings, the causes and, folded, the less likely
 * ones; the runs table first when there are several.
 */
import { createRequire } from 'node:module';
import type { Diagnosis, Finding, Report, RunSeries, Severity } from '../model/index.js';
import { isValidationName, metricDirection, trainingTwin } from '../model/index.js';
import { chartMetrics } from './chart.js';
import { escapeControl } from './escape.js';
import type { ReporterOptions } from './options.js';
import {
  MARK,
  SEVERITY_LABEL,
  WORDS,
  causeText,
  causeTitle,
  count,
  epochSpan,
  findingFigures,
  findingMessage,
  formatFigure,
  severityCounts,
} from './prose.js';
import { TABLE_HEADINGS, bestCell, runRows } from './table.js';
import { buildView, sharedTexts, worstSeverity, type FileView, type Headline, type RunView } from './view.js';
import { append } from './lists.js';

/** Escapes text for HTML content and attribute values (after escaping control characters). */
export function escapeHtml(text: string): string {
  return escapeControl(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
:root { color-scheme: light; --error: #c0392b; --warning: #a66f00; --info: #2c6fbb; --ok: #2e7d32; --muted: #666; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 980px; padding: 24px; color: #1b1b1b; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 4px; word-break: break-all; }
h3 { font-size: 16px; margin: 20px 0 6px; }
.meta, .muted { color: var(--muted); }
.totals { font-size: 17px; font-weight: 600; margin: 8px 0 16px; }
.answer { border-left: 4px solid var(--muted); padding: 8px 14px; margin: 12px 0; background: #f7f7f7; }
.answer.error { border-color: var(--error); } .answer.warning { border-color: var(--warning); } .answer.ok { border-color: var(--ok); }
.answer .what { font-weight: 600; font-size: 16px; }
.error-text { color: var(--error); } .warning-text { color: var(--warning); } .info-text { color: var(--info); } .ok-text { color: var(--ok); } .failed-text { color: var(--error); }
table { border-collapse: collapse; margin: 8px 0 16px; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
th { font-weight: 600; background: #fafafa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 12px; }
figure { margin: 0; } figcaption { font-size: 13px; color: var(--muted); }
.legend { font-size: 13px; margin: 4px 0 12px; }
svg { width: 100%; height: auto; background: #fff; border: 1px solid #e3e3e3; }
.notice { background: #fff4d6; border: 1px solid #e2c16b; padding: 8px 12px; margin: 8px 0; }
ul.reasons { margin: 4px 0 10px; }
li.cause { margin-bottom: 8px; }
.verdict { font-weight: 600; text-transform: uppercase; font-size: 12px; letter-spacing: .04em; }
details { margin: 8px 0; } summary { cursor: pointer; }
footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
`.trim();

const COLOURS = {
  validation: '#1f5fa8',
  training: '#8a8a8a',
  best: '#2e7d32',
  lr: '#a66f00',
  nonFinite: '#c0392b',
};
const SPAN_FILL: Record<Severity, string> = { error: '#c0392b', warning: '#d39e00', info: '#2c6fbb' };

const CHART_LEGEND =
  'Solid: validation; dashed: its training twin; shaded: the epochs of a finding; dot: the best epoch; dashed vertical line: a learning-rate change.';

/** More learning-rate changes than this are a schedule, not events: they are not drawn one by one. */
const MAX_LR_LINES = 60;

const WIDTH = 460;
const HEIGHT = 170;
const MARGIN = { left: 52, right: 12, top: 14, bottom: 28 };
/** A curve is drawn with at most this many points per pixel column pair (min and max of each). */
const MAX_POINTS_PER_CURVE = 2 * (WIDTH - MARGIN.left - MARGIN.right);

function tone(severity: Severity | 'ok' | 'failed'): string {
  return `${severity}-text`;
}

function answerHtml(h: Headline): string {
  const kind = h.severity === 'ok' ? 'ok' : h.severity;
  const what = `${MARK[h.severity]} ${h.what}${h.side === null ? '' : `: ${h.side}`}`;
  const parts = [`<div class="what ${tone(h.severity)}" data-verdict="${kind}">${escapeHtml(what)}</div>`];
  if (h.next !== null) parts.push(`<div class="next"><strong>Next:</strong> ${escapeHtml(h.next)}</div>`);
  if (h.why !== null) parts.push(`<div class="why"><strong>Why:</strong> ${escapeHtml(h.why)}</div>`);
  return `<div class="answer ${kind}">${parts.join('')}</div>`;
}

interface Scale {
  x(epoch: number): number;
  y(value: number): number;
  min: number;
  max: number;
}

function finiteRange(values: ReadonlyArray<number | null>): { min: number; max: number } | null {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v !== null && Number.isFinite(v)) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  return min <= max ? { min, max } : null;
}

function coordinate(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/**
 * The polylines of a curve: breaks where a value is missing or not finite; a long run is reduced to the
 * minimum and maximum of each pixel column, so the file stays small and no swing disappears.
 */
function curvePaths(epochs: readonly number[], values: ReadonlyArray<number | null>, scale: Scale): string[] {
  const bucket = Math.max(1, Math.ceil(epochs.length / (MAX_POINTS_PER_CURVE / 2)));
  const paths: string[][] = [];
  let current: string[] = [];
  for (let from = 0; from < epochs.length; from += bucket) {
    const points: Array<[number, number]> = [];
    let broken = false;
    let lo: [number, number] | null = null;
    let hi: [number, number] | null = null;
    for (let i = from; i < Math.min(epochs.length, from + bucket); i++) {
      const v = values[i] ?? null;
      const e = epochs[i] ?? 0;
      if (v === null || !Number.isFinite(v)) {
        broken = true;
        continue;
      }
      if (bucket === 1) points.push([e, v]);
      else {
        if (lo === null || v < lo[1]) lo = [e, v];
        if (hi === null || v > hi[1]) hi = [e, v];
      }
    }
    if (bucket > 1 && lo !== null && hi !== null) append(points, lo[0] <= hi[0] ? [lo, hi] : [hi, lo]);
    if (broken && current.length > 0) {
      paths.push(current);
      current = [];
    }
    for (const [e, v] of points) current.push(`${coordinate(scale.x(e))},${coordinate(scale.y(v))}`);
  }
  if (current.length > 0) paths.push(current);
  return paths.map((p) => p.join(' '));
}

function chartSvg(series: RunSeries, metric: string, findings: readonly Finding[], id: string): string {
  const twin = trainingTwin(metric);
  const own = series.metrics[metric] ?? [];
  const twinValues = twin === null ? null : (series.metrics[twin] ?? null);
  const range = finiteRange([...own, ...(twinValues ?? [])]);
  const first = series.epochs[0] ?? 1;
  const last = series.epochs.at(-1) ?? first;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const lo = range?.min ?? 0;
  const hi = range !== null && range.max > range.min ? range.max : lo + 1;
  const scale: Scale = {
    x: (e) => MARGIN.left + (last === first ? plotW / 2 : ((e - first) / (last - first)) * plotW),
    y: (v) => MARGIN.top + plotH - ((v - lo) / (hi - lo)) * plotH,
    min: lo,
    max: hi,
  };
  const parts: string[] = [];
  const label = `${metric}${twin !== null && twinValues !== null ? ` and ${twin}` : ''}`;
  parts.push(`<title id="${id}-t">${escapeHtml(label)}</title>`);
  // the findings about this metric (or about the whole run), as shaded epoch spans
  for (const f of findings.filter((x) => x.metric === metric || x.metric === null)) {
    const x0 = scale.x(f.epochs[0]);
    const x1 = scale.x(f.epochs[1]);
    parts.push(
      `<rect class="finding ${f.severity}" data-rule="${escapeHtml(f.rule)}" x="${coordinate(Math.min(x0, x1) - 2)}" y="${MARGIN.top}" width="${coordinate(Math.abs(x1 - x0) + 4)}" height="${plotH}" fill="${SPAN_FILL[f.severity]}" fill-opacity="0.10"><title>${escapeHtml(`${SEVERITY_LABEL[f.severity]} ${f.rule}: ${epochSpan(f.epochs)}`)}</title></rect>`,
    );
  }
  // axes
  parts.push(
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${MARGIN.left + plotW}" y2="${MARGIN.top + plotH}" stroke="#bbb"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotH}" stroke="#bbb"/>`,
    `<text x="${MARGIN.left - 4}" y="${MARGIN.top + 4}" font-size="10" text-anchor="end" fill="#555">${escapeHtml(formatFigure(hi))}</text>`,
    `<text x="${MARGIN.left - 4}" y="${MARGIN.top + plotH}" font-size="10" text-anchor="end" fill="#555">${escapeHtml(formatFigure(lo))}</text>`,
    `<text x="${MARGIN.left}" y="${HEIGHT - 8}" font-size="10" fill="#555">${first}</text>`,
    `<text x="${MARGIN.left + plotW}" y="${HEIGHT - 8}" font-size="10" text-anchor="end" fill="#555">${last}</text>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 8}" font-size="10" text-anchor="middle" fill="#555">epoch</text>`,
  );
  // a schedule that changes the rate every epoch would bury the curves: its changes are not drawn
  for (const epoch of series.lrChanges.length <= MAX_LR_LINES ? series.lrChanges : []) {
    const x = coordinate(scale.x(epoch));
    parts.push(
      `<line class="lr-change" x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + plotH}" stroke="${COLOURS.lr}" stroke-dasharray="3 3"><title>learning rate changed at epoch ${epoch}</title></line>`,
    );
  }
  if (twinValues !== null) {
    for (const points of curvePaths(series.epochs, twinValues, scale)) {
      parts.push(
        `<polyline class="curve training" points="${points}" fill="none" stroke="${COLOURS.training}" stroke-width="1.2" stroke-dasharray="4 2"/>`,
      );
    }
  }
  for (const points of curvePaths(series.epochs, own, scale)) {
    parts.push(
      `<polyline class="curve validation" points="${points}" fill="none" stroke="${COLOURS.validation}" stroke-width="1.6"/>`,
    );
  }
  own.forEach((v, i) => {
    if (v !== null && !Number.isFinite(v)) {
      const x = coordinate(scale.x(series.epochs[i] ?? first));
      parts.push(
        `<text class="non-finite" x="${x}" y="${MARGIN.top + 8}" font-size="11" text-anchor="middle" fill="${COLOURS.nonFinite}">×</text>`,
      );
    }
  });
  const direction = isValidationName(metric) ? metricDirection(metric) : null;
  if (range !== null && direction !== null) {
    const target = direction === 'lower' ? range.min : range.max;
    const index = own.findIndex((v) => v === target);
    const epoch = series.epochs[index];
    if (epoch !== undefined) {
      parts.push(
        `<circle class="best" cx="${coordinate(scale.x(epoch))}" cy="${coordinate(scale.y(target))}" r="3.5" fill="${COLOURS.best}"><title>${escapeHtml(`best ${metric} ${formatFigure(target)} at epoch ${epoch}`)}</title></circle>`,
      );
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-t" data-metric="${escapeHtml(metric)}">${parts.join('')}</svg>`;
}

/** The metrics that get a chart: validation metrics (each with its training twin), else the chart's default. */
function chartedMetrics(series: RunSeries): string[] {
  const names = Object.keys(series.metrics);
  const validation = names.filter(isValidationName);
  return validation.length > 0 ? validation.slice(0, 8) : chartMetrics(series);
}

function chartsHtml(run: RunView, key: string): string {
  const series = run.summary.series;
  if (series === undefined || series.epochs.length < 2) return '';
  const figures = chartedMetrics(series).map((metric, i) => {
    const twin = trainingTwin(metric);
    const caption = `${metric}${twin !== null && series.metrics[twin] !== undefined ? ` (dashed: ${twin})` : ''}`;
    return `<figure>${chartSvg(series, metric, run.findings, `${key}-c${i}`)}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
  });
  if (figures.length === 0) return '';
  return `<div class="charts">${figures.join('')}</div><p class="legend muted">${escapeHtml(CHART_LEGEND)}</p>`;
}

function findingsHtml(run: RunView): string {
  if (run.findings.length === 0) return `<p class="muted">${WORDS.noFindings}</p>`;
  const rows = run.findings.map((f) => {
    const figures = findingFigures(f, { proportion: run.proportions.get(f.metric ?? '') === true });
    return `<tr class="finding-row ${f.severity}"><td class="${tone(f.severity)}">${SEVERITY_LABEL[f.severity]}</td><td><code>${escapeHtml(f.rule)}</code></td><td>${escapeHtml(f.metric ?? '–')}</td><td>${escapeHtml(epochSpan(f.epochs))}${f.line === null ? '' : ` (line ${f.line})`}</td><td>${escapeHtml(findingMessage(f))}${figures.length === 0 ? '' : `<br><span class="muted">${escapeHtml(figures.join(', '))}</span>`}</td></tr>`;
  });
  return `<table class="findings"><thead><tr><th>severity</th><th>rule</th><th>metric</th><th>epochs</th><th>finding</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function causeItem(d: Diagnosis, hidden: ReadonlySet<string>, full: boolean): string {
  const reasons = [...new Set(d.reasons.map((r) => causeText(d.cause, r)))].filter((t) => !hidden.has(t));
  const shown = full ? reasons : reasons.slice(0, 1);
  const extra = full
    ? `<div><strong>Check:</strong> ${escapeHtml(causeText(d.cause, d.check))}</div><div><strong>Fix:</strong> ${escapeHtml(causeText(d.cause, d.fix))}</div>`
    : '';
  return `<li class="cause" data-cause="${escapeHtml(d.cause)}"><span class="verdict">${d.verdict}</span> ${escapeHtml(causeTitle(d.cause))} <code class="muted">${escapeHtml(d.cause)}</code>${shown.length > 0 ? `<ul class="reasons">${shown.map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ul>` : ''}${extra}</li>`;
}

function causesHtml(run: RunView): string {
  if (run.diagnoses.length === 0) return '';
  const pattern = new Set(run.pattern);
  const shared = sharedTexts(run.top, pattern);
  const hidden = new Set([...pattern, ...shared]);
  const parts = [
    `<h4>${WORDS.causes}</h4><ul class="causes">${run.top.map((d) => causeItem(d, hidden, true)).join('')}</ul>`,
  ];
  if (shared.length > 0) {
    parts.push(
      `<p><strong>${escapeHtml(WORDS.shared)}:</strong></p><ul>${shared.map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ul>`,
    );
  }
  const rest = [...run.considered, ...run.ruledOut];
  if (rest.length > 0) {
    parts.push(
      `<details><summary>${WORDS.lessLikely} (${rest.length})</summary><ul class="causes">${rest.map((d) => causeItem(d, pattern, false)).join('')}</ul></details>`,
    );
  }
  if (run.pattern.length > 0) {
    parts.push(
      `<details><summary>${WORDS.evidence}</summary><ul>${run.pattern.map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ul></details>`,
    );
  }
  return parts.join('');
}

function fileHtml(file: FileView, index: number): string {
  const head = `<h2>${escapeHtml(file.file)}</h2>`;
  if (file.error !== null) {
    return `<section class="file">${head}<p class="error-text">${WORDS.unreadable}: ${escapeHtml(file.error)}</p></section>`;
  }
  const meta = `<p class="meta">${escapeHtml(file.format ?? 'unknown format')} · ${count(file.runs.length, 'run')} · ${count(file.epochs, 'epoch')}</p>`;
  if (file.runs.length === 0)
    return `<section class="file">${head}${meta}<p class="error-text">${WORDS.noEpochs}</p></section>`;
  const runs = file.runs.map((run) => {
    const title = file.runs.length > 1 ? `<h3>run ${run.index + 1}</h3>` : '';
    return `<section class="run">${title}${answerHtml(run.headline)}${chartsHtml(run, `f${index}r${run.index}`)}${findingsHtml(run)}${causesHtml(run)}</section>`;
  });
  const folded =
    file.folded.length === 0
      ? ''
      : `<p class="muted">Notes of several runs:</p><ul>${file.folded.map((g) => `<li>${escapeHtml(findingMessage(g.finding))} (runs ${g.runs.map((r) => r + 1).join(', ')})</li>`).join('')}</ul>`;
  const issues =
    file.issues.length === 0
      ? ''
      : `<details><summary>${count(
          file.issues.reduce((n, g) => n + g.count, 0),
          'issue',
        )}</summary><ul>${file.issues.map((g) => `<li><code>${escapeHtml(g.kind)}</code>${g.lines.length > 0 ? ` (line ${g.lines.slice(0, 10).join(', ')}${g.lines.length > 10 ? ', …' : ''})` : ''}: ${escapeHtml(g.message)}</li>`).join('')}</ul></details>`;
  return `<section class="file">${head}${meta}${runs.join('')}${folded}${issues}</section>`;
}

function runsTableHtml(view: ReturnType<typeof buildView>): string {
  const h = TABLE_HEADINGS;
  const rows = runRows(view).map(
    (r) =>
      `<tr><td>${escapeHtml(r.file)}</td><td class="num">${r.run ?? ''}</td><td class="num">${r.epochs ?? '–'}</td><td>${escapeHtml(r.metric ?? '–')}</td><td class="num">${escapeHtml(bestCell(r) ?? '–')}</td><td class="num">${escapeHtml(r.last ?? '–')}</td><td class="${tone(r.tone)}">${escapeHtml(r.verdict)}</td></tr>`,
  );
  return `<table class="runs"><thead><tr>${[h.file, h.run, h.epochs, h.metric, h.best, h.last, h.verdict].map((x) => `<th>${x}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Renders the report as one HTML document; `failOn` plays no part, `version` is in the footer. */
export function renderHtml(report: Report, options: Pick<ReporterOptions, 'version'>): string {
  const view = buildView(report);
  const worst = worstSeverity(view.counts);
  const overall = worst === null || worst === 'info' ? 'ok' : worst;
  const files = `${count(view.files.length, 'file')}${view.unreadable > 0 ? ` (${view.unreadable} ${WORDS.unreadable})` : ''}`;
  const notices: string[] = [];
  if (view.interrupted !== null)
    notices.push(`<p class="notice">${escapeHtml(WORDS.interrupted(view.interrupted))}</p>`);
  if (view.config !== null) {
    notices.push(`<p class="meta">${WORDS.config}: <code>${escapeHtml(view.config.path)}</code></p>`);
    if (view.config.outsideProject) notices.push(`<p class="notice">${escapeHtml(WORDS.configOutside)}</p>`);
  }
  const hash = styleHash();
  // nothing may load: no scripts at all, only this one inline style sheet (by hash), no images, no frames
  const csp = `default-src 'none'; style-src 'sha256-${hash}'; img-src 'none'; base-uri 'none'; form-action 'none'`;
  const body = [
    `<header><h1>epochlint report</h1><p class="totals ${tone(overall)}" id="verdict">${MARK[overall === 'ok' ? 'ok' : overall]} ${escapeHtml(severityCounts(view.counts))} in ${escapeHtml(files)}, ${count(view.epochs, 'epoch')}</p>${notices.join('')}</header>`,
    view.many ? `<section class="runs-table"><h2>Runs</h2>${runsTableHtml(view)}</section>` : '',
    ...view.files.map(fileHtml),
    `<footer>epochlint ${escapeHtml(options.version)}</footer>`,
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>epochlint report</title>
<style>${STYLE}</style>
</head>
<body>
${body.filter((x) => x.length > 0).join('\n')}
</body>
</html>
`;
}

/**
 * The sha256 of the style sheet for the page's content security policy. node:crypto is required here, on
 * the first html page, not when the reporters load: its load is ~2 ms of every lint in another format.
 */
function styleHash(): string {
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(STYLE).digest('base64');
}
