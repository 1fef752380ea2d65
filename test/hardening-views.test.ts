// Views of an emulator's memory must never point into an unloaded core. close() detaches them; an emulator that
// is garbage-collected without close() used to unload its core under live views, and writing to one after other
// emulators loaded corrupted the heap (SIGSEGV 3 of 3). Issue 11, item 1. Run in a child process: a regression
// would kill it, not the test runner.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../lib/package-root.ts';

const script = `
import { Emulator } from ${JSON.stringify(join(packageRoot(), 'lib', 'index.ts'))};
const rom = ${JSON.stringify(join(packageRoot(), 'homebrew', 'test', 'nes-test.nes'))};
const views = [];
for (let round = 0; round < 4; round++) {
  let emu = new Emulator({ rom });
  emu.step(5);
  views.push(emu.memory.systemRam);
  emu = undefined;                       // dropped without close()
  for (let i = 0; i < 3; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 20)); }
  const others = [new Emulator({ rom }), new Emulator({ rom })];
  for (const o of others) o.step(10);
  for (const view of views) { view.fill(0xa5); view[0] = 1; }
  for (const o of others) o.close();
}
const closed = new Emulator({ rom });
const ram = closed.memory.systemRam;
closed.close();
console.log(JSON.stringify({ lengths: views.map((v) => v.length), afterClose: ram.length, byte: views[0][1] }));
`;

test('views outlive a collected emulator safely; close() still detaches them', () => {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: packageRoot(),
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(child.signal, null, `killed by ${child.signal}: ${child.stderr}`);
  assert.equal(child.status, 0, child.stderr);
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { lengths: number[]; afterClose: number; byte: number };
  assert.ok(result.lengths.every((n) => n === 2048), JSON.stringify(result));
  assert.equal(result.byte, 0xa5);
  assert.equal(result.afterClose, 0);
});
