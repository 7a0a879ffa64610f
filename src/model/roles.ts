/**
 * The explicit alias table that maps printed metric names onto the roles detectors reason about.
 * Names are never rewritten in records; detectors ask this table instead (spec §4.3, pitfalls 26–28).
 */

/** Roles a detector can require. */
export type MetricRole = 'loss' | 'accuracy' | 'val_loss' | 'val_accuracy' | 'lr';

/** Accuracy names Keras prints, by version: `acc` (Keras ≤ 2.2, TF1), `accuracy` (later), class defaults. */
export const ACCURACY_NAMES: readonly string[] = [
  'accuracy',
  'acc',
  'binary_accuracy',
  'categorical_accuracy',
  'sparse_categorical_accuracy',
];

/** Learning-rate keys written by ReduceLROnPlateau / LearningRateScheduler / TensorBoard. */
export function isLearningRateName(name: string): boolean {
  return name === 'lr' || name === 'learning_rate' || name.startsWith('learning_rate_');
}

/** True for names the validation pass produced (`val_` prefix, pitfall 28); `val_lr` CSV columns excluded. */
export function isValidationName(name: string): boolean {
  return name.startsWith('val_') && !isLearningRateName(name.slice(4));
}

/** The training twin of a validation metric (`val_acc` → `acc`), or null. */
export function trainingTwin(name: string): string | null {
  return isValidationName(name) ? name.slice(4) : null;
}

/** Which direction is better for a metric, judged from its name; null when the name does not say. */
export function metricDirection(name: string): 'lower' | 'higher' | null {
  const base = (isValidationName(name) ? name.slice(4) : name).toLowerCase();
  if (isLearningRateName(base)) return null;
  if (/(loss|error|mse|mae|mape|msle|crossentropy|hinge|divergence|perplexity)/.test(base)) return 'lower';
  if (/(acc|auc|precision|recall|f1|fmeasure|iou|jaccard|dice|r2|top_k|specificity|sensitivity)/.test(base)) {
    return 'higher';
  }
  return null;
}

/**
 * The metric that plays a role in a set of names, e.g. `accuracy` → `acc` when the log printed `acc`.
 * For multi-output logs without a plain name, the first `<output>_loss`/`<output>_acc` is not guessed.
 */
export function findRole(names: Iterable<string>, role: MetricRole): string | null {
  const present = new Set(names);
  switch (role) {
    case 'loss':
      return present.has('loss') ? 'loss' : null;
    case 'val_loss':
      return present.has('val_loss') ? 'val_loss' : null;
    case 'accuracy':
      return ACCURACY_NAMES.find((n) => present.has(n)) ?? null;
    case 'val_accuracy':
      return ACCURACY_NAMES.map((n) => `val_${n}`).find((n) => present.has(n)) ?? null;
    case 'lr':
      for (const n of present) if (isLearningRateName(n)) return n;
      return null;
  }
}
