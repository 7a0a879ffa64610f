/**
 * `epochlint rules` and `epochlint explain <id>`: the detectors and causes as documentation, wrapped to
 * the terminal. `explain` says why a rule matters before how it is computed.
 */
import { CAUSES, findCause } from '../diagnose/causes/index.js';
import { DETECTORS, findDetector } from '../detect/index.js';
import { displayWidth, hang, pad, wrap } from './width.js';
import { CHECK } from '../model/check.js';

/** Every id `explain` knows: detectors, then causes. */
export function explainableIds(): string[] {
  return [...DETECTORS.map((d) => d.id), ...CAUSES.map((c) => c.id)];
}

/**
 * The id meant by a misspelt or partial one: the closest by spelling (`suggest`, given), else the only id
 * that contains it (`slice-rotation` → `validation-slice-rotation`); null when neither says.
 */
export function suggestId(
  id: string,
  closest: (id: string, candidates: readonly string[]) => string | null,
): string | null {
  const ids = explainableIds();
  const spelt = closest(id, ids);
  if (spelt !== null) return spelt;
  const wanted = id.toLowerCase();
  const containing = wanted.length >= 4 ? ids.filter((candidate) => candidate.includes(wanted)) : [];
  return containing.length === 1 ? (containing[0] ?? null) : null;
}

/** What the second column says of a cause (where a detector has its default severity). */
const CAUSE_KIND = 'cause';

/**
 * The detectors (id, default severity, title), then the causes the diagnosis weighs (id, `cause`,
 * title); every line starts with its id, titles wrap under themselves to `width`.
 */
export function renderRules(width = 80): string {
  const idWidth = Math.max(
    ...DETECTORS.map((d) => displayWidth(d.id)),
    ...CAUSES.map((c) => displayWidth(c.id)),
  );
  const indent = ' '.repeat(idWidth + 2 + 7 + 2);
  const row = (id: string, kind: string, title: string) =>
    hang(title, width, `${pad(id, idWidth)}  ${kind.padEnd(7)}  `, indent);
  const lines = [
    ...DETECTORS.flatMap((d) => row(d.id, d.defaultSeverity, d.title)),
    '',
    ...CAUSES.flatMap((c) => row(c.id, CAUSE_KIND, c.title)),
  ];
  return `${lines.join('\n')}\n`;
}

function section(title: string, text: string, width: number): string[] {
  return [title, ...text.split('\n').flatMap((paragraph) => wrap(paragraph, width, '  ')), ''];
}

/** The rule's options with their defaults, as set in the config (`rules.<id>.options`). */
function optionLines(id: string, width: number): string[] {
  const detector = findDetector(id);
  if (detector === undefined) return [];
  const defaults = detector.options.parse({}, CHECK) as Record<string, unknown>;
  const names = Object.keys(defaults);
  if (names.length === 0) return ['Options', '  none', ''];
  return [
    ...wrap(`Options (config: "rules": { "${id}": { "options": { ... } } })`, width),
    ...names.map((name) => `  ${name} = ${JSON.stringify(defaults[name])}`),
    '',
  ];
}

/** A cause's message with its placeholders shown as `<name>` (explain has no run to fill them from). */
function template(text: string | undefined): string | null {
  return text === undefined ? null : text.replace(/\{(\w+)\}/g, '<$1>');
}

/** The documentation of a detector or a cause, or null for an unknown id. */
export function renderExplain(id: string, width = 80): string | null {
  const d = findDetector(id);
  if (d !== undefined) {
    return [
      ...wrap(`${d.id} — ${d.title}`, width),
      `default severity: ${d.defaultSeverity}`,
      '',
      ...section('Why it matters', d.docs.why, width),
      ...section('What it checks', d.docs.what, width),
      'Example',
      ...d.docs.example.split('\n').map((l) => `  ${l}`),
      '',
      ...optionLines(d.id, width),
    ].join('\n');
  }
  const cause = findCause(id);
  if (cause === undefined) return null;
  const check = template(cause.messages.check);
  const fix = template(cause.messages.fix);
  return [
    ...wrap(`${cause.id} — ${cause.title}`, width),
    'a cause the diagnosis weighs (see: epochlint rules)',
    '',
    ...section('What it predicts in a log', cause.predicts, width),
    ...(check === null ? [] : section('The check that settles it', check, width)),
    ...(fix === null ? [] : section('The fix', fix, width)),
  ].join('\n');
}
