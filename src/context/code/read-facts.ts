/**
 * Reads the facts a diagnosis needs from the calls and assignments of training code: the layers
 * (BatchNormalization, Dropout), the generators (batch sizes, shuffle, augmentation, rescale), the fit call
 * (validation_steps and steps_per_epoch expressions, workers, use_multiprocessing, callbacks), the optimizer
 * (learning rate, weight averaging) and the learning-rate schedule. Every fact keeps the line and the code
 * that states it. Values are read, never evaluated as code: a tiny arithmetic reader resolves `1. / 255` or
 * `val_batchsize` (assigned `32` earlier), nothing else.
 */
import type { OptimizerFact, ScheduleKind, ValData } from '../../model/index.js';
import type { CodeFact, CodeFacts } from './facts.js';
import { emptyCodeFacts } from './facts.js';
import { excerpt, type CodeArg, type CodeCall, type CodeModel } from './model.js';

/** A model read from one source, with where it is. */
export interface ReadModel {
  model: CodeModel;
  file: string | null;
}

const BATCHNORM = new Set([
  'BatchNormalization',
  'BatchNorm1d',
  'BatchNorm2d',
  'BatchNorm3d',
  'SyncBatchNorm',
  'SyncBatchNormalization',
  'batch_normalization',
  'BatchNorm',
]);
/** Pretrained backbones that carry BatchNormalization layers (VGG does not). */
const BACKBONES_WITH_BN =
  /^(ResNet|ResNetV2|resnet|wide_resnet|resnext|MobileNet|mobilenet|EfficientNet|efficientnet|InceptionV3|InceptionResNetV2|inception_v3|DenseNet|densenet|Xception|NASNet|ConvNeXt|convnext|RegNet|regnet)/;
const DROPOUT =
  /^(Dropout|SpatialDropout[123]D|AlphaDropout|GaussianDropout|Dropout[123]d|FeatureAlphaDropout|dropout)$/;
const LAYERS = new Set([
  'Dense',
  'Conv1D',
  'Conv2D',
  'Conv3D',
  'SeparableConv2D',
  'DepthwiseConv2D',
  'Conv1d',
  'Conv2d',
  'Conv3d',
  'Linear',
  'LSTM',
  'GRU',
  'SimpleRNN',
  'Embedding',
  'MaxPooling2D',
  'MaxPool2d',
  'AveragePooling2D',
  'Flatten',
  'Activation',
  'ReLU',
  'GlobalAveragePooling2D',
]);
const LOADED_MODEL = /^(load_model|from_pretrained|load_state_dict|load_weights)$/;
const GENERATORS = new Set([
  'flow_from_directory',
  'flow',
  'flow_from_dataframe',
  'image_dataset_from_directory',
  'DataLoader',
]);
const AUGMENTATION = [
  'rotation_range',
  'width_shift_range',
  'height_shift_range',
  'shear_range',
  'zoom_range',
  'horizontal_flip',
  'vertical_flip',
  'brightness_range',
  'channel_shift_range',
];
const OPTIMIZERS =
  /^(Adam|AdamW|Adamax|Nadam|NAdam|RAdam|SGD|RMSprop|Adagrad|Adadelta|Ftrl|Lion|LAMB|Lamb|AdaBelief|Adafactor)$/;
const AVERAGING =
  /^(SWA|SWALR|AveragedModel|ExponentialMovingAverage|MovingAverage|Lookahead|ModelEMA|EMA|StochasticWeightAveraging|SWAG)$/;
const SCHEDULES: Array<[RegExp, ScheduleKind]> = [
  [
    /^(CyclicLR|CyclicalLearningRate|TriangularCyclicalLearningRate|Triangular2CyclicalLearningRate|OneCycleLR|OneCycle|CLR)$/,
    'cyclic',
  ],
  [/^(CosineDecayRestarts|CosineAnnealingWarmRestarts|SGDR|SGDRScheduler)$/, 'warm-restarts'],
  [/^(LearningRateScheduler|LambdaLR|MultiplicativeLR)$/, 'custom'],
  [/^(StepLR|MultiStepLR|PiecewiseConstantDecay)$/, 'step'],
  [
    /^(ExponentialDecay|ExponentialLR|CosineDecay|CosineAnnealingLR|PolynomialDecay|InverseTimeDecay|LinearLR)$/,
    'decay',
  ],
  [/^ReduceLROnPlateau$/, 'plateau'],
];
const SCHEDULE_ORDER: ScheduleKind[] = [
  'cyclic',
  'warm-restarts',
  'custom',
  'step',
  'decay',
  'plateau',
  'constant',
];

