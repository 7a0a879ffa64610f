/**
 * Does the validation iterator persist across epochs or restart at every evaluation? It depends on the
 * kind of validation data and the Keras version (spec/causes.md §2.2, which changed four times between
 * Keras 2.1.2 and 2.2.4). Slice rotation and extra draws need a persistent iterator; a restarting one
 * scores the same first `validation_steps` batches every epoch.
 */
import type { RunContext } from '../model/index.js';

/** What a version tells about the iterator, and which rule of §2.2 says so. */
export interface Persistence {
  persistence: 'persists' | 'restarts' | 'unknown';
  /** The §2.2 row that decided it, for a reason ("tf.keras ≥ 2.2 restarts Sequence and tf.data ..."). */
  basis: string;
}

interface Version {
  major: number;
  minor: number;
  patch: number;
  /** `2.3.0-tf`: the tf.keras copy inside TensorFlow. */
  tf: boolean;
}

/** Reads `2.2.4`, `2.3.0-tf`, `keras 3.1`, `tf 2.15`; null when there is no version number. */
export function parseKerasVersion(text: string): Version | null {
  const m = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  if (!m) return null;
  return {
    major: Number(m[1]),
    minor: Number(m[2] ?? 0),
    patch: Number(m[3] ?? 0),
    tf: /tf|tensorflow/i.test(text),
  };
}

const at = (v: Version, major: number, minor: number, patch = 0): boolean =>
  v.major !== major ? v.major > major : v.minor !== minor ? v.minor > minor : v.patch >= patch;

/** The persistence of the validation iterator for the run's `valData` and `kerasVersion` (flags or config). */
export function validationPersistence(context: RunContext): Persistence {
  const valData = context.valData?.value;
  const text = context.kerasVersion?.value;
  if (valData === undefined)
    return { persistence: 'unknown', basis: 'the kind of validation data is not known' };
  if (valData === 'arrays')
    return { persistence: 'restarts', basis: 'arrays are evaluated in full every epoch' };
  if (valData === 'generator') {
    return {
      persistence: 'persists',
      basis: 'a Python generator continues where it stopped, in every version',
    };
  }
  const v = text === undefined ? null : parseKerasVersion(text);
  if (v === null)
    return { persistence: 'unknown', basis: `for ${valData} data it depends on the Keras version` };
  if (v.major >= 3)
    return { persistence: 'restarts', basis: 'Keras 3 re-iterates the validation data at every evaluation' };
  if (at(v, 2, 4) || (v.tf && at(v, 2, 3))) {
    return {
      persistence: 'restarts',
      basis: 'tf.keras ≥ 2.2 restarts Sequence and tf.data validation data at every evaluation',
    };
  }
  if (valData === 'dataset')
    return { persistence: 'unknown', basis: 'tf.data before TF 2.2 may not reset between epochs' };
  if (v.tf)
    return { persistence: 'restarts', basis: 'TF ≤ 2.1 builds a new enqueuer over a Sequence every epoch' };
  if (at(v, 2, 2, 3))
    return { persistence: 'persists', basis: 'Keras 2.2.3–2.3 reuses one validation enqueuer' };
  if (at(v, 2, 1, 5))
    return { persistence: 'restarts', basis: 'Keras 2.1.5–2.2.2 restarts a Sequence every epoch' };
  if (at(v, 2, 1, 3))
    return { persistence: 'persists', basis: 'Keras 2.1.3–2.1.4 creates the validation queue once' };
  return { persistence: 'restarts', basis: 'Keras ≤ 2.1.2 starts a Sequence from batch 0 every epoch' };
}
