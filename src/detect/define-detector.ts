/**
 * The detector contract (design.md): a detector is data plus one pure function. It never prints,
 * never reads the environment and never throws on odd data; prose lives in `messages` and is made
 * by reporters.
 */
import type { z } from 'zod';
import type { Finding, Run, RunContext, Scalar, Severity } from '../model/index.js';

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

/** A finding as a detector returns it; the runner adds the rule id and applies the configured severity. */
export interface FindingDraft {
  /** Defaults to the detector's severity; detectors lower it (warning, info) by evidence strength. */
  severity?: Severity;
  metric: string | null;
  epochs: [number, number];
  line: number | null;
  stats: Record<string, Scalar>;
  evidence: Record<string, unknown>;
  messageId: string;
  data: Record<string, Scalar>;
}

/** What `detect` receives besides the run. */
export interface DetectInput<Options> {
  options: Options;
  context: RunContext;
  /** Metrics the user asked to ignore (config `ignoreMetrics`). */
  ignoreMetrics: ReadonlySet<string>;
}

/** A detector definition. */
export interface Detector<Schema extends z.ZodType = z.ZodType> {
  /** kebab-case name of the symptom; public API, never reused. */
  id: string;
  title: string;
  defaultSeverity: Severity;
  requires: Requirement[];
  /** Options schema with defaults; config `rules.<id>.options` is validated by it. */
  options: Schema;
  docs: DetectorDocs;
  /** Message templates with `{name}` placeholders filled from a finding's `data`. */
  messages: Record<string, string>;
  detect(run: Run, input: DetectInput<z.output<Schema>>): FindingDraft[];
}

/** Declares a detector; the identity function that keeps the option types. */
export function defineDetector<Schema extends z.ZodType>(detector: Detector<Schema>): Detector<Schema> {
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
  }));
}
