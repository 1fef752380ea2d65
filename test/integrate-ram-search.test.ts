import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Emulator } from '../lib/emulator.ts';
import { Actions } from '../lib/env/action-codec.ts';
import { make } from '../lib/env/retro-env.ts';
import { ArgumentError } from '../lib/errors.ts';
import { RamSearch, ramViewOf, SEARCH_COMPARISONS, type SearchComparison } from '../lib/integrate/ram-search.ts';
import { SEARCH_TYPES, type SearchType } from '../lib/integrate/search-types.ts';
import { WatchList } from '../lib/integrate/watch-list.ts';
import { nesRam, snesRam, testRoms } from './helpers.ts';

/** The value of a type at an offset, decoded the slow, obvious way: DataView. */
function referenceValue(bytes: Uint8Array, offset: number, type: SearchType): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = type[0] === '<';
  switch (type.slice(1)) {
    case 'u1':
      return view.getUint8(offset);
    case 'i1':
      return view.getInt8(offset);
    case 'u2':
      return view.getUint16(offset, little);
    case 'i2':
      return view.getInt16(offset, little);
    case 'u4':
      return view.getUint32(offset, little);
    default:
      return view.getInt32(offset, little);
  }
}

const compare: Record<SearchComparison, (a: number, b: number) => boolean> = {
  equal: (a, b) => a === b,
  'not-equal': (a, b) => a !== b,
  'greater-than': (a, b) => a > b,
  'less-than': (a, b) => a < b,
  'greater-or-equal': (a, b) => a >= b,
  'less-or-equal': (a, b) => a <= b,
};

