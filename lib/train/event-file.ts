/**
 * The bytes of a TensorBoard event file: TFRecord files of serialized `tensorflow.Event` protobufs. We write and
 * read the few protobuf fields a scalar needs by hand rather than depend on a protobuf runtime and TensorFlow's
 * .proto files. The file itself is tensorboard.ts's.
 */

// ---------------------------------------------------------------------------------------------------------------
// CRC32C (Castagnoli), as TFRecord uses it

let crcTable: Uint32Array | undefined;

function castagnoliTable(): Uint32Array {
  if (crcTable) return crcTable;
  crcTable = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    crcTable[n] = c >>> 0;
  }
  return crcTable;
}

/** CRC32C (Castagnoli polynomial) of `bytes`, as an unsigned 32-bit integer. `crc32c("123456789") === 0xe3069283`. */
export function crc32c(bytes: Uint8Array): number {
  const table = castagnoliTable();
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * The masked CRC TFRecord stores: rotating and offsetting keeps a CRC of data that itself holds CRCs from being
 * trivially related to them.
 */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing: protobuf encoding of the Event fields we write, in TFRecord framing

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;

class ProtoWriter {
  private readonly bytes: number[] = [];

  key(field: number, wire: number): this {
    return this.varint(BigInt((field << 3) | wire));
  }

  /** int64 varint; negative values take ten bytes (two's complement), as protobuf specifies for int64. */
  varint(value: bigint): this {
    let v = BigInt.asUintN(64, value);
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
    return this;
  }

  double(value: number): this {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, value, true);
    return this.raw(new Uint8Array(view.buffer));
  }

  float(value: number): this {
    const view = new DataView(new ArrayBuffer(4));
    view.setFloat32(0, value, true);
    return this.raw(new Uint8Array(view.buffer));
  }

  lengthDelimited(field: number, data: Uint8Array): this {
    return this.key(field, WIRE_LENGTH).varint(BigInt(data.length)).raw(data);
  }

  raw(data: Uint8Array): this {
    for (let i = 0; i < data.length; i++) this.bytes.push(data[i]);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

const utf8 = new TextEncoder();

function encodeEvent(wallTimeSeconds: number, step: number, body: { fileVersion: string } | { values: [string, number][] }): Uint8Array {
  const event = new ProtoWriter().key(1, WIRE_FIXED64).double(wallTimeSeconds).key(2, WIRE_VARINT).varint(BigInt(step));
  if ('fileVersion' in body) return event.lengthDelimited(3, utf8.encode(body.fileVersion)).finish();
  const summary = new ProtoWriter();
  for (const [tag, value] of body.values) {
    const entry = new ProtoWriter().lengthDelimited(1, utf8.encode(tag)).key(2, WIRE_FIXED32).float(value).finish();
    summary.lengthDelimited(1, entry);
  }
  return event.lengthDelimited(5, summary.finish()).finish();
}

/** One TFRecord: length, CRC of the length, data, CRC of the data. */
function frameRecord(data: Uint8Array): Buffer {
  const record = Buffer.alloc(8 + 4 + data.length + 4);
  record.writeBigUInt64LE(BigInt(data.length), 0);
  record.writeUInt32LE(maskedCrc32c(record.subarray(0, 8)), 8);
  record.set(data, 12);
  record.writeUInt32LE(maskedCrc32c(data), 12 + data.length);
  return record;
}

/** One event as a TFRecord: the file's first (`fileVersion`) or a step's scalars. */
export function eventRecord(wallTimeSeconds: number, step: number, body: { fileVersion: string } | { values: [string, number][] }): Buffer {
  return frameRecord(encodeEvent(wallTimeSeconds, step, body));
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

/** One event read back from an event file. */
export interface TensorBoardEvent {
  /** Seconds since the epoch. */
  wallTime: number;
  step: number;
  /** Set on the file's first record only. */
  fileVersion?: string;
  /** The scalar summaries, float32-rounded, in the order written. */
  values: { tag: string; value: number }[];
}

/** A record or field that does not parse, at `offset` bytes into the file. */
export class CorruptEventFile extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const utf8Decoder = new TextDecoder();

class ProtoReader {
  private pos = 0;

  constructor(
    private readonly bytes: Uint8Array,
    /** Offset of `bytes` in the file, so errors name the file position. */
    private readonly fileOffset: number,
  ) {}

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  fail(reason: string): never {
    throw new CorruptEventFile(this.fileOffset + this.pos, reason);
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.done) this.fail('protobuf varint runs past the end of its record');
      const byte = this.bytes[this.pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    return this.fail('protobuf varint longer than 10 bytes');
  }

  take(n: number): Uint8Array {
    if (this.pos + n > this.bytes.length) this.fail(`protobuf field of ${n} bytes runs past the end of its record`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  key(): { field: number; wire: number } {
    const key = Number(this.varint());
    return { field: key >>> 3, wire: key & 7 };
  }

  /** A reader over the next length-delimited field (an embedded message), keeping file offsets right. */
  lengthDelimited(): ProtoReader {
    const length = Number(this.varint());
    const start = this.fileOffset + this.pos;
    return new ProtoReader(this.take(length), start);
  }

  string(): string {
    return utf8Decoder.decode(this.take(Number(this.varint())));
  }

  skip(wire: number): void {
    if (wire === WIRE_VARINT) this.varint();
    else if (wire === WIRE_FIXED64) this.take(8);
    else if (wire === WIRE_LENGTH) this.take(Number(this.varint()));
    else if (wire === WIRE_FIXED32) this.take(4);
    else this.fail(`unsupported protobuf wire type ${wire}`);
  }

  view(n: number): DataView {
    const bytes = this.take(n);
    return new DataView(bytes.buffer, bytes.byteOffset, n);
  }
}

function expectWire(reader: ProtoReader, wire: number, expected: number, what: string): void {
  if (wire !== expected) reader.fail(`${what} has wire type ${wire}, expected ${expected}`);
}

function decodeEvent(reader: ProtoReader): TensorBoardEvent {
  const event: TensorBoardEvent = { wallTime: 0, step: 0, values: [] };
  while (!reader.done) {
    const { field, wire } = reader.key();
    if (field === 1) {
      expectWire(reader, wire, WIRE_FIXED64, 'Event.wall_time');
      event.wallTime = reader.view(8).getFloat64(0, true);
    } else if (field === 2) {
      expectWire(reader, wire, WIRE_VARINT, 'Event.step');
      event.step = Number(BigInt.asIntN(64, reader.varint()));
    } else if (field === 3) {
      expectWire(reader, wire, WIRE_LENGTH, 'Event.file_version');
      event.fileVersion = reader.string();
    } else if (field === 5) {
      expectWire(reader, wire, WIRE_LENGTH, 'Event.summary');
      const summary = reader.lengthDelimited();
      while (!summary.done) {
        const entry = summary.key();
        if (entry.field !== 1) {
          summary.skip(entry.wire);
          continue;
        }
        expectWire(summary, entry.wire, WIRE_LENGTH, 'Summary.value');
        const decoded = decodeValue(summary.lengthDelimited());
        // Values without simple_value (images, histograms, tensors) are not scalars; the reader leaves them out.
        if (decoded) event.values.push(decoded);
      }
    } else {
      reader.skip(wire);
    }
  }
  return event;
}

function decodeValue(reader: ProtoReader): { tag: string; value: number } | undefined {
  let tag = '';
  let value: number | undefined;
  while (!reader.done) {
    const { field, wire } = reader.key();
    if (field === 1 && wire === WIRE_LENGTH) {
      tag = reader.string();
    } else if (field === 2 && wire === WIRE_FIXED32) {
      value = reader.view(4).getFloat32(0, true);
    } else {
      reader.skip(wire);
    }
  }
  return value === undefined ? undefined : { tag, value };
}

/** Every event of an event file's bytes, checking both CRCs of every record; throws CorruptEventFile. */
export function parseEventFile(bytes: Buffer): TensorBoardEvent[] {
  const events: TensorBoardEvent[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 12 > bytes.length) throw new CorruptEventFile(offset, `truncated record header (${bytes.length - offset} of 12 bytes)`);
    const lengthBytes = bytes.subarray(offset, offset + 8);
    if (bytes.readUInt32LE(offset + 8) !== maskedCrc32c(lengthBytes)) throw new CorruptEventFile(offset, 'record length CRC mismatch');
    const length = bytes.readBigUInt64LE(offset);
    const dataStart = offset + 12;
    if (length > BigInt(bytes.length - dataStart - 4)) {
      throw new CorruptEventFile(offset, `truncated record: ${length} data bytes + 4 CRC bytes announced, ${Math.max(0, bytes.length - dataStart)} left`);
    }
    const data = bytes.subarray(dataStart, dataStart + Number(length));
    const dataEnd = dataStart + data.length;
    if (bytes.readUInt32LE(dataEnd) !== maskedCrc32c(data)) throw new CorruptEventFile(dataStart, 'record data CRC mismatch');
    events.push(decodeEvent(new ProtoReader(data, dataStart)));
    offset = dataEnd + 4;
  }
  return events;
}
