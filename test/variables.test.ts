import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Emulator } from '../lib/emulator.ts';
import { nativeAddon } from '../lib/native.ts';
import { testRoms } from './helpers.ts';

/**
 * Reference decoder for stable-retro type strings, written from the format's description and used only here, to
 * check the native one: bytes are digits of a number whose base is 256 (u, i), 100 (d: two BCD digits a byte) or
 * 10 (n: the low nybble of a byte); the sigil orders them.
 */
function referenceDecode(bytes: Uint8Array, type: string, mask?: bigint): bigint {
  const width = Number(type[type.length - 1]);
  const kind = type[type.length - 2];
  const sigil = type.slice(0, type.length - 2);
  const digit = (b: number) => (kind === 'd' ? BigInt((b & 15) % 10) + BigInt(((b >> 4) % 10) * 10) : kind === 'n' ? BigInt((b & 15) % 10) : BigInt(b));
  const base = kind === 'd' ? 100n : kind === 'n' ? 10n : 256n;
  const half = Math.floor(width / 2);
  const range = (from: number, to: number) => (from <= to ? Array.from({ length: to - from + 1 }, (_, i) => from + i) : Array.from({ length: from - to + 1 }, (_, i) => from - i));
  // Byte indices from least to most significant.
  let order: number[];
  if (sigil === '>') order = range(width - 1, 0);
  else if (sigil === '<>') order = [...(half > 0 ? range(half - 1, 0) : []), ...range(width - 1, half)];
  else if (sigil === '><' || sigil === '>=') order = [...range(half, width - 1), ...(half > 0 ? range(0, half - 1) : [])];
  else order = range(0, width - 1); // | < = <=
  let value = 0n;
  let weight = 1n;
  for (const i of order) {
    value += digit(bytes[i]) * weight;
    weight *= base;
  }
  value = BigInt.asUintN(64, value);
  if (kind === 'i') value = BigInt.asIntN(width * 8, value);
  else value = BigInt.asIntN(64, value);
  if (mask !== undefined) value = BigInt.asIntN(64, BigInt.asUintN(64, value) & BigInt.asUintN(64, mask));
  return value;
}

const typeArb = fc
  .tuple(fc.constantFrom('|', '<', '>', '=', '><', '<>', '>=', '<='), fc.constantFrom('u', 'i', 'd', 'n'), fc.integer({ min: 1, max: 8 }))
  .filter(([sigil, , width]) => sigil !== '|' || width === 1)
  .map(([sigil, kind, width]) => `${sigil}${kind}${width}`);

test('native RAM variable decoding equals the reference decoder over random bytes, types, addresses and masks (property)', () => {
  const emu = new Emulator({ rom: testRoms.snes });
  const { NativeSession } = nativeAddon() as unknown as {
    NativeSession: new (e: unknown, c: unknown) => { bindOutputs(v: Float64Array, r: Float64Array, d: Uint8Array): void; close(): void };
  };
  try {
    emu.step(10);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            type: typeArb,
            // WRAM above what the test ROM itself writes, through both the 0x7E bank and the low mirror.
            address: fc.oneof(fc.integer({ min: 0x7e1000, max: 0x7e1ff0 }), fc.integer({ min: 0x1000, max: 0x1ff0 })),
            bytes: fc.uint8Array({ minLength: 8, maxLength: 8 }),
            mask: fc.option(fc.integer({ min: 0, max: 0xffff }), { nil: undefined }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (variables) => {
          const expected: number[] = [];
          // Write every variable's bytes first, then decode all: later writes may overlap earlier ones.
          for (const v of variables) emu.write(v.address, v.bytes);
          for (const v of variables) {
            const bytes = emu.read(v.address, 8);
            expected.push(Number(referenceDecode(bytes, v.type, v.mask === undefined ? undefined : BigInt(v.mask))));
          }
          const session = new NativeSession(emu.nativeHandle, {
            variables: variables.map((v, i) => ({ name: `v${i}`, address: v.address, type: v.type, mask: v.mask })),
            rewards: [[]],
            done: { condition: 'any', terms: [], nodes: [] },
          });
          const values = new Float64Array(variables.length);
          session.bindOutputs(values, new Float64Array(1), new Uint8Array(1));
          session.close();
          variables.forEach((v, i) => assert.equal(values[i], expected[i], `${v.type} at ${v.address.toString(16)} of [${Array.from(emu.read(v.address, 8))}]`));
        },
      ),
      { numRuns: 300 },
    );
  } finally {
    emu.close();
  }
});

test('malformed type strings and unmapped addresses are refused with the variable named', () => {
  const emu = new Emulator({ rom: testRoms.nes });
  const { NativeSession } = nativeAddon() as unknown as { NativeSession: new (e: unknown, c: unknown) => unknown };
  const make = (type: string, address = 0x10) =>
    new NativeSession(emu.nativeHandle, { variables: [{ name: 'speed', address, type }], rewards: [[]], done: { condition: 'any', terms: [], nodes: [] } });
  try {
    for (const bad of ['u1', '<s2', '<u9', '<u0', '!u1', '<<u2', '', '<u']) {
      assert.throws(() => make(bad), (e: Error & { code?: string }) => e.code === 'INVALID_ARGUMENT' && /speed/.test(e.message), bad);
    }
    assert.throws(() => make('<u2', 0x7ff), (e: Error & { code?: string }) => e.code === 'ADDRESS_UNMAPPED' && /speed/.test(e.message));
  } finally {
    emu.close();
  }
});