interface Located {
  call: CodeCall;
  file: string | null;
}

function fact<T>(value: T, at: Located): CodeFact<T> {
  return { value, file: at.file, line: at.call.line, excerpt: at.call.text };
}

function arg(call: CodeCall, keyword: string, position: number | null = null): CodeArg | null {
  const byName = call.args.find((a) => a.keyword === keyword);
  if (byName) return byName;
  if (position === null) return null;
  return call.args.filter((a) => a.keyword === null)[position] ?? null;
}

function isName(text: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(text.trim());
}

/** Resolves names to the value last assigned to them; reads numbers and + − × ÷ //; null otherwise. */
class Values {
  private readonly assigned = new Map<string, string>();
  constructor(models: readonly ReadModel[]) {
    for (const { model } of models)
      for (const a of model.assignments) this.assigned.set(a.target.trim(), a.value);
  }

  number(text: string, depth = 0): number | null {
    if (depth > 6) return null;
    const t = text.trim();
    if (t === '') return null;
    const literal = Number(t.replace(/_/g, ''));
    if (/^[0-9.eE+\-_]+$/.test(t) && Number.isFinite(literal)) return literal;
    const assigned = isName(t) ? this.assigned.get(t) : undefined;
    if (assigned !== undefined) return this.number(assigned, depth + 1);
    return arithmetic(t, (name) => this.number(name, depth + 1));
  }

  bool(text: string, depth = 0): boolean | null {
    const t = text.trim();
    if (t === 'True' || t === 'true') return true;
    if (t === 'False' || t === 'false') return false;
    const assigned = depth < 6 && isName(t) ? this.assigned.get(t) : undefined;
    return assigned === undefined ? null : this.bool(assigned, depth + 1);
  }

  value(name: string): string | undefined {
    return this.assigned.get(name.trim());
  }
}

/** `a / b`, `a // b`, `1. / 255`, `2 * 16`, with parentheses; names through `resolve`. Null when not that. */
function arithmetic(text: string, resolve: (name: string) => number | null): number | null {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === ' ') {
      i += 1;
      continue;
    }
    if (text.startsWith('//', i) || text.startsWith('**', i)) {
      tokens.push(text.slice(i, i + 2));
      i += 2;
      continue;
    }
    if ('+-*/()'.includes(c)) {
      tokens.push(c);
      i += 1;
      continue;
    }
    let j = i;
    while (j < text.length && /[A-Za-z0-9_.]/.test(text[j] ?? '')) j += 1;
    if (j === i) return null;
    tokens.push(text.slice(i, j));
    i = j;
  }
  let k = 0;
  const atom = (): number | null => {
    const t = tokens[k];
    if (t === undefined) return null;
    if (t === '(') {
      k += 1;
      const v = sum();
      if (tokens[k] !== ')') return null;
      k += 1;
      return v;
    }
    if (t === '-') {
      k += 1;
      const v = atom();
      return v === null ? null : -v;
    }
    k += 1;
    const n = Number(t);
    if (Number.isFinite(n) && /^[0-9.]/.test(t)) return n;
    if (/^[A-Za-z_]/.test(t)) {
      if (tokens[k] === '(') return null; // a call: not arithmetic
      return resolve(t);
    }
    return null;
  };
  const product = (): number | null => {
    let v = atom();
    while (
      v !== null &&
      (tokens[k] === '*' || tokens[k] === '/' || tokens[k] === '//' || tokens[k] === '**')
    ) {
      const op = tokens[k];
      k += 1;
      const w = atom();
      if (w === null) return null;
      v =
        op === '*'
          ? v * w
          : op === '**'
            ? v ** w
            : op === '//'
              ? w === 0
                ? null
                : Math.floor(v / w)
              : w === 0
                ? null
                : v / w;
    }
    return v;
  };
  const sum = (): number | null => {
    let v = product();
    while (v !== null && (tokens[k] === '+' || tokens[k] === '-')) {
      const op = tokens[k];
      k += 1;
      const w = product();
      if (w === null) return null;
      v = op === '+' ? v + w : v - w;
    }
    return v;
  };
  const value = sum();
  return k === tokens.length ? value : null;
}

