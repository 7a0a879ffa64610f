/**
 * M4 (spec/causes.md §3 M4): a plain generator (or an ImageDataGenerator iterator not recognised as a
 * Sequence: TF 1.11–1.14, Keras 2.2.4 with some keras-preprocessing versions) used with
 * `use_multiprocessing=True, workers > 1` is copied into every worker; each copy advances ≈ c / workers
 * batches per epoch, so epochs cycle through ≈ workers windows [Inference].
 */
import { assessment, because, defineCause, weigh, type TypedReason } from '../define-cause.js';
import { provenance } from '../facts.js';
import { tallyPrior } from '../priors.js';

const messages = {
  'no-pattern':
    'duplicated generator copies show as a validation-only period of about the number of workers; no such pattern was found',
  'single-worker':
    'workers = 1 ({source}, line {line}): there is one copy of the generator, nothing is duplicated',
  'no-multiprocessing':
    'use_multiprocessing is off ({source}, line {line}): worker threads share one generator, they do not copy it',
  'safe-data': 'valData = {valData}: such data are split across workers by index, not copied',
  'sequence-data':
    'valData = sequence: Sequences are split by index; only TF 1.11–1.14 and Keras 2.2.4 with some keras-preprocessing versions failed to recognise ImageDataGenerator iterators as Sequences',
  'workers-match':
    'workers = {workers}: each copy of the generator advances ≈ 1/{workers} of the draws, so evaluations cycle through {workers} windows, period ≈ {workers} as observed',
  'workers-mismatch': 'workers = {workers} predicts period ≈ {workers}, not the observed period {period}',
  'workers-unknown':
    'workers and use_multiprocessing are not known: with use_multiprocessing=True and 2 workers a copied generator alternates between two halves (period ≈ workers)',
  check:
    'search the full output for "may duplicate your data" (Keras UserWarning) and print the workers / use_multiprocessing passed to fit; evaluate one checkpoint with workers=1: if the swing disappears, duplication caused it',
  fix: 'use a keras.utils.Sequence or tf.data for validation, or workers=1 / use_multiprocessing=False',
} as const;

type MessageId = keyof typeof messages;

export default defineCause({
  id: 'worker-duplication',
  title: 'Generator copied into several workers (use_multiprocessing with workers > 1)',
  predicts:
    'a validation-only period of about the number of workers; Keras warns "may duplicate your data"; training may see each batch several times',
  side: 'evaluation',
  explains: ['periodic'],
  prior: tallyPrior('worker-duplication'),
  // copies duplicate training batches too, so training can share the period; windows are partial
  likelihoods: {
    pattern: { 'val-periodic': 0.6, 'shared-periodic': 0.2, 'stuck-constant': 0.05 },
    counts: { cycle: 0.6, constant: 0.3, 'constant-subset': 0.3, 'constant-full': 0.1 },
  },
  messages,
  assess(evidence, _run, context) {
    const done = (reasons: TypedReason<MessageId>[]) =>
      assessment<MessageId>(reasons, because('check'), because('fix'));
    const workers = context.workers;
    if (workers !== null && workers.value === 1)
      return done([weigh('single-worker', provenance(workers), 0, 1)]);
    const multi = context.useMultiprocessing;
    if (multi !== null && multi.value === false)
      return done([weigh('no-multiprocessing', provenance(multi), 0, 1)]);
    const valData = context.valData?.value;
    if (valData === 'arrays' || valData === 'dataset') return done([weigh('safe-data', { valData }, 0, 1)]);
    const period = evidence.period;
    if (period === null) return done([because('no-pattern')]);
    const reasons: TypedReason<MessageId>[] = [];
    if (valData === 'sequence') reasons.push(weigh('sequence-data', {}, 0.1, 1));
    if (workers === null) return done([...reasons, because('workers-unknown')]);
    // with w workers the copies cycle through about w windows; another period is a coincidence
    if (workers.value === period)
      return done([...reasons, weigh('workers-match', { workers: workers.value }, 1, 0.3)]);
    return done([...reasons, weigh('workers-mismatch', { workers: workers.value, period }, 0.05, 1)]);
  },
});
