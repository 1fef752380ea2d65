import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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
    const start = join(dataDir, 'states', 'TestRom-Nes', 'Start.state');
    assert.ok(gunzipSync(readFileSync(start)).length > 1000, 'a gzip of a Nestopia state');

    const bad = capture(dataDir);
    assert.equal(await runCli(['states', 'build', 'TestRom-Nes', 'Impossible', '--integration-path', fixtures, '--data-dir', dataDir], bad.io), 1);
    assert.match(bad.err(), /did not reach its goal/);
    assert.equal(existsSync(join(dataDir, 'states', 'TestRom-Nes', 'Impossible.state')), false);

    const usage = capture(dataDir);
    assert.equal(await runCli(['states', 'frobnicate'], usage.io), 2);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