/** The divisor name of `a // b`, `int(a / b)`, `math.ceil(a / b)`, `a / b`; null when it is not one. */
export function divisorOf(expression: string): string | null {
  let t = expression.trim();
  for (;;) {
    const open = t.indexOf('(');
    if (open > 0 && t.endsWith(')') && /^[A-Za-z_.]+$/.test(t.slice(0, open)))
      t = t.slice(open + 1, -1).trim();
    else break;
  }
  const at = t.lastIndexOf('/');
  if (at <= 0) return null;
  const divisor = t.slice(at + 1).trim();
  return isName(divisor) ? divisor : null;
}

/** Splits `a, f(b, c), [d, e]` at its top-level commas. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] ?? '';
    if (quote !== null) {
      if (c === '\\') i += 1;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth += 1;
    else if (c === ')' || c === ']' || c === '}') depth -= 1;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** `len(name)` → name; `len(name) // k` or `int(len(name) / k)` → name and k. */
export function passFractionOf(expression: string): { of: string; parts: number } | null {
  let t = expression.replace(/\s+/g, '');
  if (t.startsWith('int(') && t.endsWith(')')) t = t.slice(4, -1);
  if (!t.startsWith('len(')) return null;
  const close = t.indexOf(')');
  if (close < 0) return null;
  const of = t.slice(4, close);
  const rest = t.slice(close + 1);
  if (rest === '') return { of, parts: 1 };
  const m = /^\/\/?(\d+)$/.exec(rest);
  return m?.[1] === undefined ? null : { of, parts: Number(m[1]) };
}

function callsOf(models: readonly ReadModel[]): Located[] {
  return models.flatMap(({ model, file }) => model.calls.map((call) => ({ call, file })));
}

/** Reads the code facts of a training from the models of its code. */
export function readFacts(models: readonly ReadModel[]): CodeFacts {
  const facts = emptyCodeFacts();
  const values = new Values(models);
  const calls = callsOf(models);
  const byTarget = new Map<string, Located>();
  for (const c of calls) if (c.call.target !== null) byTarget.set(c.call.target.trim(), c);

  // layers: stated when a layer is called; absent only when the model definition is in view
  const layers = calls.filter(
    (c) => LAYERS.has(c.call.name) || DROPOUT.test(c.call.name) || BATCHNORM.has(c.call.name),
  );
  const loaded = calls.some((c) => LOADED_MODEL.test(c.call.name));
  const backbone = calls.find((c) => BACKBONES_WITH_BN.test(c.call.name));
  const bn = calls.find(
    (c) => BATCHNORM.has(c.call.name) || (c.call.name === 'batch_norm' && c.call.object !== null),
  );
  const firstLayer = layers[0];
  const modelInView = layers.length >= 3 && !loaded && firstLayer !== undefined;
  if (bn) facts.batchnorm = fact(true, bn);
  else if (backbone) facts.batchnorm = fact(true, backbone);
  else if (modelInView && firstLayer) facts.batchnorm = fact(false, firstLayer);
  const dropout = calls.find((c) => DROPOUT.test(c.call.name));
  if (dropout) facts.dropout = fact(true, dropout);
  else if (modelInView && firstLayer) facts.dropout = fact(false, firstLayer);

  // the fit call: the last one that names validation data, else the last fit
  const fits = calls.filter((c) => c.call.name === 'fit' || c.call.name === 'fit_generator');
  const fitCall = [...fits].reverse().find((c) => arg(c.call, 'validation_data') !== null) ?? fits.at(-1);
  const generators = calls.filter((c) => GENERATORS.has(c.call.name));
  const generatorFor = (text: string | undefined): Located | undefined =>
    text === undefined ? undefined : byTarget.get(text.trim());
  let valGen: Located | undefined;
  let trainGen: Located | undefined;
  if (fitCall) {
    const valText = arg(fitCall.call, 'validation_data')?.text;
    valGen = generatorFor(valText);
    const trainText = (arg(fitCall.call, 'x') ?? arg(fitCall.call, 'generator') ?? arg(fitCall.call, 'x', 0))
      ?.text;
    trainGen = generatorFor(trainText);
    if (valText !== undefined && valText.trim().startsWith('(')) facts.valData = fact('arrays', fitCall);
    else if (arg(fitCall.call, 'validation_split') !== null) facts.valData = fact('arrays', fitCall);
    else if (valText !== undefined && isName(valText)) {
      const fn = models.flatMap((m) => m.model.functions).find((f) => f.yields && valText.includes(f.name));
      const called = byTarget.get(valText.trim());
      if (
        fn !== undefined ||
        (called && models.some((m) => m.model.functions.some((f) => f.yields && f.name === called.call.name)))
      ) {
        facts.valData = fact('generator', fitCall);
      }
    }
  }
  // without a fit call that names them, the variable names say which generator is which
  valGen ??= generators.find((g) => /val|valid|test|dev/i.test(g.call.target ?? ''));
  trainGen ??= generators.find((g) => g !== valGen && /train/i.test(g.call.target ?? ''));

  if (valGen) readGenerator(valGen, 'val', facts, values);
  if (trainGen) readGenerator(trainGen, 'train', facts, values);
  if (valGen && trainGen) {
    const match = sameScaling(
      byTarget.get(valGen.call.object ?? ''),
      byTarget.get(trainGen.call.object ?? ''),
      values,
    );
    if (match !== null) facts.preprocessingMatch = { ...fact(match.same, match.at), excerpt: match.text };
  }

  if (fitCall) readFit(fitCall, facts, values, byTarget);
  readOptimizer(calls, facts, values);
  readSchedule(calls, fitCall, facts);
  return facts;
}

