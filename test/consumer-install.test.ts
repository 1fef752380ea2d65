/**
 * The package as a user gets it: `npm pack` (which compiles dist/ and the prebuilt addon), then `npm install
 * <tarball>` into a fresh project with install scripts off and none of our dev dependencies. There a TypeScript
 * program compiled by tsc against the shipped types plays TinyKart, and `npx retro list` / `npx retro doctor` run.
 * Everything runs with its own HOME and TMPDIR, to show that nothing is written outside node_modules and the data
 * dir, and that uninstalling leaves nothing behind.
 */

import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { packageRoot } from '../lib/package-root.ts';
import { tempDir } from './fixtures/helpers.ts';

const root = packageRoot();
const requireHere = createRequire(import.meta.url);
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  devDependencies: Record<string, string>;
};

/** Largest packed tarball we accept: the prebuilt addon is most of it. */
const MAX_PACKED_BYTES = 1024 * 1024;
const MAX_UNPACKED_BYTES = 4 * 1024 * 1024;

/** Every file the package may ship. Anything else (tests, fixtures, ROM sources, build output, maps) is stray. */
const SHIPPED = [
  /^package\.json$/,
  /^README\.md$/,
  /^CMakeLists\.txt$/,
  /^dist\/lib\/[\w/.-]+\.(js|d\.ts)$/,
  /^dist\/integrations\/[\w-]+\/preset\.(js|d\.ts)$/,
  /^prebuilds\/linux-x64\/libretro_gym\.glibc\.node$/,
  /^prebuilds\/linux-x64\/rgym_(n64_input|n64_video|mupen64plus_libretro)\.so$/,
  /^native\/\w+\.(cpp|h)$/,
  /^native\/n64\/(plugins\/)?\w+\.(cpp|h)$/,
  /^scripts\/(private-lua|apt-install)\.sh$/,
  /^cores\/\w+\.json$/,
  /^data\/[\w-]+\.schema\.json$/,
  /^integrations\/[\w-]+\/[\w.-]+$/,
  /^web\/(play|integrate)\/[\w.-]+$/,
];

const tmp = tempDir('retro-consumer-');
after(() => tmp.cleanup());
const home = join(tmp.dir, 'home');
const temp = join(tmp.dir, 'tmp');
const app = join(tmp.dir, 'app');
const dataDir = join(home, '.local', 'share', 'libretro-gym');

