import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { RetroError } from '../lib/errors.ts';
import { crc32c, maskedCrc32c } from '../lib/train/event-file.ts';
import { readEvents, TensorBoardWriter } from '../lib/train/tensorboard.ts';

const root = mkdtempSync(join(tmpdir(), 'tb-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirCount = 0;
const freshDir = (): string => join(root, `run-${dirCount++}`);

/** A writer's file holding `scalars`, each at its own step, with wall times from a fixed clock. */
function writeFile(scalars: [string, number, number][]): string {
  const tb = new TensorBoardWriter(freshDir(), { now: () => 1_700_000_000_123 });
  for (const [tag, value, step] of scalars) tb.scalar(tag, value, step);
  tb.close();
  return tb.path;
}

function expectCorrupt(path: string, offset: number, reason: RegExp): void {
  assert.throws(
    () => readEvents(path),
    (e: unknown) => {
      assert.ok(e instanceof RetroError);
      assert.equal(e.code, 'FILE_UNREADABLE');
      assert.equal(e.details.file, path);
      assert.equal(e.details.offset, offset);
      assert.ok(e.message.includes(path), e.message);
      assert.ok(e.message.includes(`byte offset ${offset}`), e.message);
      assert.match(e.message, reason);
      return true;
    },
  );
}

describe('crc32c', () => {
  it('matches the CRC-32C check value', () => {
    assert.equal(crc32c(new TextEncoder().encode('123456789')), 0xe3069283);
    assert.equal(crc32c(new Uint8Array(0)), 0);
  });

  it('masks as TFRecord does', () => {
    const data = new TextEncoder().encode('123456789');
    const crc = 0xe3069283;
    assert.equal(maskedCrc32c(data), ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) % 2 ** 32);
  });
});

describe('TensorBoardWriter', () => {
  it('names the file after the clock and writes the file_version record first', () => {
    const dir = freshDir();
    const tb = new TensorBoardWriter(dir, { now: () => 1_700_000_000_999 });
    tb.close();
    assert.match(tb.path, /events\.out\.tfevents\.1700000000\.[^/\\]+$/);
    assert.deepEqual(readdirSync(dir), [tb.path.slice(dir.length + 1)]);
    assert.deepEqual(readEvents(tb.path), [{ wallTime: 1_700_000_000.999, step: 0, fileVersion: 'brain.Event:2', values: [] }]);
  });

  it('reads back tags, steps and float32-rounded values', () => {
    let clock = 1_700_000_000_000;
    const tb = new TensorBoardWriter(freshDir(), { now: () => (clock += 500) });
    tb.scalar('episode/return', 0.1, 2048);
    tb.scalars({ 'loss/policy': -1.5, 'loss/value': 1e-3, skippedNull: null, skippedUndef: undefined, nan: NaN, inf: -Infinity }, 4096);
    tb.scalars({ allSkipped: null }, 6000);
    tb.flush();
    tb.close();
    const events = readEvents(tb.path);
    assert.equal(events.length, 3);
    assert.deepEqual(events[1], { wallTime: 1_700_000_001, step: 2048, values: [{ tag: 'episode/return', value: Math.fround(0.1) }] });
    assert.deepEqual(events[2], {
      wallTime: 1_700_000_001.5,
      step: 4096,
      values: [
        { tag: 'loss/policy', value: -1.5 },
        { tag: 'loss/value', value: Math.fround(1e-3) },
      ],
    });
  });

  it('writes an explicit NaN given to scalar()', () => {
    const [, event] = readEvents(writeFile([['nan', NaN, 1]]));
    assert.ok(Number.isNaN(event.values[0].value));
  });

  it('round-trips steps up to 2^53 - 1 and negative steps as int64 varints', () => {
    const steps = [0, 1, 127, 128, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1, -1, -(2 ** 53 - 1)];
    const events = readEvents(writeFile(steps.map((s) => ['s', 1, s])));
    assert.deepEqual(
      events.slice(1).map((e) => e.step),
      steps,
    );
  });

  it('rejects steps that are not safe integers', () => {
    const tb = new TensorBoardWriter(freshDir());
    for (const step of [1.5, 2 ** 53, NaN]) assert.throws(() => tb.scalar('x', 1, step), { code: 'INVALID_ARGUMENT' });
    tb.close();
  });

  it('does not overwrite a file from a writer started in the same second', () => {
    const dir = freshDir();
    const now = () => 1_700_000_000_000;
    const a = new TensorBoardWriter(dir, { now });
    const b = new TensorBoardWriter(dir, { now });
    a.scalar('a', 1, 1);
    b.scalar('b', 2, 1);
    a.close();
    b.close();
    assert.notEqual(a.path, b.path);
    assert.equal(readEvents(a.path)[1].values[0].tag, 'a');
    assert.equal(readEvents(b.path)[1].values[0].tag, 'b');
  });

  it('throws after close, and closing twice is harmless', () => {
    const tb = new TensorBoardWriter(freshDir());
    tb.close();
    tb.close();
    assert.throws(() => tb.scalar('x', 1, 1), { code: 'ENV_CLOSED' });
  });

  it('round-trips random tags, values and steps', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            step: fc.maxSafeInteger(),
            values: fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.double({ noNaN: true, noDefaultInfinity: true }), { maxKeys: 5 }),
          }),
          { maxLength: 10 },
        ),
        (batches) => {
          const tb = new TensorBoardWriter(freshDir(), { now: () => 1_700_000_000_000 });
          for (const { step, values } of batches) tb.scalars(values, step);
          tb.close();
          // Finite doubles past float32's range become ±Infinity as float32: that is what TensorBoard stores too.
          const expected = batches
            .filter(({ values }) => Object.keys(values).length > 0)
            .map(({ step, values }) => ({ step, values: Object.entries(values).map(([tag, value]) => ({ tag, value: Math.fround(value) })) }));
          const actual = readEvents(tb.path)
            .slice(1)
            .map(({ step, values }) => ({ step, values }));
          assert.deepEqual(actual, expected);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('readEvents on a damaged file', () => {
  const good = writeFile([
    ['a', 1, 1],
    ['b', 2, 2],
  ]);
  const bytes = readFileSync(good);
  const records = readEvents(good);
  assert.equal(records.length, 3);
  // Offsets of the three records, from their length fields.
  const starts = [0];
  for (let i = 0; i < 2; i++) starts.push(starts[i] + 16 + Number(bytes.readBigUInt64LE(starts[i])));
  const damaged = (mutate: (b: Buffer) => Buffer): string => {
    const path = `${freshDir()}.tfevents`;
    writeFileSync(path, mutate(Buffer.from(bytes)));
    return path;
  };

  it('names the byte offset of a truncated record', () => {
    expectCorrupt(damaged((b) => b.subarray(0, bytes.length - 3)), starts[2], /truncated record/);
    expectCorrupt(damaged((b) => b.subarray(0, starts[2] + 5)), starts[2], /truncated record header/);
  });

  it('names the byte offset of a flipped bit in a length', () => {
    expectCorrupt(
      damaged((b) => ((b[starts[1]] ^= 0x04), b)),
      starts[1],
      /length CRC/,
    );
  });

  it('names the byte offset of a flipped bit in the data or its CRC', () => {
    expectCorrupt(
      damaged((b) => ((b[starts[1] + 20] ^= 0x01), b)),
      starts[1] + 12,
      /data CRC/,
    );
    expectCorrupt(
      damaged((b) => ((b[bytes.length - 1] ^= 0x80), b)),
      starts[2] + 12,
      /data CRC/,
    );
  });

  it('reads an empty file as no events', () => {
    assert.deepEqual(readEvents(damaged((b) => b.subarray(0, 0))), []);
  });
});
