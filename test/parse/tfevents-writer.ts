/**
 * Writes TensorBoard event files for the tests, independently of the reader: protobuf through the
 * wire-format writer (no descriptors), TFRecord framing with a bitwise CRC-32C (not the reader's table).
 */
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';

/** One summary value: a `simple_value` (TF1, PyTorch) or a scalar tensor (TF2), with its plugin. */
export interface ValueSpec {
  tag: string;
  simple?: number;
  /** DT_FLOAT (1) in `float_val`, or raw little-endian `tensor_content` of `dtype`. */
  tensor?: { dtype: number; floatVal?: number; content?: Uint8Array; shape?: number[] };
  plugin?: string;
}

function crc32cBitwise(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k += 1) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** TFRecord's masked CRC-32C. */
export function masked(bytes: Uint8Array): number {
  const crc = crc32cBitwise(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** An `Event` with a file version (the first record of every event file). */
export function fileVersionEvent(): Uint8Array {
  return new BinaryWriter()
    .tag(1, WireType.Bit64)
    .double(1.7e9)
    .tag(3, WireType.LengthDelimited)
    .string('brain.Event:2')
    .finish();
}

/** An `Event` holding a `Summary` of values at a step. */
export function summaryEvent(step: number, values: ValueSpec[]): Uint8Array {
  const w = new BinaryWriter()
    .tag(1, WireType.Bit64)
    .double(1.7e9 + step)
    .tag(2, WireType.Varint)
    .int64(step);
  w.tag(5, WireType.LengthDelimited).fork();
  for (const v of values) {
    w.tag(1, WireType.LengthDelimited).fork();
    w.tag(1, WireType.LengthDelimited).string(v.tag);
    if (v.plugin !== undefined) {
      w.tag(9, WireType.LengthDelimited).fork();
      w.tag(1, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).string(v.plugin).join();
      w.join();
    }
    if (v.simple !== undefined) w.tag(2, WireType.Bit32).float(v.simple);
    if (v.tensor !== undefined) {
      w.tag(8, WireType.LengthDelimited).fork();
      w.tag(1, WireType.Varint).int32(v.tensor.dtype);
      w.tag(2, WireType.LengthDelimited).fork();
      for (const size of v.tensor.shape ?? [])
        w.tag(2, WireType.LengthDelimited).fork().tag(1, WireType.Varint).int64(size).join();
      w.join();
      if (v.tensor.content !== undefined) w.tag(4, WireType.LengthDelimited).bytes(v.tensor.content);
      if (v.tensor.floatVal !== undefined)
        w.tag(5, WireType.LengthDelimited).fork().float(v.tensor.floatVal).join();
      w.join();
    }
    w.join();
  }
  w.join();
  return w.finish();
}

/** Frames records: length, masked CRC of the length, data, masked CRC of the data. */
export function tfrecords(records: Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const data of records) {
    const header = new Uint8Array(12);
    const view = new DataView(header.buffer);
    view.setBigUint64(0, BigInt(data.length), true);
    view.setUint32(8, masked(header.subarray(0, 8)), true);
    const footer = new Uint8Array(4);
    new DataView(footer.buffer).setUint32(0, masked(data), true);
    parts.push(header, data, footer);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A little-endian float32 tensor content. */
export function float32(value: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, value, true);
  return b;
}
