// Bench rows say which core gave them: `core` beside `system`, from the same core search an Emulator makes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coreLabel, withCore } from '../bench/row-core.ts';
import { Emulator } from '../lib/emulator.ts';
import { testRoms } from './helpers.ts';

test('withCore puts the core right after system, and leaves other rows and given cores alone', () => {
  const rows = withCore([
    { bench: 'machine', cpus: 2 },
    { bench: 'emulator-vs-raw', system: 'pce', frameskip: 4, ratio: 0.9 },
    { bench: 'emulator-vs-raw', system: 'nes', core: 'fceumm (given)', frameskip: 1 },
  ]);
  assert.deepEqual(rows[0], { bench: 'machine', cpus: 2 });
  assert.deepEqual(Object.keys(rows[1]), ['bench', 'system', 'core', 'frameskip', 'ratio']);
  assert.equal(rows[2].core, 'fceumm (given)');
  const emu = new Emulator({ rom: testRoms.pce });
  try {
    assert.equal(rows[1].core, `${emu.core.name} ${emu.core.version}`, 'the core an Emulator of that system runs');
    assert.match(coreLabel('pce'), /^mednafen_pce_fast v?\d/);
  } finally {
    emu.close();
  }
});
