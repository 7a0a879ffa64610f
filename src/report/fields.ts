/**
 * Fields of findings and diagnoses that the diagnosis stage adds as it grows (a finding's own next step;
 * a cause's score, side and the causes it cannot be told apart from). Reporters read them here, through
 * zod, so a report renders the same whether or not its producer sets them, and nothing else in
 * `src/report/` depends on their presence.
 */
import { z } from 'zod';
import { Reason, type Diagnosis, type Finding, type RunSummary } from '../model/index.js';
import { CHECK } from '../model/check.js';

const FindingNext = z.object({ next: Reason });

/** The unit of a run's time axis when it is not epochs (`step`, `evaluation`), as the readers record it. */
const RunAxis = z.object({ axis: z.string().min(1) });

const DiagnosisExtras = z.object({
  score: z.number().optional().catch(undefined),
  side: z.string().optional().catch(undefined),
  tiedWith: z.array(z.string()).optional().catch(undefined),
  separatedBy: Reason.nullable().optional().catch(undefined),
});

/** What a diagnosis carries beyond its verdict, or null/empty when its producer did not say. */
export interface DiagnosisFields {
  /** Higher = more likely (log-odds). */
  score: number | null;
  /** Which side the mechanism is on: `evaluation`, `training`, `data`, ... */
  side: string | null;
  /** Causes this one cannot be told apart from by the log. */
  tiedWith: string[];
  /** The observation that separates it from `tiedWith` (a message of this cause). */
  separatedBy: Reason | null;
}

/** The finding's own next step (a message id of its detector), or null when it has none. */
export function findingNext(finding: Finding): Reason | null {
  const parsed = FindingNext.safeParse(finding, CHECK);
  return parsed.success ? parsed.data.next : null;
}

/** The diagnosis's score, side and ties, when set. */
export function diagnosisFields(diagnosis: Diagnosis): DiagnosisFields {
  const parsed = DiagnosisExtras.safeParse(diagnosis, CHECK);
  const data = parsed.success ? parsed.data : {};
  return {
    score: typeof data.score === 'number' && Number.isFinite(data.score) ? data.score : null,
    side: data.side ?? null,
    tiedWith: data.tiedWith ?? [],
    separatedBy: data.separatedBy ?? null,
  };
}

/** The word of the run's time axis when its log counts something other than epochs, else null. */
export function runAxis(summary: RunSummary): string | null {
  const parsed = RunAxis.safeParse(summary, CHECK);
  return parsed.success && parsed.data.axis !== 'epoch' ? parsed.data.axis : null;
}
