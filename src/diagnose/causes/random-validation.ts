/**
 * M5 (spec/causes.md §3 M5): a validation set that differs at random every epoch (shuffle=True with
 * truncated steps, augmentation on the validation generator, a split reshuffled each iteration). Its
 * signature is irregular noise about the size of the subset's binomial noise, never a held phase.
 */
import { because, defineCause, outcome } from '../define-cause.js';
import { gatherEvidence, phaseChance } from '../evidence.js';
import { describePattern, PATTERN_MESSAGES } from '../patterns.js';

const messages = {
  ...PATTERN_MESSAGES,
  'phase-locked':
    'random draws are irregular: keeping one odd/even phase for {epochs} epochs has a chance of about {chance}',
  'not-shuffled':
    'the validation iterator does not shuffle (valShuffle = false); only augmentation or a reshuffled split could still randomise it',
  shuffled:
    'the validation iterator shuffles (valShuffle = true), so each epoch evaluates a different random subset',
  'irregular-swing': 'validation swings exceed sampling noise ({ratio}× the binomial SE) without a period',
  'no-swing': 'no irregular validation swing was found',
  check:
    'evaluate one checkpoint twice in a row with the validation generator as configured: different numbers mean a random (shuffled or augmented) validation set',
  fix: 'validate on a fixed, un-augmented set: shuffle=False and no augmentation on the validation generator; split before shuffling (reshuffle_each_iteration=False)',
} as const;

type MessageId = keyof typeof messages;

export default defineCause({
  id: 'random-validation',
  title: 'Random or augmented validation set',
  predicts: 'irregular, non-periodic validation noise about the binomial noise of the evaluated subset',
  messages,
  assess(findings, run, context) {
    const evidence = gatherEvidence(findings, run);
    const done = outcome<MessageId>(describePattern(evidence), because('check'), because('fix'));
    const shuffle = context.valShuffle?.value;
    const shuffleReason =
      shuffle === true ? [because('shuffled')] : shuffle === false ? [because('not-shuffled')] : [];
    if (evidence.period !== null && evidence.phaseLocked) {
      const epochs = evidence.primary?.longestPhaseRun ?? evidence.epochsObserved;
      return done('unlikely', [
        because('phase-locked', { epochs, chance: phaseChance(epochs) }),
        ...shuffleReason,
      ]);
    }
    if (evidence.irregularSwing || evidence.period !== null) {
      const lead = evidence.irregularSwing
        ? [because('irregular-swing', { ratio: evidence.swing?.ratio ?? null })]
        : [];
      if (shuffle === true) return done('likely', [...lead, ...shuffleReason]);
      if (shuffle === false) return done('unlikely', [...shuffleReason, ...lead]);
      return done('possible', lead);
    }
    return done('unlikely', [because('no-swing'), ...shuffleReason]);
  },
});
