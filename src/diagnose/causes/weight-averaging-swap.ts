/**
 * M11 (spec/causes.md §3 M11): optimizers with `use_ema=True` overwrite the model variables with their
 * moving average every `ema_overwrite_frequency` iterations; SWA and Lookahead swap weights on their own
 * schedule. If the swap is not aligned with epoch ends, some evaluations see averaged weights and others
 * raw ones: a phase-locked, validation-only period [Inference].
 */
import { because, defineCause, outcome, type TypedReason } from '../define-cause.js';
import { gatherEvidence, hasEvaluationSignature } from '../evidence.js';
import { describePattern, PATTERN_MESSAGES } from '../patterns.js';

const messages = {
  ...PATTERN_MESSAGES,
  'no-pattern': 'a weight swap shows as a validation-only, phase-locked period; no such pattern was found',
  'train-alternates': 'training alternates too; swapping the evaluated weights changes only validation',
  'swap-frequency':
    'an averaged-weight overwrite every {iterations} iterations ({period} epochs × {steps} steps) would alternate the evaluated weights with period {period}',
  'config-unknown':
    'the optimizer configuration (use_ema, ema_overwrite_frequency, SWA or Lookahead wrappers) is not in the log',
  check:
    'print model.optimizer.get_config() (use_ema, ema_overwrite_frequency) and any SWA/Lookahead wrapper; evaluate one checkpoint with the raw and with the averaged weights: a difference the size of the swing settles it',
  fix: 'evaluate consistently: swap the averaged weights in before every validation (or never), or make the overwrite frequency a multiple of the steps per epoch',
} as const;

type MessageId = keyof typeof messages;

export default defineCause({
  id: 'weight-averaging-swap',
  title: 'Evaluated weights swap between epochs (EMA overwrite, SWA, Lookahead)',
  predicts: 'a periodic, phase-locked validation swing with smooth training metrics',
  messages,
  assess(findings, run, context) {
    const evidence = gatherEvidence(findings, run);
    const done = outcome<MessageId>(describePattern(evidence), because('check'), because('fix'));
    const period = evidence.period;
    if (period === null) return done('unlikely', [because('no-pattern')]);
    if (evidence.valOnly === false) return done('unlikely', [because('train-alternates')]);
    if (!hasEvaluationSignature(evidence)) return done('unlikely', [because('no-pattern')]);
    const steps = context.stepsPerEpoch?.value;
    const lead: TypedReason<MessageId>[] = [because('config-unknown')];
    if (steps !== undefined)
      lead.push(because('swap-frequency', { iterations: period * steps, period, steps }));
    return done('possible', lead);
  },
});