describe('RamSearch filters', () => {
  test('agree with a brute-force search on random RAM sequences, for every type and byte order', () => {
    const step = fc.record({
      // Few distinct byte values so equal/greater/less all keep some candidates.
      writes: fc.array(fc.tuple(fc.nat(63), fc.integer({ min: 0, max: 255 })), { maxLength: 40 }),
      op: fc.constantFrom(...SEARCH_COMPARISONS),
      fixed: fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...SEARCH_TYPES),
        fc.boolean(),
        fc.uint8Array({ minLength: 64, maxLength: 64, max: 3 }),
        fc.array(step, { minLength: 1, maxLength: 6 }),
        (type, aligned, initial, steps) => {
          const ram = initial.slice();
          const search = new RamSearch({ bytes: ram, baseAddress: 0x100 }, { type, aligned });
          const width = Number(type.at(-1));
          let alive = Array.from({ length: 64 - width + 1 }, (_, i) => i).filter((o) => !aligned || o % width === 0);
          let previous = ram.slice();
          for (const { writes, op, fixed } of steps) {
            for (const [at, value] of writes) ram[at] = value;
            // A fixed number outside the type's range is refused; unsigned types see -3..-1 as 253..255 instead.
            const value = fixed === undefined ? undefined : type[1] === 'u' ? (fixed + 256) % 256 : fixed;
            alive = alive.filter((o) => compare[op](referenceValue(ram, o, type), value ?? referenceValue(previous, o, type)));
            assert.equal(search.filter({ op, value }), alive.length);
            previous = ram.slice();
            assert.deepEqual(search.addresses(), alive.map((o) => 0x100 + o));
            const page = search.page(0, 5);
            assert.deepEqual(
              page,
              alive.slice(0, 5).map((o) => ({ address: 0x100 + o, value: referenceValue(ram, o, type), previous: referenceValue(ram, o, type) })),
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test('over host-order words (Genesis RAM) a search finds what it finds over the same memory in bus order', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEARCH_TYPES),
        fc.constantFrom(2, 4),
        fc.uint8Array({ minLength: 32, maxLength: 32, max: 3 }),
        fc.array(fc.tuple(fc.nat(31), fc.integer({ min: 0, max: 3 })), { maxLength: 20 }),
        fc.constantFrom(...SEARCH_COMPARISONS),
        (type, wordBytes, machine, writes, op) => {
          const host = (bus: Uint8Array) => Uint8Array.from(bus, (_, i) => bus[i ^ (wordBytes - 1)]!);
          const bus = machine.slice();
          const swapped = host(bus);
          const plain = new RamSearch({ bytes: bus, baseAddress: 0xff0000 }, { type });
          const words = new RamSearch({ bytes: swapped, baseAddress: 0xff0000, wordBytes }, { type });
          for (const [at, value] of writes) bus[at] = value;
          swapped.set(host(bus));
          assert.equal(words.filter({ op }), plain.filter({ op }));
          assert.deepEqual(words.page(0, 8), plain.page(0, 8));
        },
      ),
      { numRuns: 200 },
    );
    assert.throws(() => new RamSearch({ bytes: new Uint8Array(7), baseAddress: 0, wordBytes: 2 }), /wordBytes/);
  });

  test('undo restores the candidates and previous values from before the last filter', () => {
    const ram = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const search = new RamSearch({ bytes: ram, baseAddress: 0 });
    assert.equal(search.canUndo, false);
    ram[2] = 9;
    ram[5] = 0;
    assert.equal(search.filter({ op: 'not-equal' }), 2);
    ram[2] = 10;
    assert.equal(search.filter({ op: 'greater-than' }), 1);
    assert.deepEqual(search.addresses(), [2]);
    assert.equal(search.undo(), true);
    assert.deepEqual(search.page(), [
      { address: 2, value: 10, previous: 9 },
      { address: 5, value: 0, previous: 0 },
    ]);
    assert.equal(search.undo(), true);
    assert.equal(search.count, 8);
    assert.equal(search.undo(), false);
    search.filter({ op: 'equal', value: 7 });
    assert.equal(search.has(6), true);
    assert.equal(search.has(5), false);
    assert.deepEqual(search.status(), { type: '|u1', aligned: false, baseAddress: 0, size: 8, count: 1, canUndo: true });
    search.snapshot();
    assert.equal(search.count, 8);
    assert.equal(search.canUndo, false);
  });

  test('bad filters and options are ArgumentErrors, and change nothing', () => {
    const search = new RamSearch({ bytes: new Uint8Array(16), baseAddress: 0 }, { type: '<i2' });
    assert.throws(() => search.filter({ op: 'bigger' as SearchComparison }), (e: unknown) => e instanceof ArgumentError && /op must be one of/.test(e.message));
    assert.throws(() => search.filter({ op: 'equal', value: 40000 }), (e: unknown) => e instanceof ArgumentError && /\[-32768, 32767\]/.test(e.message));
    assert.throws(() => search.filter({ op: 'equal', value: 1.5 }), ArgumentError);
    assert.equal(search.count, 15);
    assert.throws(() => new RamSearch({ bytes: new Uint8Array(4), baseAddress: 0 }, { type: '<u8' as SearchType }), /search type must be one of/);
    assert.throws(() => new RamSearch({ bytes: [1, 2] as unknown as Uint8Array, baseAddress: 0 }), ArgumentError);
  });
});

describe('RamSearch on real cores', () => {
  test('finds TinyKart\'s x (data.json) by driving right, stopping, turning round and driving left', () => {
    const env = make('TinyKart-Nes', { useRestrictedActions: Actions.ALL, frameskip: 1 });
    try {
      env.reset();
      const press = (names: string[], frames: number) => {
        const action = new Uint8Array(env.buttons.length);
        for (const name of names) action[env.buttons.indexOf(name)] = 1;
        for (let i = 0; i < frames; i++) env.step(action);
      };
      const search = new RamSearch(ramViewOf(env.emulator), { type: '|u1' });
      assert.equal(search.count, 2048);
      press(['A'], 30); // accelerating east from the start line
      search.filter({ op: 'greater-than' });
      press([], 60); // coasting on
      search.filter({ op: 'greater-than' });
      press([], 30); // standing still
      search.filter({ op: 'equal' });
      press(['A', 'RIGHT'], 52); // a U-turn: x goes up then down, so no filter; start comparing from here
      search.updatePrevious();
      press(['A'], 20); // driving west
      search.filter({ op: 'less-than' });
      press([], 60);
      search.filter({ op: 'less-than' });
      press([], 30);
      search.filter({ op: 'equal' });

      const x = env.integration.data.info.x;
      assert.equal(x.type, '|u1');
      assert.ok(search.has(x.address), `x (${x.address}) was filtered out; left: ${search.addresses().join(', ')}`);
      // What is left tracks x: the game's own copies of it (zero-page scratch, sprite shadows), nothing unrelated.
      assert.ok(search.count <= 10, `still ${search.count} candidates: ${search.addresses().join(', ')}`);
      const info = env.step(new Uint8Array(env.buttons.length)).info;
      const found = search.page(0, search.count).find((c) => c.address === x.address);
      assert.equal(found?.value, info.x);

      const watch = new WatchList(env.emulator);
      watch.add({ address: x.address, type: '|u1', name: 'kart_x' });
      watch.add({ address: x.address - 1, type: '<u2', name: 'x_fixed' });
      assert.deepEqual(watch.values(), [
        { address: x.address, type: '|u1', name: 'kart_x', value: info.x },
        { address: x.address - 1, type: '<u2', name: 'x_fixed', value: info.x_fixed },
      ]);
      assert.equal(watch.remove(x.address - 1, '<u2'), true);
      assert.equal(watch.entries().length, 1);
    } finally {
      env.close();
    }
  });

  test('searches the RAM block data.json addresses use, and watches through the bus (mirrors, byte orders)', () => {
    const nes = new Emulator({ rom: testRoms.nes });
    const snes = new Emulator({ rom: testRoms.snes });
    try {
      for (const emu of [nes, snes]) {
        emu.setButtons(0, emu.buttonMask(['RIGHT', 'A']));
        emu.step(40);
      }
      const nesView = ramViewOf(nes);
      assert.equal(nesView.baseAddress, 0);
      assert.equal(nesView.bytes.length, 0x800);
      const snesView = ramViewOf(snes);
      // WRAM at 0x7E0000, not the 8 KiB mirror at 0.
      assert.equal(snesView.baseAddress, 0x7e0000);
      assert.equal(snesView.bytes.length, 0x20000);
      const nesSearch = new RamSearch(nesView, { type: '|u1' });
      assert.ok(nesSearch.filter({ op: 'equal', value: nes.read(nesRam.x)[0] }) >= 1);
      assert.ok(nesSearch.has(nesRam.x));
      const snesSearch = new RamSearch(snesView, { type: '<u2' });
      const frame = snes.read(snesRam.frame, 2);
      snesSearch.filter({ op: 'equal', value: frame[0] | (frame[1] << 8) });
      assert.ok(snesSearch.has(snesRam.frame));
      const watch = new WatchList(snes);
      // The mirror at 0x0014 reads the same bytes as 0x7E0014.
      watch.add({ address: snesRam.frame & 0xffff, type: '<u2' });
      watch.add({ address: snesRam.frame, type: '>u2' });
      const [mirror, big] = watch.values();
      assert.equal(mirror.value, frame[0] | (frame[1] << 8));
      assert.equal(big.value, (frame[0] << 8) | frame[1]);
    } finally {
      nes.close();
      snes.close();
    }
  });
});
