// GL video for our N64 core (core option rgym-mupen64plus-video = glide64mk2): Debian's glide64mk2 draws into an
// EGL context on Mesa's surfaceless platform (llvmpipe here, no X server), behind our video shim. On our own N64
// test ROM (homebrew/n64): stepping, states and two emulators behave as with the default scan-out, and the
// picture is the one glide64mk2 drew.
//
// What the picture shows: our ROM draws with the CPU and fills its bottom strip with a raw RDP list (no RSP
// display list). glide64mk2 executes that list into its GL buffer, but at the VI, having seen no display list,
// it clears the buffer and draws the VI framebuffer from RDRAM instead: the CPU's scene, drawn as a texture. So the
// strip is black here as in the scan-out, and the tests compare the GL picture with the scan-out's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { Emulator } from '../lib/emulator.ts';
import { Actions } from '../lib/env/action-codec.ts';
import { make } from '../lib/env/retro-env.ts';
import { ArgumentError, CoreError } from '../lib/errors.ts';
import { n64HostCore } from '../lib/n64/n64-host.ts';
import { packageRoot } from '../lib/package-root.ts';

const n64Rom = join(packageRoot(), 'homebrew', 'test', 'n64-test.z64');
const glide = { 'rgym-mupen64plus-video': 'glide64mk2' };

const ram = { frameCount: 0x80010004, cursorX: 0x80010018, cursorY: 0x8001001a, block: 0x80010000, blockLength: 0x30 };
const u32 = (emu: Emulator, address: number) => Buffer.from(emu.read(address, 4)).readUInt32BE(0);
const s16 = (emu: Emulator, address: number) => Buffer.from(emu.read(address, 2)).readInt16BE(0);

type Frame = ReturnType<Emulator['getFrame']>;
const pixel = (frame: Frame, x: number, y: number) => {
  const i = (y * frame.width + x) * 3;
  return (frame.data[i] << 16) | (frame.data[i + 1] << 8) | frame.data[i + 2];
};
const near = (a: number, b: number, tolerance: number) =>
  [16, 8, 0].every((shift) => Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff)) <= tolerance);
const digest = (frame: Frame) => createHash('sha1').update(frame.data).digest('hex');

// Our ROM's colours (homebrew/n64/README.md), as 8-bit RGB: the background RGBA5551(2,4,10) and the square
// RGBA5551(31,20,0).
const BACKGROUND = 0x102152;
const SQUARE = 0xffa500;
const SQUARE_SIZE = 16;

/** The pixel in the middle of the ROM's square, where RAM says the square is. */
function squareCentre(emu: Emulator, frame: Frame): number {
  return pixel(frame, s16(emu, ram.cursorX) + SQUARE_SIZE / 2, s16(emu, ram.cursorY) + SQUARE_SIZE / 2);
}

