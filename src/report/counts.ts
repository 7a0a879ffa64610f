/** Totals shared by the reporters and the exit code. */
import type { Report, Severity } from '../model/index.js';

/** Epochs read over all files. */
export function epochTotal(report: Report): number {
  return report.files.reduce((n, f) => n + f.runs.reduce((m, r) => m + r.epochs, 0), 0);
}

/** Counts findings by severity over all files. */
export function countFindings(report: Report): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const file of report.files) for (const f of file.findings) counts[f.severity] += 1;
  return counts;
}
