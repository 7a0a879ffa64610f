/**
 * The detector contract (design.md): a detector is data plus one pure function. It never prints,
 * never reads the environment and never throws on odd data; prose lives in `messages` and is made
 * by reporters. Its `stats` schema is the single description of the numbers its findings carry: causes
 * read them through it ({@link readStats}), never by string key.
 */
import { z } from 'zod';
import type { Finding, FindingKind, Run, RunContext, Scalar, Severity } from '../model/index.js';
import { CHECK } from '../model/check.js';

/** What a run must have for a detector to run; a run without it is skipped, not failed. */
export type Requirement = 'val' | 'train' | 'val-accuracy' | 'events';

/** The user documentation of a detector (`epochlint explain <id>`). */
export interface DetectorDocs {
  /** What the detector looks for, and how (the test, the thresholds). */
  what: string;
  /** Why it matters: what goes wrong if it is ignored, and what usually causes it. */
  why: string;
  /** A short log excerpt that triggers it. */
  example: string;
}

/** A message id of the detector with the data it quotes. */
export interface DraftReason {
  messageId: string;
  data: Record<string, Scalar>;
}

/** A finding as a detector returns it; the runner adds the rule id and applies the configured severity. */
export interface FindingDraft<Stats extends Record<string, Scalar> = Record<string, Scalar>> {
  /** Defaults to the detector's severity; detectors lower it (warning, info) by evidence strength. */
  severity?: Severity;
  metric: string | null;
  epochs: [number, number];
  line: number | null;
  stats: Stats;
  evidence: Record<string, unknown>;
  messageId: string;
  data: Record<string, Scalar>;
  /** The next step for this finding (a message id of the detector). */
  next: DraftReason;
}

/** What `detect` receives besides the run. */
export interface DetectInput<Options> {
  options: Options;
  context: RunContext;
  /** Metrics the user asked to ignore (config `ignoreMetrics`). */
  ignoreMetrics: ReadonlySet<string>;
}

/** The shape every stats schema has: an object of scalars. */
export type StatsSchema = z.ZodType<Record<string, Scalar>>;

/** A detector definition. */
export interface Detector<Schema extends z.ZodType = z.ZodType, Stats extends StatsSchema = StatsSchema> {
  /** kebab-case name of the symptom; public API, never reused. */
  id: string;
  title: string;
  defaultSeverity: Severity;
  requires: Requirement[];
  /** What kind of symptom its findings are (causes declare the kinds they explain). */
  kind: FindingKind;
  /** Whether an error or warning of this detector makes the run worth diagnosing (ranked causes). */
  startsDiagnosis: boolean;
  /** Options schema with defaults; config `rules.<id>.options` is validated by it. */
  options: Schema;
  /** Schema of the `stats` of its findings. */
  stats: Stats;
  docs: DetectorDocs;
  /** Message templates with `{name}` placeholders filled from a finding's `data` (and its next step's). */
  messages: Record<string, string>;
  detect(run: Run, input: DetectInput<z.output<Schema>>): FindingDraft<z.output<Stats>>[];
}

/** Declares a detector; the identity function that keeps the option and stats types. */
export function defineDetector<Schema extends z.ZodType, Stats extends StatsSchema>(
  detector: Detector<Schema, Stats>,
): Detector<Schema, Stats> {
  return detector;
}

/** Turns drafts into findings of one run. */
export function toFindings(detector: Detector, runIndex: number, drafts: FindingDraft[]): Finding[] {
  return drafts.map((d) => ({
    rule: detector.id,
    severity: d.severity ?? detector.defaultSeverity,
    run: runIndex,
    metric: d.metric,
    epochs: d.epochs,
    line: d.line,
    stats: d.stats,
    evidence: d.evidence,
    messageId: d.messageId,
    data: d.data,
    next: { messageId: d.next.messageId, data: d.next.data },
  }));
}

/**
 * The stats of a finding of `detector`, typed by its schema; null for a finding of another rule or with
 * stats that do not fit (an old report, a hand-made finding): a cause then treats them as unknown.
 */
export function readStats<Stats extends StatsSchema>(
  detector: { id: string; stats: Stats },
  finding: Finding,
): z.output<Stats> | null {
  if (finding.rule !== detector.id) return null;
  const parsed = detector.stats.safeParse(finding.stats, CHECK);
  return parsed.success ? parsed.data : null;
}

/** A number in a stats schema: NaN and ±Infinity allowed (a perfect fit has t = Infinity), as `Scalar` allows. */
export function stat() {
  return z.custom<number>((v) => typeof v === 'number', { message: 'expected a number' });
}
