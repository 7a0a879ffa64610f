/** Which metric names are accuracies (fractions of samples right), through the role table. */
import { findRole, trainingTwin } from '../model/index.js';

/**
 * True for accuracy-type names: the accuracy roles (`acc`, `val_accuracy`, `binary_accuracy`, ...) and
 * per-output accuracies (`val_<out>_acc`). Bounded in [0, 1], with binomial sampling noise.
 */
export function isAccuracyName(name: string): boolean {
  if (findRole([name], 'accuracy') !== null || findRole([name], 'val_accuracy') !== null) return true;
  const base = trainingTwin(name) ?? name;
  return /(^|_)acc(uracy)?$/.test(base);
}
