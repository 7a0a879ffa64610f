/**
 * M4 (spec/causes.md §3 M4): a plain generator (or an ImageDataGenerator iterator not recognised as a
 * Sequence: TF 1.11–1.14, Keras 2.2.4 with some keras-preprocessing versions) used with
 * `use_multiprocessing=True, workers > 1` is copied into every worker; each copy advances ≈ c / workers
 * batches per epoch, so epochs cycle through ≈ workers windows [Inference].
 */
import { because, defineCause, outcome } from '../define-cause.js';
import { gatherEvidence, hasEvaluationSignature } from '../evidence.js';
import { describePattern, PATTERN_MESSAGES } from '../patterns.js';

const messages = {
  ...PATTERN_MESSAGES,
  'no-pattern':
    'duplicated generator copies show as a validation-only period of about the number of workers; no such pattern was found',
  'train-alternates':
    'training alternates too; duplicated validation batches would change only what is evaluated',
  'single-worker': 'workers = 1: there is one copy of the generator, nothing is duplicated',
  'safe-data': 'valData = {valData}: such data are split across workers by index, not copied',
  'sequence-data':
    'valData = sequence: Sequences are split by index; only TF 1.11–1.14 and Keras 2.2.4 with some keras-preprocessing versions failed to recognise ImageDataGenerator iterators as Sequences',
  'workers-match':
    'workers = {workers}: each copy of the generator advances ≈ 1/{workers} of the draws, so evaluations cycle through {workers} windows, period ≈ {workers} as observed',
  'workers-mismatch': 'workers = {workers} predicts period ≈ {workers}, not the observed period {period}',
  'workers-unknown':
    'workers and use_multiprocessing are not in the log: with use_multiprocessing=True and 2 workers a copied generator alternates between two halves (period ≈ workers)',
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
  messages,
  assess(findings, run, context) {
    const evidence = gatherEvidence(findings, run);
    const done = outcome<MessageId>(describePattern(evidence), because('check'), because('fix'));
    const workers = context.workers?.value;
    if (workers === 1) return done('ruled-out', [because('single-worker')]);
    const valData = context.valData?.value;
    if (valData === 'arrays' || valData === 'dataset')
      return done('ruled-out', [because('safe-data', { valData })]);
    const period = evidence.period;
    if (period === null) return done('unlikely', [because('no-pattern')]);
    if (evidence.valOnly === false) return done('unlikely', [because('train-alternates')]);
    if (!hasEvaluationSignature(evidence)) return done('unlikely', [because('no-pattern')]);
    if (valData === 'sequence') return done('unlikely', [because('sequence-data')]);
    if (workers === undefined) return done('possible', [because('workers-unknown')]);
    if (workers === period) return done('likely', [because('workers-match', { workers })]);
    return done('unlikely', [because('workers-mismatch', { workers, period })]);
  },
});
