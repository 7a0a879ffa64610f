/**
 * TensorBoard event files (`events.out.tfevents.*`, written by TensorFlow/Keras, PyTorch's
 * SummaryWriter, Lightning's TensorBoardLogger, the HF Trainer): TFRecord framing (a little-endian
 * uint64 length, the masked CRC-32C of those 8 bytes, the data, the masked CRC-32C of the data), each
 * record an `Event` protobuf whose `Summary` holds tagged values. Scalars come as `simple_value` (TF1,
 * PyTorch) or as a one-element tensor (TF2's `tf.summary.scalar`: float, double, int, half in
 * `float_val`/`double_val`/`int_val`/`half_val` or `tensor_content`); images, histograms, text and
 * hparams are not metrics and are skipped. Decoding uses `@bufbuild/protobuf` with the fields of
 * TensorBoard's protos declared here.
 *
 * Values at one step merge into one row, rows into records as in Lightning's CSV (`metric-rows.ts`);
 * Keras's `epoch_*` tags are logged per epoch (step = 0-based epoch). Keras writes `train/` and
 * `validation/` event files of the same tags: a tag without a phase in a file under such a directory
 * is named `validation/epoch_loss`, as TensorBoard shows it. A checksum that fails is reported: a bad
 * data checksum skips that record, a bad length checksum ends the reading (the framing is lost).
 * Streamed record by record.
 */
import { createRequire } from 'node:module';
import type { DescMessage } from '@bufbuild/protobuf';
import type { Run } from '../model/index.js';
import { nameParts } from '../model/roles.js';
import { maskedCrc32c } from './crc32c.js';
import { mergeRows, type MetricRow } from './metric-rows.js';
import type { FormatReader, ReaderContext, ReaderEntry, SniffHead } from './types.js';

// protobuf field types and labels (google/protobuf/descriptor.proto)
const DOUBLE = 1;
const FLOAT = 2;
const INT64 = 3;
const INT32 = 5;
const BOOL = 8;
const STRING = 9;
const MESSAGE = 11;
const BYTES = 12;
const OPTIONAL = 1;
const REPEATED = 3;

type FieldSpec = [
  name: string,
  number: number,
  type: number,
  label?: number,
  typeName?: string,
  oneof?: number,
];

/** A message descriptor (DescriptorProto JSON) from field specs. */
function message(
  name: string,
  fields: FieldSpec[],
  oneofs: string[] = [],
  nested: Array<{ name: string }> = [],
): { name: string; field: object[]; oneofDecl: object[]; nestedType: object[] } {
  return {
    name,
    field: fields.map(([n, number, type, label, typeName, oneof]) => ({
      name: n,
      number,
      type,
      label: label ?? OPTIONAL,
      ...(typeName === undefined ? {} : { typeName }),
      ...(oneof === undefined ? {} : { oneofIndex: oneof }),
    })),
    oneofDecl: oneofs.map((o) => ({ name: o })),
    nestedType: nested,
  };
}

/**
 * The decoder of `Event` records, made on first use: loading the protobuf library costs about a tenth
 * of a second, which no other format should pay at startup.
 */
let decoder: ((bytes: Uint8Array) => EventShape) | null = null;
const load = createRequire(import.meta.url);

/** The parts of tensorflow/core/util/event.proto, framework/summary.proto and tensor.proto epochlint reads. */
function eventDecoder(): (bytes: Uint8Array) => EventShape {
  if (decoder !== null) return decoder;
  const pb = load('@bufbuild/protobuf') as typeof import('@bufbuild/protobuf');
  const wkt = load('@bufbuild/protobuf/wkt') as typeof import('@bufbuild/protobuf/wkt');
  const file = pb.create(wkt.FileDescriptorProtoSchema, {
    name: 'epochlint/tensorboard.proto',
    package: 'tensorboard',
    syntax: 'proto3',
    messageType: [
      message(
        'Event',
        [
          ['wall_time', 1, DOUBLE],
          ['step', 2, INT64],
          ['file_version', 3, STRING, OPTIONAL, undefined, 0],
          ['summary', 5, MESSAGE, OPTIONAL, '.tensorboard.Summary', 0],
        ],
        ['what'],
      ),
      message('Summary', [['value', 1, MESSAGE, REPEATED, '.tensorboard.SummaryValue']]),
      message(
        'SummaryValue',
        [
          ['tag', 1, STRING],
          ['simple_value', 2, FLOAT, OPTIONAL, undefined, 0],
          ['node_name', 7, STRING],
          ['tensor', 8, MESSAGE, OPTIONAL, '.tensorboard.TensorProto', 0],
          ['metadata', 9, MESSAGE, OPTIONAL, '.tensorboard.SummaryMetadata'],
        ],
        ['value'],
      ),
      message('SummaryMetadata', [
        ['plugin_data', 1, MESSAGE, OPTIONAL, '.tensorboard.PluginData'],
        ['display_name', 2, STRING],
      ]),
      message('PluginData', [
        ['plugin_name', 1, STRING],
        ['content', 2, BYTES],
      ]),
      message('TensorProto', [
        ['dtype', 1, INT32],
        ['tensor_shape', 2, MESSAGE, OPTIONAL, '.tensorboard.TensorShape'],
        ['tensor_content', 4, BYTES],
        ['float_val', 5, FLOAT, REPEATED],
        ['double_val', 6, DOUBLE, REPEATED],
        ['int_val', 7, INT32, REPEATED],
        ['int64_val', 10, INT64, REPEATED],
        ['bool_val', 11, BOOL, REPEATED],
        ['half_val', 13, INT32, REPEATED],
      ]),
      message('TensorShape', [['dim', 2, MESSAGE, REPEATED, '.tensorboard.TensorShapeDim']]),
      message('TensorShapeDim', [['size', 1, INT64]]),
    ],
  });

  const registry = pb.createFileRegistry(file, () => undefined);
  const event = registry.getMessage('tensorboard.Event') as DescMessage;
  decoder = (bytes) => pb.fromBinary(event, bytes) as unknown as EventShape;
  return decoder;
}