/** The environment of the user's commands: their own HOME and TMPDIR; npm's cache stays where it is. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(RETRO_|XDG_|npm_|NODE_TEST_CONTEXT$)/.test(key)) env[key] = value;
  }
  return { ...env, HOME: home, TMPDIR: temp, npm_config_cache: npmCache, npm_config_update_notifier: 'false' };
}

let npmCache = '';

interface Ran {
  stdout: string;
  stderr: string;
  ms: number;
}

function run(file: string, args: string[], options: SpawnSyncOptions & { ok?: boolean } = {}): Ran & { status: number | null } {
  const started = performance.now();
  const result = spawnSync(file, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  const ran = { stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? ''), status: result.status, ms: performance.now() - started };
  if (options.ok !== false && result.status !== 0) {
    assert.fail(`${file} ${args.join(' ')} exited ${result.status ?? result.signal}: ${result.error?.message ?? ''}\n${ran.stdout}\n${ran.stderr}`);
  }
  return ran;
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isDirectory()) out.push(relative(dir, join(entry.parentPath ?? entry.path, entry.name)));
  }
  return out.sort();
}

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

let packed: PackResult;
let tarball = '';
const timings: Record<string, number> = {};

/** The TypeScript program a user writes: 100 seeded steps, printing a fingerprint of what it saw. */
const PROGRAM = `import { make } from 'libretro-gym';
import { createHash } from 'node:crypto';

const env = make('TinyKart-Nes');
env.actionSpace.seed(7);
let { observation } = env.reset({ seed: 1 });
const hash = createHash('sha256');
let total = 0;
for (let i = 0; i < 100; i++) {
  const step = env.step(env.actionSpace.sample());
  total += step.reward;
  hash.update(step.observation);
  observation = step.observation;
  if (step.terminated || step.truncated) ({ observation } = env.reset());
}
env.close();
console.log(JSON.stringify({ steps: 100, total, frame: observation.length, sha256: hash.digest('hex') }));
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    strict: true,
    skipLibCheck: false,
    types: ['node'],
    outDir: 'out',
  },
  files: ['main.ts', 'readme.ts'],
};

/** The TypeScript example of the README's "Use it in your project" section. */
function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use it in your project'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(code, 'the README section has a ts example');
  return code;
}

before(() => {
  mkdirSync(home, { recursive: true });
  mkdirSync(temp, { recursive: true });
  mkdirSync(app, { recursive: true });
  npmCache = run('npm', ['config', 'get', 'cache'], { cwd: root }).stdout.trim();

  // npm pack runs prepack: dist/ and the prebuilt addon.
  const pack = run('npm', ['pack', '--json', '--pack-destination', tmp.dir], { cwd: root });
  timings.pack = pack.ms;
  packed = (JSON.parse(pack.stdout) as PackResult[])[0];
  tarball = join(tmp.dir, packed.filename);

  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2));
  // A TypeScript user's project also has @types/node (our types use Buffer); the compiler is the repo's.
  const typesNode = (requireHere('@types/node/package.json') as { version: string }).version;
  const install = run(
    'npm',
    ['install', tarball, `@types/node@${typesNode}`, '--ignore-scripts', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'],
    { cwd: app, env: userEnv() },
  );
  timings.install = install.ms;
});

describe('consumer install (npm pack, then npm install in a fresh project)', () => {
  test('the tarball is small and holds only what users need', (t) => {
    t.diagnostic(`packed ${packed.size} B, unpacked ${packed.unpackedSize} B, ${packed.files.length} files; pack ${Math.round(timings.pack)} ms, install ${Math.round(timings.install)} ms`);
    assert.ok(packed.size <= MAX_PACKED_BYTES, `tarball is ${packed.size} B`);
    assert.ok(packed.unpackedSize <= MAX_UNPACKED_BYTES, `unpacked it is ${packed.unpackedSize} B`);
    const stray = packed.files.map((f) => f.path).filter((p) => !SHIPPED.some((re) => re.test(p)));
    assert.deepEqual(stray, [], 'files the package must not ship');
    for (const needed of ['dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lib/cli/main.js', 'prebuilds/linux-x64/libretro_gym.glibc.node', 'integrations/TinyKart-Nes/rom.nes', 'web/play/index.html']) {
      assert.ok(packed.files.some((f) => f.path === needed), `${needed} is shipped`);
    }
  });

  test('npm pack --dry-run lists the same files, and none stray', () => {
    const dry = run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root });
    const listed = (JSON.parse(dry.stdout) as PackResult[])[0].files.map((f) => f.path).sort();
    assert.deepEqual(listed, packed.files.map((f) => f.path).sort());
  });

  test('nothing runs at install: no package in the tree has an install script or a binding.gyp', () => {
    // npm 11 asks users to approve every such package (esbuild's postinstall, node-gyp's implicit one alike).
    const modules = join(app, 'node_modules');
    const withScripts: string[] = [];
    for (const file of filesUnder(modules).filter((f) => /(^|\/)package\.json$/.test(f))) {
      const dir = join(modules, file, '..');
      let pkg: { name?: string; version?: string; scripts?: Record<string, string>; gypfile?: boolean };
      try {
        pkg = JSON.parse(readFileSync(join(modules, file), 'utf8'));
      } catch {
        continue;
      }
      if (!pkg.name || !pkg.version) continue; // package.json files that only set "type" for a folder
      const hooks = ['preinstall', 'install', 'postinstall'].filter((h) => pkg.scripts?.[h] !== undefined);
      if (pkg.gypfile !== false && existsSync(join(dir, 'binding.gyp'))) hooks.push('binding.gyp');
      if (hooks.length > 0) withScripts.push(`${pkg.name}@${pkg.version} (${hooks.join(', ')})`);
    }
    assert.deepEqual(withScripts, []);
  });

  test('none of our dev dependencies or optional peers is installed', () => {
    const modules = join(app, 'node_modules');
    for (const name of Object.keys(manifest.devDependencies).filter((n) => n !== '@types/node')) {
      assert.ok(!existsSync(join(modules, name)), `${name} was installed`);
    }
    assert.ok(!existsSync(join(modules, '@tensorflow')));
  });

  test("the README's example and a TypeScript program, compiled by tsc against the shipped types, play", (t) => {
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    writeFileSync(join(app, 'main.ts'), PROGRAM);
    writeFileSync(join(app, 'readme.ts'), readmeExample());
    const tsc = requireHere.resolve('typescript/bin/tsc');
    timings.tsc = run(process.execPath, [tsc, '-p', app], { cwd: app, env: userEnv() }).ms;
    assert.match(run(process.execPath, ['out/readme.js'], { cwd: app, env: userEnv() }).stdout, /^\d+ \[/);
    const played = run(process.execPath, ['out/main.js'], { cwd: app, env: userEnv() });
    t.diagnostic(`tsc ${Math.round(timings.tsc)} ms, 100 steps in a fresh process ${Math.round(played.ms)} ms`);
    const result = JSON.parse(played.stdout) as { steps: number; frame: number; sha256: string };
    assert.equal(result.steps, 100);
    assert.ok(result.frame > 0);

    // The same program on the source build of this checkout sees exactly the same frames and rewards.
    const sourceBuild = join(root, 'build', 'Release', 'libretro_gym.node');
    if (!existsSync(sourceBuild)) return t.skip('no source build in build/Release to compare with');
    const fromSource = run(process.execPath, ['out/main.js'], { cwd: app, env: { ...userEnv(), RETRO_ADDON_PATH: sourceBuild } });
    assert.deepEqual(JSON.parse(fromSource.stdout), result);
  });

  test('a CommonJS program can require() it (Node ≥ 20.19 and 22.12 load ES modules from require)', (t) => {
    const [major, minor] = process.versions.node.split('.').map(Number);
    if (!((major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 23)) return t.skip('this Node cannot require() an ES module');
    writeFileSync(join(app, 'main.cjs'), "const retro = require('libretro-gym');\nconst env = retro.make('TinyKart-Nes');\nenv.reset({ seed: 1 });\nenv.step(env.actionSpace.sample());\nenv.close();\nconsole.log(typeof retro.make);\n");
    assert.equal(run(process.execPath, ['main.cjs'], { cwd: app, env: userEnv() }).stdout.trim(), 'function');
  });

  test('a TypeScript scenario script without tsx installed: DEPENDENCY_MISSING naming tsx', () => {
    writeFileSync(
      join(app, 'ts-scenario.mjs'),
      "import { make } from 'libretro-gym';\ntry { make('TinyKart-Nes', { scenario: 'scenario-ts' }).close(); console.log('loaded'); } catch (e) { console.log(e.code, e.message); }\n",
    );
    const out = run(process.execPath, ['ts-scenario.mjs'], { cwd: app, env: userEnv() }).stdout;
    assert.match(out, /^DEPENDENCY_MISSING .*needs tsx.*npm install tsx/);
  });

  test('npx retro list and npx retro doctor work, on the prebuilt addon', () => {
    const list = run('npx', ['--no-install', 'retro', 'list'], { cwd: app, env: userEnv() });
    assert.match(list.stdout, /^TinyKart-Nes\s+bundled/m);
    const doctor = run('npx', ['--no-install', 'retro', 'doctor'], { cwd: app, env: userEnv() });
    assert.match(doctor.stdout, /^Native addon\s+ok\s+prebuilt for linux-x64 \(glibc\)/m);
    assert.match(doctor.stdout, /^Lua\s+ok\s+Lua 5\.4\.\d+, linked into the native addon/m);
    assert.match(doctor.stdout, /^Core: nes\s+ok/m);
    assert.match(doctor.stdout, /^Data dir\s+ok/m);
  });

  test('nothing was written outside node_modules and the data dir; uninstalling leaves nothing behind', () => {
    const outside = filesUnder(home).filter((f) => !join(home, f).startsWith(dataDir + '/'));
    assert.deepEqual(outside, [], 'files in HOME outside the data dir');
    assert.deepEqual(filesUnder(temp), [], 'files left in TMPDIR');
    const installed = join(app, 'node_modules', manifest.name);
    assert.ok(!existsSync(join(installed, 'build')), 'nothing built inside the installed package');

    run('npm', ['uninstall', manifest.name, '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, env: userEnv() });
    assert.ok(!existsSync(installed));
    const left = filesUnder(join(app, 'node_modules')).filter((f) => f.includes(manifest.name));
    assert.deepEqual(left, []);
    const expected = new Set(['main.cjs', 'main.ts', 'readme.ts', 'ts-scenario.mjs', 'node_modules', 'out', 'package-lock.json', 'package.json', 'tsconfig.json']);
    assert.deepEqual(readdirSync(app).filter((f) => !expected.has(f)), [], 'files the install made in the project');
  });
});