function readGenerator(gen: Located, role: 'val' | 'train', facts: CodeFacts, values: Values): void {
  const call = gen.call;
  const batch = arg(call, 'batch_size');
  const size = batch === null ? null : values.number(batch.text);
  if (size !== null && Number.isInteger(size) && size > 0) {
    if (role === 'val') facts.valBatchSize = fact(size, gen);
    else facts.trainBatchSize = fact(size, gen);
  }
  if (role === 'val' && batch !== null && isName(batch.text))
    facts.valBatchVariable = fact(batch.text.trim(), gen);
  const shuffleArg = arg(call, 'shuffle');
  // Keras image iterators shuffle unless told not to; a PyTorch DataLoader does not
  const shuffle = shuffleArg === null ? call.name !== 'DataLoader' : values.bool(shuffleArg.text);
  if (shuffle !== null) {
    if (role === 'val') facts.valShuffle = fact(shuffle, gen);
    else facts.trainShuffle = fact(shuffle, gen);
  }
  if (role === 'val') {
    const kind: ValData =
      call.name === 'image_dataset_from_directory' || call.name === 'DataLoader' ? 'dataset' : 'sequence';
    facts.valData ??= fact(kind, gen);
  }
}

/** Rescale and preprocessing_function of two generator objects (`ImageDataGenerator(...)` calls). */
function sameScaling(
  val: Located | undefined,
  train: Located | undefined,
  values: Values,
): { same: boolean; at: Located; text: string } | null {
  if (val === undefined || train === undefined) return null;
  const scale = (c: CodeCall): number | null => {
    const a = arg(c, 'rescale');
    return a === null ? 1 : values.number(a.text);
  };
  const prep = (c: CodeCall): string => (arg(c, 'preprocessing_function')?.text ?? '').replace(/\s+/g, '');
  const featurewise = (c: CodeCall): string =>
    [
      'featurewise_center',
      'featurewise_std_normalization',
      'samplewise_center',
      'samplewise_std_normalization',
    ]
      .map((k) => `${k}=${arg(c, k)?.text ?? 'False'}`)
      .join(',');
  const a = scale(val.call);
  const b = scale(train.call);
  if (a === null || b === null) return null;
  const same =
    Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a)) &&
    prep(val.call) === prep(train.call) &&
    featurewise(val.call) === featurewise(train.call);
  const text = excerpt(`${train.call.text}; ${val.call.text}`);
  return { same, at: val, text };
}

/** The augmentation of the generator object a validation iterator is built from. */
function augmentedBy(call: CodeCall, values: Values): boolean {
  return AUGMENTATION.some((k) => {
    const a = arg(call, k);
    if (a === null) return false;
    const n = values.number(a.text);
    const b = values.bool(a.text);
    return b === true || (n !== null && n !== 0) || (b === null && n === null && a.text.trim() !== 'None');
  });
}