/** The decoded shapes epochlint reads (what `fromBinary` returns for the descriptors above). */
interface EventShape {
  step: bigint;
  what:
    | { case: 'summary'; value: { value: ValueShape[] } }
    | { case: 'fileVersion'; value: string }
    | { case: undefined };
}
interface ValueShape {
  tag: string;
  value:
    { case: 'simpleValue'; value: number } | { case: 'tensor'; value: TensorShape } | { case: undefined };
  metadata?: { pluginData?: { pluginName: string } };
}
interface TensorShape {
  dtype: number;
  tensorShape?: { dim: Array<{ size: bigint }> };
  tensorContent: Uint8Array;
  floatVal: number[];
  doubleVal: number[];
  intVal: number[];
  int64Val: bigint[];
  boolVal: boolean[];
  halfVal: number[];
}

// tensorflow DataType values
const DT_FLOAT = 1;
const DT_DOUBLE = 2;
const DT_INT32 = 3;
const DT_INT64 = 9;
const DT_BOOL = 10;
const DT_HALF = 19;
const DT_BFLOAT16 = 14;
const NOT_SCALARS = new Set([
  'images',
  'histograms',
  'text',
  'hparams',
  'pr_curves',
  'audio',
  'graph',
  'mesh',
  'custom_scalars',
]);

/** A TFRecord header whose length checksum holds: the first 12 bytes say so for certain. */
function sniff(head: SniffHead): number {
  const b = head.bytes;
  if (b.length < 12) return 0;
  const crc = (b[8] ?? 0) | ((b[9] ?? 0) << 8) | ((b[10] ?? 0) << 16) | ((b[11] ?? 0) << 24);
  return maskedCrc32c(b, 0, 8) === crc >>> 0 ? 1 : 0;
}

