/**
 * M14, `validation_freq` part (spec/causes.md §3 M14): with `validation_freq=k` validation metrics exist
 * only every k-th epoch; a tool (or a hand-made history) that forward-fills or misaligns them can fabricate
 * an alternation. The log itself shows it: epochs without `val_*`, or values repeated exactly.
 */
import { isValidationName } from '../../model/index.js';
import { assessment, because, defineCause, weigh, type TypedReason } from '../define-cause.js';
import { tallyPrior } from '../priors.js';
import { gcd } from '../slice-rotation.js';

/** Share of validated epochs that repeat the previous values exactly before we call it forward-filling. */
const FILLED_SHARE = 0.3;

const messages = {
  'no-validation': 'the run has no validation metrics',
  'every-epoch':
    'validation values are present on all {epochs} epochs and never repeat exactly: no validation_freq gaps',
  'gaps-with-pattern':
    'validation ran on {validated} of {epochs} epochs (every {spacing}): a period across the gaps can come from how the missing epochs are aligned',
  'forward-filled':
    '{repeats} of {validated} validated epochs repeat the previous validation values exactly: forward-filled validation_freq values',
  check:
    'look for validation_freq in the fit call and count the val_* entries in history.history: fewer entries than epochs means validation ran only every k epochs',
  fix: 'analyse only the epochs where validation ran (validation_freq=k evaluates every k-th epoch), or set validation_freq=1',
} as const;

type MessageId = keyof typeof messages;

export default defineCause({
  id: 'validation-freq-gaps',
  title: 'Validation only every k epochs (validation_freq), misaligned or forward-filled',
  predicts: 'val_* missing on some epochs or repeated exactly; an apparent period equal to validation_freq',
  side: 'measurement',
  explains: ['periodic'],
  prior: tallyPrior('validation-freq-gaps'),
  likelihoods: { pattern: { 'val-periodic': 0.9 } },
  messages,
  assess(_evidence, run) {
    const done = (reasons: TypedReason<MessageId>[]) =>
      assessment<MessageId>(reasons, because('check'), because('fix'));
    const names = [...new Set(run.epochs.flatMap((e) => Object.keys(e.metrics)))]
      .filter(isValidationName)
      .sort();
    if (names.length === 0) return done([weigh('no-validation', {}, 0, 1)]);
    const validated = run.epochs.filter((e) => names.some((n) => e.metrics[n] !== undefined));
    let repeats = 0;
    for (let i = 1; i < validated.length; i++) {
      const before = validated[i - 1];
      const now = validated[i];
      if (before && now && names.every((n) => Object.is(before.metrics[n], now.metrics[n]))) repeats += 1;
    }
    const epochs = run.epochs.length;
    const spacing = validated.slice(1).reduce((g, e, i) => gcd(g, e.epoch - (validated[i]?.epoch ?? 0)), 0);
    // what the log shows is decisive: filled values or gaps are there or they are not
    if (validated.length > 1 && repeats >= FILLED_SHARE * (validated.length - 1)) {
      return done([weigh('forward-filled', { repeats, validated: validated.length }, 1, 0.01)]);
    }
    if (validated.length < epochs) {
      const data = { validated: validated.length, epochs, spacing: spacing > 0 ? spacing : null };
      return done([weigh('gaps-with-pattern', data, 1, 0.05)]);
    }
    return done([weigh('every-epoch', { epochs }, 0, 1)]);
  },
});
