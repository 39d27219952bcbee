/**
 * A minimal protocol-buffers wire-format writer and reader: just what building and
 * inspecting ONNX files needs (varints, 64-bit integers, fixed32 floats, length-delimited
 * fields). Field order is exactly the order of the calls, so output is deterministic.
 */

export const WireType = { Varint: 0, Fixed64: 1, LengthDelimited: 2, Fixed32: 5 } as const;

export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private scratch: number[] = [];
  private length = 0;

  private flushScratch(): void {
    if (this.scratch.length === 0) return;
    const bytes = Uint8Array.from(this.scratch);
    this.chunks.push(bytes);
    this.length += bytes.length;
    this.scratch = [];
  }

  private pushBytes(bytes: Uint8Array): void {
    this.flushScratch();
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  /** Unsigned or non-negative varint; negative int64 values use the 10-byte two's complement form. */
  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.scratch.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.scratch.push(Number(v));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int64(field: number, value: number | bigint): this {
    this.tag(field, WireType.Varint);
    this.varint(value);
    return this;
  }

  int32(field: number, value: number): this {
    return this.int64(field, value);
  }

  float(field: number, value: number): this {
    this.tag(field, WireType.Fixed32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.scratch.push(...b);
    return this;
  }

  /** Bytes already encoded as whole fields (a field copied from another message as it was). */
  raw(encoded: Uint8Array): this {
    this.pushBytes(encoded);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WireType.LengthDelimited);
    this.varint(value.length);
    this.pushBytes(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  /** Packed repeated int64 (the proto3 default encoding for repeated scalars). */
  packedInt64(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    this.flushScratch();
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
}

export class ProtoDecodeError extends Error {}

const EMPTY = new Uint8Array(0);

export interface ProtoField {
  field: number;
  wire: number;
  /** Varint / fixed64 values as bigint. */
  int?: bigint;
  /** Fixed32 raw bits reader. */
  fixed32?: DataView;
  /** Length-delimited payload. */
  bytes?: Uint8Array;
  /** The whole field as encoded (tag included), to copy it unchanged into another message. */
  raw: Uint8Array;
}

/** Reads every top-level field of one message; nested messages are decoded by calling again on `bytes`. */
export function readFields(buf: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let pos = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (pos >= buf.length) throw new ProtoDecodeError('truncated varint');
      const b = buf[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
    throw new ProtoDecodeError('varint longer than 10 bytes');
  };
  while (pos < buf.length) {
    const start = pos;
    const key = readVarint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (field === 0) throw new ProtoDecodeError('field number 0');
    switch (wire) {
      case WireType.Varint:
        fields.push({ field, wire, int: readVarint(), raw: EMPTY });
        break;
      case WireType.Fixed64: {
        if (pos + 8 > buf.length) throw new ProtoDecodeError('truncated fixed64');
        const view = new DataView(buf.buffer, buf.byteOffset + pos, 8);
        fields.push({ field, wire, int: view.getBigUint64(0, true), raw: EMPTY });
        pos += 8;
        break;
      }
      case WireType.LengthDelimited: {
        const len = Number(readVarint());
        if (len < 0 || pos + len > buf.length)
          throw new ProtoDecodeError('length-delimited field overruns buffer');
        fields.push({ field, wire, bytes: buf.subarray(pos, pos + len), raw: EMPTY });
        pos += len;
        break;
      }
      case WireType.Fixed32: {
        if (pos + 4 > buf.length) throw new ProtoDecodeError('truncated fixed32');
        fields.push({ field, wire, fixed32: new DataView(buf.buffer, buf.byteOffset + pos, 4), raw: EMPTY });
        pos += 4;
        break;
      }
      default:
        throw new ProtoDecodeError(`unsupported wire type ${wire}`);
    }
    fields[fields.length - 1]!.raw = buf.subarray(start, pos);
  }
  return fields;
}

export function decodeString(bytes: Uint8Array | undefined): string {
  return bytes ? new TextDecoder('utf-8', { fatal: false }).decode(bytes) : '';
}

/** Int64 as a JS number; values beyond 2^53 only appear in ONNX dims as nonsense, so they clamp. */
export function toSignedNumber(v: bigint | undefined): number {
  if (v === undefined) return 0;
  return Number(BigInt.asIntN(64, v));
}