function createReader(ctx: ReaderContext): FormatReader {
  let buffer = new Uint8Array(0);
  let offset = 0; // bytes of the file before buffer[0]
  let broken = false;
  let records = 0;
  let reportedData = false;
  const rows: MetricRow[] = [];
  const phaseDir = directoryPhase(ctx.file);

  const feed = (chunk: Uint8Array): void => {
    if (broken) return;
    const joined = new Uint8Array(buffer.length + chunk.length);
    joined.set(buffer, 0);
    joined.set(chunk, buffer.length);
    buffer = joined;
    let pos = 0;
    while (!broken && buffer.length - pos >= 12) {
      const view = new DataView(buffer.buffer, buffer.byteOffset + pos, 12);
      const length = Number(view.getBigUint64(0, true));
      const lengthCrc = view.getUint32(8, true);
      if (maskedCrc32c(buffer, pos, pos + 8) !== lengthCrc) {
        broken = true;
        ctx.onIssue({
          kind: 'malformed-input',
          line: null,
          message: `byte ${offset + pos}: the record's length checksum does not match: the file is corrupt from here on and is not read further`,
        });
        break;
      }
      if (buffer.length - pos < 16 + length) break;
      const start = pos + 12;
      const end = start + length;
      const dataCrc = new DataView(buffer.buffer, buffer.byteOffset + end, 4).getUint32(0, true);
      records += 1;
      if (maskedCrc32c(buffer, start, end) !== dataCrc) {
        if (!reportedData) {
          ctx.onIssue({
            kind: 'malformed-input',
            line: null,
            message: `byte ${offset + pos}: record ${records}'s data checksum does not match: that record is skipped`,
          });
          reportedData = true;
        }
      } else {
        readEvent(buffer.subarray(start, end), records);
      }
      pos = end + 4;
    }
    offset += pos;
    buffer = buffer.slice(pos);
  };

  const readEvent = (data: Uint8Array, index: number): void => {
    let event: EventShape;
    try {
      event = eventDecoder()(data);
    } catch {
      ctx.onIssue({
        kind: 'malformed-input',
        line: null,
        message: `record ${index} is not an Event protobuf: skipped`,
      });
      return;
    }
    if (event.what.case !== 'summary') return;
    const values = new Map<string, number>();
    for (const v of event.what.value.value) {
      const plugin = v.metadata?.pluginData?.pluginName ?? '';
      if (NOT_SCALARS.has(plugin)) continue;
      const value =
        v.value.case === 'simpleValue'
          ? v.value.value
          : v.value.case === 'tensor'
            ? scalarOf(v.value.value)
            : null;
      if (value === null) continue;
      const name = ctx.limits.name(
        phaseDir !== null && nameParts(v.tag).phase === null ? `${phaseDir}/${v.tag}` : v.tag,
        index,
      );
      if (name !== null) values.set(name, value);
    }
    if (values.size === 0) return;
    const step = Number(event.step);
    const last = rows[rows.length - 1];
    if (last !== undefined && last.step === step) {
      let added = 0;
      for (const [k, v] of values) {
        if (!last.values.has(k)) added += 1;
        last.values.set(k, v);
      }
      ctx.limits.addValues(added);
    } else if (ctx.limits.keep(values.size)) rows.push({ values, epoch: null, step, line: index });
  };

  return {
    kind: 'bytes',
    feed,
    end() {
      if (!broken && buffer.length > 0) {
        ctx.onIssue({
          kind: 'truncated-epoch',
          line: null,
          message: `the file ends inside a record (${buffer.length} bytes after byte ${offset}): not read`,
        });
      }
      if (records === 0) return { fatal: 'not a TensorBoard event file: no record with a valid checksum' };
      // Keras logs `epoch_*` tags once per epoch, with the 0-based epoch as the step
      const perEpoch =
        rows.length > 0 && rows.every((r) => [...r.values.keys()].every((k) => /(?:^|\/)epoch_/.test(k)));
      const placed = perEpoch ? rows.map((r) => ({ ...r, epoch: r.step, step: null })) : rows;
      let index = 0;
      for (const m of mergeRows(placed, perEpoch ? true : 'auto')) {
        if (m.epochs.length === 0) continue;
        const lines = m.epochs.map((e) => e.line);
        const run: Run = {
          index,
          epochs: m.epochs,
          events: m.events,
          datasets: [],
          axis: perEpoch ? 'epoch' : 'step',
          source: {
            dialect: 'tfevents',
            file: ctx.file,
            fromLine: lines.reduce((a, b) => Math.min(a, b), Infinity),
            toLine: lines.reduce((a, b) => Math.max(a, b), -Infinity),
          },
        };
        ctx.onRun(run);
        index += 1;
      }
      return { fatal: null };
    },
  };
}

/** A tensor holding one number (shape `[]` or all ones), or null. */
function scalarOf(t: TensorShape): number | null {
  const dims = t.tensorShape?.dim ?? [];
  if (dims.some((d) => d.size !== 1n)) return null;
  const first = <T>(list: T[]): T | undefined => (list.length === 1 ? list[0] : undefined);
  switch (t.dtype) {
    case DT_FLOAT:
      return first(t.floatVal) ?? fromContent(t.tensorContent, 4, (v, o) => v.getFloat32(o, true));
    case DT_DOUBLE:
      return first(t.doubleVal) ?? fromContent(t.tensorContent, 8, (v, o) => v.getFloat64(o, true));
    case DT_INT32:
      return first(t.intVal) ?? fromContent(t.tensorContent, 4, (v, o) => v.getInt32(o, true));
    case DT_INT64: {
      const v = first(t.int64Val);
      return v !== undefined
        ? Number(v)
        : fromContent(t.tensorContent, 8, (d, o) => Number(d.getBigInt64(o, true)));
    }
    case DT_BOOL: {
      const v = first(t.boolVal);
      return v === undefined ? null : v ? 1 : 0;
    }
    case DT_HALF: {
      const bits = first(t.halfVal) ?? fromContent(t.tensorContent, 2, (v, o) => v.getUint16(o, true));
      return bits === null ? null : halfToNumber(bits);
    }
    case DT_BFLOAT16: {
      const bits = first(t.halfVal) ?? fromContent(t.tensorContent, 2, (v, o) => v.getUint16(o, true));
      if (bits === null) return null;
      const view = new DataView(new ArrayBuffer(4));
      view.setUint32(0, bits << 16);
      return view.getFloat32(0);
    }
    default:
      return null;
  }
}

function fromContent(
  bytes: Uint8Array,
  size: number,
  read: (view: DataView, at: number) => number,
): number | null {
  if (bytes.length !== size) return null;
  return read(new DataView(bytes.buffer, bytes.byteOffset, bytes.length), 0);
}

function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** `logs/validation/events.out...` → `validation`: the phase directory Keras writes its event files to. */
function directoryPhase(file: string | null): string | null {
  if (file === null) return null;
  const parts = file.split(/[\\/]/);
  const dir = parts[parts.length - 2];
  if (dir === undefined) return null;
  return nameParts(`${dir}_x`).phase === null ? null : dir;
}

export const tfeventsReader: ReaderEntry = {
  dialect: 'tfevents',
  aliases: ['tensorboard'],
  binary: true,
  fileHint: /tfevents/,
  sniff,
  create: createReader,
};