describe('an N64 drawn by glide64mk2', () => {
  let gl: Emulator;
  before(() => {
    gl = new Emulator({ rom: n64Rom, coreOptions: glide });
  });
  after(() => gl.close());

  test('the picture is the scene the ROM drew, drawn by GL, at 320x240', () => {
    const scanout = new Emulator({ rom: n64Rom });
    try {
      gl.step(10);
      scanout.step(10);
      assert.equal(u32(gl, ram.frameCount), u32(scanout, ram.frameCount));
      const drawn = gl.getFrame();
      const reference = scanout.getFrame();
      assert.equal(drawn.width, 320);
      assert.equal(drawn.height, 240);
      // The RDP's strip is black, and so is glide64mk2's hotkey message, which it writes there over the first 90
      // pictures after the ROM opens: our core runs past them when it opens, then goes back to the first VI.
      for (let y = 226; y < 240; y++) {
        for (let x = 0; x < 320; x++) assert.equal(pixel(drawn, x, y), 0, `(${x}, ${y}) is black`);
      }
      assert.ok(near(pixel(drawn, 160, 60), BACKGROUND, 8), pixel(drawn, 160, 60).toString(16));
      assert.ok(near(squareCentre(gl, drawn), SQUARE, 24), squareCentre(gl, drawn).toString(16));
      // The same scene as the scan-out's, pixel for pixel but for the filtering at edges...
      let agreeing = 0;
      for (let y = 0; y < 224; y++) {
        for (let x = 0; x < 320; x++) if (near(pixel(drawn, x, y), pixel(reference, x, y), 16)) agreeing++;
      }
      assert.ok(agreeing > 0.95 * 320 * 224, `${agreeing} of ${320 * 224} pixels agree`);
      // ...but not the scan-out itself: glide64mk2 drew it as a texture (its right column stays black).
      assert.notEqual(digest(drawn), digest(reference));
    } finally {
      scanout.close();
    }
  });

  test('the picture follows the game: the square moves with the stick', () => {
    gl.setStick(0, 1, 0);
    gl.step(8);
    gl.setStick(0, 0, 0);
    gl.step(1);
    const frame = gl.getFrame();
    assert.ok(near(squareCentre(gl, frame), SQUARE, 24), 'the square is where RAM says');
    // Where the square started (x 152) is background again: it moved 5 pixels a frame for 8 frames.
    assert.ok(s16(gl, ram.cursorX) >= 152 + 40);
    assert.ok(near(pixel(frame, 152 + 4, s16(gl, ram.cursorY) + 8), BACKGROUND, 24));
  });

  test('step(n) runs exactly n VIs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), (n) => {
        const frames = u32(gl, ram.frameCount);
        gl.step(n);
        assert.equal(u32(gl, ram.frameCount) - frames, n);
      }),
      { numRuns: 6 },
    );
  });

  test('a state replays the same VIs and the same pictures', () => {
    gl.step(2);
    const state = gl.saveState();
    const play = () => {
      const trace: string[] = [];
      for (let i = 0; i < 8; i++) {
        gl.setStick(0, (i * 20 - 70) / 80, (30 - i * 9) / 80);
        gl.step(1 + (i % 2));
        trace.push(Buffer.from(gl.read(ram.block, ram.blockLength)).toString('hex') + ' ' + digest(gl.getFrame()));
      }
      return trace;
    };
    const first = play();
    gl.loadState(state);
    assert.deepEqual(play(), first);
    gl.setStick(0, 0, 0);
  });
});

test('two GL N64s in one process keep their own context and picture', () => {
  const left = new Emulator({ rom: n64Rom, coreOptions: glide });
  const right = new Emulator({ rom: n64Rom, coreOptions: glide });
  try {
    left.setStick(0, -1, 0);
    right.setStick(0, 1, 0);
    for (let i = 0; i < 6; i++) {
      left.step(1);
      right.step(2);
    }
    assert.equal(u32(left, ram.frameCount), 6);
    assert.equal(u32(right, ram.frameCount), 12);
    const [l, r] = [left.getFrame(), right.getFrame()];
    assert.ok(s16(left, ram.cursorX) < 152 && s16(right, ram.cursorX) > 152);
    assert.ok(near(squareCentre(left, l), SQUARE, 24), 'left draws its square');
    assert.ok(near(squareCentre(right, r), SQUARE, 24), 'right draws its square');
    assert.ok(near(pixel(l, s16(right, ram.cursorX) + 8, s16(right, ram.cursorY) + 8), BACKGROUND, 24), 'not the other\'s');
  } finally {
    left.close();
    right.close();
  }
});

