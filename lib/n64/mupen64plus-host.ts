import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ArgumentError, CoreError } from '../errors.ts';
import { nativeAddon, type NativeEmulator, type NativeN64Emulator } from '../native.ts';

/** Debian's packages for the mupen64plus host, named whenever a part of it is missing. */
export const MUPEN64PLUS_PACKAGES = 'libmupen64plus2 mupen64plus-rsp-hle';

const RSP_PLUGIN = 'mupen64plus-rsp-hle.so';
const DATA_DIR = '/usr/share/games/mupen64plus';

/** The RSP plugin installed beside the core (Debian: `<libdir>/mupen64plus/`). */
export function rspPluginFor(corePath: string): string {
  const path = join(dirname(corePath), 'mupen64plus', RSP_PLUGIN);
  if (!existsSync(path)) {
    throw new CoreError('CORE_NOT_FOUND', `the mupen64plus RSP plugin ${path} is missing. Install it with: sudo apt-get install ${MUPEN64PLUS_PACKAGES}`, {
      file: path,
      debianPackage: MUPEN64PLUS_PACKAGES,
    });
  }
  return path;
}

/** An N64 emulator exposes its controller's analog stick. */
export interface AnalogNative {
  setAnalog(port: number, x: number, y: number): void;
}

/**
 * The mupen64plus host in the shape of a libretro NativeEmulator, so `Emulator` drives both the same way: the
 * machine boots at loadGame(); what a libretro core has and an N64 has not (core options, audio, memory regions)
 * is empty.
 */
export function mupen64plusNative(corePath: string, workDir: string): NativeEmulator & AnalogNative {
  const rsp = rspPluginFor(corePath);
  let machine: NativeN64Emulator | undefined;
  const booted = (): NativeN64Emulator => {
    if (!machine) throw new ArgumentError('INVALID_ARGUMENT', 'the N64 has no game loaded');
    return machine;
  };
  return {
    loadGame(_romPath: string, romBytes?: Uint8Array) {
      if (!romBytes) throw new ArgumentError('INVALID_ARGUMENT', 'the N64 host takes the ROM as bytes');
      const { NativeN64Emulator } = nativeAddon();
      machine = new NativeN64Emulator({ core: corePath, rsp, dataDir: DATA_DIR }, workDir, romBytes);
    },
    systemInfo: () => booted().systemInfo(),
    avInfo: () => booted().avInfo(),
    setControllerPortDevice() {},
    setInput: (port, buttons) => booted().setInput(port, buttons),
    setAnalog: (port, x, y) => booted().setAnalog(port, x, y),
    run: (frames) => booted().run(frames),
    runRawBenchmark: (frames) => booted().runRawBenchmark(frames),
    reset: () => booted().reset(),
    setFrameBuffer: (buffer) => booted().setFrameBuffer(buffer),
    frameSize: () => booted().frameSize(),
    setAudioCapture(enabled) {
      if (enabled) throw new ArgumentError('INVALID_ARGUMENT', 'the mupen64plus host captures no audio');
    },
    setStateSizeSlack() {},
    takeAudio: () => new Int16Array(0),
    memoryRegions: () => ({}),
    memoryDescriptors: () => [],
    setAddressBlocks: () => [],
    readAddress: (address, length) => booted().readAddress(address, length),
    writeAddress: (address, bytes) => booted().writeAddress(address, bytes),
    saveState: () => booted().saveState(),
    loadState: (state) => booted().loadState(state),
    options: () => [],
    setOption(key) {
      throw new ArgumentError('INVALID_ARGUMENT', `the mupen64plus host has no core option ${key}`);
    },
    recentLog: () => (machine ? machine.recentLog() : []),
    close() {
      machine?.close();
      machine = undefined;
    },
  };
}