function readFit(
  fit: Located,
  facts: CodeFacts,
  values: Values,
  byTarget: ReadonlyMap<string, Located>,
): void {
  const call = fit.call;
  const valSteps = arg(call, 'validation_steps');
  if (valSteps !== null) {
    facts.valStepsExpression = { ...fact(valSteps.text.trim(), fit) };
    const literal = /^\d+$/.test(valSteps.text.trim()) ? Number(valSteps.text.trim()) : null;
    if (literal !== null && literal > 0) facts.valSteps = fact(literal, fit);
    const divisor = divisorOf(valSteps.text);
    if (divisor !== null) facts.valStepsDivisor = fact(divisor, fit);
    // `len(val_gen) // 2`: a fraction of the validation generator's own pass
    const fraction = passFractionOf(valSteps.text);
    const valName = (arg(call, 'validation_data')?.text ?? '').trim();
    if (fraction !== null && fraction.of === valName) facts.valStepsPasses = fact(fraction.parts, fit);
  }
  const steps = arg(call, 'steps_per_epoch');
  if (steps !== null) {
    facts.stepsPerEpochExpression = fact(steps.text.trim(), fit);
    const divisor = divisorOf(steps.text);
    if (divisor !== null) facts.stepsDivisor = fact(divisor, fit);
  }
  // Keras' fit and fit_generator default to workers=1, use_multiprocessing=False
  const workers = arg(call, 'workers');
  const w = workers === null ? 1 : values.number(workers.text);
  if (w !== null && Number.isInteger(w) && w >= 1) facts.workers = fact(w, fit);
  const multi = arg(call, 'use_multiprocessing');
  const m = multi === null ? false : values.bool(multi.text);
  if (m !== null) facts.useMultiprocessing = fact(m, fit);
  const callbacks = arg(call, 'callbacks');
  const names: string[] = [];
  if (callbacks !== null) {
    const listed = (isName(callbacks.text) ? (values.value(callbacks.text) ?? '') : callbacks.text).trim();
    const items = splitTopLevel(
      listed.startsWith('[') && listed.endsWith(']') ? listed.slice(1, -1) : listed,
    );
    for (const item of items) {
      const open = item.indexOf('(');
      if (open > 0) names.push(item.slice(0, open).split('.').pop() ?? item);
      else names.push(byTarget.get(item)?.call.name ?? item);
    }
  }
  facts.callbacks = fact(names, fit);
  // what the validation iterator is built from: augmentation there randomises validation
  const valGen = byTarget.get((arg(call, 'validation_data')?.text ?? '').trim());
  const datagen = valGen?.call.object ? byTarget.get(valGen.call.object) : undefined;
  if (datagen !== undefined) facts.valAugmented = fact(augmentedBy(datagen.call, values), datagen);
}

function readOptimizer(calls: readonly Located[], facts: CodeFacts, values: Values): void {
  const averaging = calls.find((c) => AVERAGING.test(c.call.name));
  const optimizer = calls.find((c) => OPTIMIZERS.test(c.call.name));
  if (optimizer) {
    const rateArg = arg(optimizer.call, 'learning_rate') ?? arg(optimizer.call, 'lr');
    const rate = rateArg === null ? null : values.number(rateArg.text);
    const ema = values.bool(arg(optimizer.call, 'use_ema')?.text ?? 'False') === true;
    const value: OptimizerFact = {
      name: optimizer.call.name,
      learningRate: rate,
      averaging: ema || averaging !== undefined,
    };
    facts.optimizer = fact(value, optimizer);
    return;
  }
  // `compile(optimizer='adam')`: the optimizer by name, its default rate
  const compile = calls.find((c) => c.call.name === 'compile' && arg(c.call, 'optimizer') !== null);
  const named = compile
    ? arg(compile.call, 'optimizer')
        ?.text.trim()
        .replace(/^['"]|['"]$/g, '')
    : undefined;
  if (compile && named !== undefined && /^[A-Za-z]+$/.test(named)) {
    facts.optimizer = fact({ name: named, learningRate: null, averaging: averaging !== undefined }, compile);
  }
}

function readSchedule(calls: readonly Located[], fit: Located | undefined, facts: CodeFacts): void {
  let found: { kind: ScheduleKind; at: Located } | null = null;
  for (const c of calls) {
    for (const [pattern, kind] of SCHEDULES) {
      if (!pattern.test(c.call.name)) continue;
      if (found === null || SCHEDULE_ORDER.indexOf(kind) < SCHEDULE_ORDER.indexOf(found.kind))
        found = { kind, at: c };
    }
  }
  if (found !== null) facts.lrSchedule = fact(found.kind, found.at);
  else if (fit !== undefined && facts.optimizer !== null) facts.lrSchedule = fact('constant', fit);
}