test('a missing or wrong GL plugin, or an unknown video mode, is a typed error', () => {
  assert.throws(
    () => new Emulator({ rom: n64Rom, coreOptions: { ...glide, 'rgym-mupen64plus-glide64mk2': '/nonexistent/glide.so' } }),
    (e) => e instanceof CoreError && e.code === 'CORE_NOT_FOUND' && e.message.includes('mupen64plus-video-glide64mk2'),
  );
  // A shared object that is no video plugin: our own input plugin.
  const input = join(dirname(n64HostCore('rgym_mupen64plus_libretro.so')), 'rgym_n64_input.so');
  assert.throws(
    () => new Emulator({ rom: n64Rom, coreOptions: { ...glide, 'rgym-mupen64plus-glide64mk2': input } }),
    (e) => e instanceof CoreError && e.code === 'CORE_LOAD_FAILED' && /no video plugin/.test(e.message),
  );
  assert.throws(
    () => new Emulator({ rom: n64Rom, coreOptions: { 'rgym-mupen64plus-video': 'vulkan' } }),
    (e) => e instanceof ArgumentError && e.code === 'INVALID_ARGUMENT' && /scanout or glide64mk2/.test(e.message),
  );
  // A GL emulator closed before opens again, and says which mode it runs in.
  const again = new Emulator({ rom: n64Rom, coreOptions: glide });
  try {
    again.step(3);
    assert.equal(u32(again, ram.frameCount), 3);
    const mode = again.coreOptions().find((option) => option.key === 'rgym-mupen64plus-video');
    assert.deepEqual(mode && { value: mode.value, default: mode.defaultValue, choices: mode.choices }, {
      value: 'glide64mk2',
      default: 'scanout',
      choices: ['scanout', 'glide64mk2'],
    });
  } finally {
    again.close();
  }
});

test('without a usable EGL the GL mode fails to open with a typed error naming the packages, not a hang', () => {
  // In a process of its own: EGL is loaded once per process. glvnd with no vendor library is EGL without Mesa.
  const emulatorModule = pathToFileURL(join(packageRoot(), 'lib', 'emulator.ts')).href;
  const script = `import { Emulator } from ${JSON.stringify(emulatorModule)};
    try {
      new Emulator({ rom: ${JSON.stringify(n64Rom)}, coreOptions: ${JSON.stringify(glide)} });
      console.log(JSON.stringify({ opened: true }));
    } catch (e) {
      console.log(JSON.stringify({ name: e.constructor.name, code: e.code, message: e.message }));
    }`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, __EGL_VENDOR_LIBRARY_FILENAMES: '/nonexistent/no-vendor.json' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  const result = JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
  assert.equal(result.name, 'CoreError');
  assert.equal(result.code, 'CORE_LOAD_FAILED');
  assert.match(result.message, /GL video could not start: eglGetPlatformDisplay.*libegl1 libegl-mesa0 libgl1-mesa-dri/);
});

test('make() takes the mode as a core option: observations are glide64mk2\'s pictures, after reset() too', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rgym-n64-gl-'));
  const integrationPaths = [join(packageRoot(), 'test', 'fixtures', 'integrations')];
  const env = make('TestRom-N64', { integrationPaths, dataDir, useRestrictedActions: Actions.ALL, analog: false, coreOptions: glide });
  try {
    const at = (observation: Uint8Array, x: number, y: number) => {
      const i = (y * 320 + x) * 3;
      return (observation[i] << 16) | (observation[i + 1] << 8) | observation[i + 2];
    };
    const right = new Uint8Array(env.buttons.length);
    right[env.buttons.indexOf('RIGHT')] = 1;
    for (let episode = 0; episode < 2; episode++) {
      const { observation, info } = env.reset();
      assert.deepEqual(env.observationSpace.shape, [240, 320, 3]);
      assert.ok(near(at(observation, info.cursor_x + 8, info.cursor_y + 8), SQUARE, 24), `episode ${episode}: the square after reset()`);
      let step = env.step(right);
      for (let i = 0; i < 10; i++) step = env.step(right);
      assert.ok(step.info.cursor_x > info.cursor_x);
      assert.ok(near(at(step.observation, step.info.cursor_x + 8, step.info.cursor_y + 8), SQUARE, 24), 'the square where it went');
      assert.ok(near(at(step.observation, info.cursor_x + 2, info.cursor_y + 8), BACKGROUND, 24), 'and not where it was');
    }
  } finally {
    env.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
