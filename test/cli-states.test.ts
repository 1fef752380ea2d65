import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { runCli } from '../lib/cli/dispatch.ts';
import { packageRoot } from '../lib/package-root.ts';

function capture(dataDir: string) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, env: {}, cwd: dataDir },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

test('retro states build runs boot recipes into the data dir and refuses a recipe whose check fails', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rgym-states-'));
  try {
    const fixtures = join(packageRoot(), 'test', 'fixtures', 'integrations');
    const ok = capture(dataDir);
    const code = await runCli(['states', 'build', 'TestRom-Nes', 'Start', 'Moved', '--integration-path', fixtures, '--data-dir', dataDir], ok.io);
    assert.equal(code, 0, ok.err());
    assert.match(ok.out(), /2 states built for TestRom-Nes/);
    const built = readdirSync(join(dataDir, 'states', 'TestRom-Nes')).sort();
    assert.deepEqual(built.map((f) => f.replace(/\.[0-9a-f]{12}\.state$/, '.<rom+recipe key>.state')), ['Moved.<rom+recipe key>.state', 'Start.<rom+recipe key>.state']);
    const start = join(dataDir, 'states', 'TestRom-Nes', built[1]);
    assert.ok(gunzipSync(readFileSync(start)).length > 1000, 'a gzip of a Nestopia state');

    const bad = capture(dataDir);
    assert.equal(await runCli(['states', 'build', 'TestRom-Nes', 'Impossible', '--integration-path', fixtures, '--data-dir', dataDir], bad.io), 1);
    assert.match(bad.err(), /did not reach its goal/);
    assert.deepEqual(readdirSync(join(dataDir, 'states', 'TestRom-Nes')).sort(), built, 'nothing written for Impossible');

    const usage = capture(dataDir);
    assert.equal(await runCli(['states', 'frobnicate'], usage.io), 2);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
