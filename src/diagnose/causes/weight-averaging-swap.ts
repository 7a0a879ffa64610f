/**
 * M11 (spec/causes.md §3 M11): optimizers with `use_ema=True` overwrite the model variables with their
 * moving average every `ema_overwrite_frequency` iterations; SWA and Lookahead swap weights on their own
 * schedule. If the swap is not aligned with epoch ends, some evaluations see averaged weights and others
 * raw ones: a phase-locked, validation-only period [Inference]. The whole validation set is evaluated every
 * epoch, so the sample count behind each value stays the same.
 */
import { assessment, because, defineCause, weigh, type TypedReason } from '../define-cause.js';
import { provenance } from '../facts.js';
import { tallyPrior } from '../priors.js';

/** How often a swap shows a period other than 2 (an overwrite every k ≥ 3 epochs of steps) relative to 2. */
const LONG_PERIOD = 0.3;

const messages = {
  'period-not-two':
    'a swap of two weight sets toggled per evaluation alternates every epoch; period {period} needs an overwrite exactly every {period} epochs',
  'no-pattern': 'a weight swap shows as a validation-only, phase-locked period; none was found',
  'swap-frequency':
    'an averaged-weight overwrite every {iterations} iterations ({period} epochs × {steps} steps) would alternate the evaluated weights with period {period}',
  'config-unknown':
    'the optimizer configuration (use_ema, ema_overwrite_frequency, SWA or Lookahead wrappers) is not known',
  'code-averaging': 'the code averages weights: {name} (line {line}: `{code}`)',
  'code-no-averaging':
    'the code builds {name} without weight averaging (no use_ema, SWA or Lookahead; line {line}: `{code}`)',
  'separate-rotation':
    'the samples behind each validation accuracy: a swap evaluates the whole set every epoch (the same count), a rotation windows of different sizes; full float32 digits (CSVLogger, history JSON) show it',
  check:
    'print model.optimizer.get_config() (use_ema, ema_overwrite_frequency) and any SWA/Lookahead wrapper; evaluate one checkpoint with the raw and with the averaged weights: a difference the size of the swing settles it',
  fix: 'evaluate consistently: swap the averaged weights in before every validation (or never), or make the overwrite frequency a multiple of the steps per epoch',
} as const;

type MessageId = keyof typeof messages;

export default defineCause({
  id: 'weight-averaging-swap',
  title: 'Evaluated weights swap between epochs (EMA overwrite, SWA, Lookahead)',
  predicts:
    'a periodic, phase-locked validation swing with smooth training metrics; the same number of samples evaluated every epoch',
  side: 'evaluation',
  explains: ['periodic'],
  prior: tallyPrior('weight-averaging-swap'),
  // the swap changes which weights are scored, never which samples: the count stays that of the whole set
  likelihoods: {
    pattern: { 'val-periodic': 0.85, 'val-irregular': 0.05 },
    counts: { 'constant-full': 0.95, constant: 0.95, 'constant-subset': 0.05, cycle: 0.001 },
  },
  separatedFrom: { 'validation-slice-rotation': 'separate-rotation' },
  messages,
  assess(evidence, _run, context) {
    const done = (reasons: TypedReason<MessageId>[]) =>
      assessment<MessageId>(reasons, because('check'), because('fix'));
    const period = evidence.period;
    if (period === null) return done([because('no-pattern')]);
    const reasons: TypedReason<MessageId>[] = [];
    // two weight sets toggled per evaluation alternate every epoch; a longer period needs an overwrite
    // schedule of exactly that many epochs of steps, one configuration among many
    if (period !== 2) reasons.push(weigh('period-not-two', { period }, LONG_PERIOD, 1));
    const optimizer = context.optimizer;
    if (optimizer !== null && optimizer.source === 'code') {
      // code that builds the optimizer shows averaging when there is any (a tenth of optimizers average)
      reasons.push(
        optimizer.value.averaging
          ? weigh('code-averaging', { name: optimizer.value.name, ...provenance(optimizer) }, 1, 0.1)
          : weigh('code-no-averaging', { name: optimizer.value.name, ...provenance(optimizer) }, 0.05, 1),
      );
    } else {
      reasons.push(because('config-unknown'));
    }
    const steps = context.stepsPerEpoch?.value;
    if (steps !== undefined)
      reasons.push(because('swap-frequency', { iterations: period * steps, period, steps }));
    return done(reasons);
  },
});
