/** The detector registry: explicit and alphabetical (a registry test checks both, and the docs). */
import type { Detector } from './define-detector.js';
import checkpointBias from './detectors/checkpoint-bias.js';
import lossDivergence from './detectors/loss-divergence.js';
import lossNotFinite from './detectors/loss-not-finite.js';
import overfitting from './detectors/overfitting.js';
import plateau from './detectors/plateau.js';
import trainLossJumps from './detectors/train-loss-jumps.js';
import trainOscillation from './detectors/train-oscillation.js';
import valAlternation from './detectors/val-alternation.js';
import valBetterThanTrain from './detectors/val-better-than-train.js';
import valInstability from './detectors/val-instability.js';
import valPeriodic from './detectors/val-periodic.js';
import valStuck from './detectors/val-stuck.js';
import valSwingExceedsSamplingNoise from './detectors/val-swing-exceeds-sampling-noise.js';

export const DETECTORS: readonly Detector[] = [
  checkpointBias,
  lossDivergence,
  lossNotFinite,
  overfitting,
  plateau,
  trainLossJumps,
  trainOscillation,
  valAlternation,
  valBetterThanTrain,
  valInstability,
  valPeriodic,
  valStuck,
  valSwingExceedsSamplingNoise,
] as Detector[];

/** A detector by id, or undefined. */
export function findDetector(id: string): Detector | undefined {
  return DETECTORS.find((d) => d.id === id);
}

export {
  defineDetector,
  readStats,
  type Detector,
  type DetectorDocs,
  type FindingDraft,
} from './define-detector.js';
export { runDetectors, compareFindings, type DetectSettings, type RuleSetting } from './run-detectors.js';
