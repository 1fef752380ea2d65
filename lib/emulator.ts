import { readFileSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { loadCoreDescriptor, systemForExtension, type CoreDescriptor } from './core/descriptor.ts';
import { provideExternalDatabase } from './core/external-database.ts';
import { chosenCore, findCore } from './core/find-core.ts';
import { coreNameOfFile } from './core/user-cores.ts';
import { checkRom, checkRomSize } from './core/rom-check.ts';
import {
  ArgumentError,
  CoreError,
  LifecycleError,
  RetroError,
  RomError,
  ScriptError,
  StateError,
  type RetroErrorCode,
} from './errors.ts';
import {
  MemoryId,
  fromNative,
  memoryIdByName,
  nativeAddon,
  type NativeAvInfo,
  type NativeCoreOption,
  type NativeEmulator,
  type NativeMemoryDescriptor,
  type NativeSystemInfo,
} from './native.ts';
import { readStateFile, writeStateFile } from './state-file.ts';
import { createWorkDir, releaseWorkDir, removeWorkDirWith } from './work-dir.ts';

export type AvInfo = NativeAvInfo;
export type SystemInfo = NativeSystemInfo;
export type CoreOption = NativeCoreOption;
export type MemoryDescriptor = NativeMemoryDescriptor;

const RETRO_DEVICE_JOYPAD = 1;

export interface EmulatorOptions {
  /** The ROM: a file path, or its bytes. */
  rom: string | Uint8Array;
  /** System id (`nes`, `snes`, `gb`, `gba`, ...); inferred from the ROM's extension when omitted. */
  system?: string;
  /**
   * The core to run, overriding the descriptor's preference and `RETRO_CORE_<SYSTEM>`: a path to a core file, or a
   * core name (`fceumm`) or file name looked up on the core search path.
   */
  core?: string;
  /** Core option overrides (`GET_VARIABLE` answers), on top of the descriptor's. */
  coreOptions?: Record<string, string>;
  /** Capture audio (int16 stereo), read with `takeAudio()`. Off by default: it costs time. */
  audio?: boolean;
  /** Structural ROM checks before loading (default true). Turn off only for ROMs the checks wrongly reject. */
  checkRom?: boolean;
}

/** The core an emulator runs (see {@link Emulator.core}). */
export interface CoreInUse {
  /** As `retro cores install` names it: `fceumm` for fceumm_libretro.so. */
  name: string;
  library: string;
  version: string;
  path: string;
}

/** The memory a core exposes, as zero-copy views. A view reads as empty once the emulator is closed. */
export interface MemoryRegions {
  systemRam?: Uint8Array;
  saveRam?: Uint8Array;
  videoRam?: Uint8Array;
  rtc?: Uint8Array;
}

/** Rethrows an addon error as the library's typed error with the same code. */
function typed(e: unknown): never {
  throw fromNative(e);
}

function readRom(rom: string | Uint8Array): { bytes: Uint8Array; path: string; label: string } {
  if (typeof rom !== 'string') {
    if (!(rom instanceof Uint8Array)) throw new ArgumentError('INVALID_ARGUMENT', 'rom must be a file path or a Uint8Array');
    checkRomSize(rom.length, 'the ROM buffer');
    return { bytes: rom, path: '', label: 'the ROM buffer' };
  }
  const path = resolve(rom);
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new Error('not a file');
    size = stat.size;
  } catch (e) {
    throw new RomError('ROM_NOT_FOUND', `cannot read ROM ${path}: ${(e as Error).message}`, { file: path });
  }
  checkRomSize(size, path);
  try {
    return { bytes: readFileSync(path), path, label: path };
  } catch (e) {
    throw new RomError('ROM_NOT_FOUND', `cannot read ROM ${path}: ${(e as Error).message}`, { file: path });
  }
}

/**
 * A stick axis in [-1, 1] (right and up positive) as libretro's int16 axis, which spans [-32768, 32767] with y
 * positive down. The one conversion: every route to a core's stick (Emulator, BatchEnv's workers) goes through it.
 */
export function libretroAxis(value: number, axis: 'x' | 'y'): number {
  return Math.round((axis === 'x' ? value : -value) * 32767);
}

/**
 * One emulated console running a game, hosted in this process by a private copy of a libretro core.
 *
 * ```ts
 * const emu = new Emulator({ rom: 'homebrew/test/nes-test.nes' });
 * emu.setButtons(0, emu.buttonMask(['RIGHT']));
 * emu.step(4);                       // 4 frames, native loop
 * const { data, width, height } = emu.getFrame();   // RGB24
 * emu.close();
 * ```
 * Several emulators, of the same core or not, run side by side in one process and never share state.
 */
export class Emulator {
  readonly system: string;
  readonly descriptor: CoreDescriptor;
  readonly corePath: string;
  readonly systemInfo: SystemInfo;
  readonly memory: MemoryRegions;
  private native: NativeEmulator | undefined;
  private readonly workDir: string;
  private readonly frameBuffer: Uint8Array;
  private av: AvInfo;
  private readonly usableButtons: number;

  constructor(options: EmulatorOptions) {
    const rom = readRom(options.rom);
    const system = options.system ?? (rom.path ? systemForExtension(extname(rom.path)) : undefined);
    if (!system) {
      throw new RomError('ROM_INVALID', `cannot tell the system of ${rom.label}: pass { system } or use a known file extension`, {
        file: rom.path || undefined,
      });
    }
    this.descriptor = loadCoreDescriptor(system);
    this.system = this.descriptor.system;
    this.usableButtons = this.descriptor.buttons.reduce((mask, name, bit) => (name === null ? mask : mask | (1 << bit)), 0);
    if (rom.path) {
      const ext = extname(rom.path).slice(1).toLowerCase();
      if (!this.descriptor.ext.includes(ext) && ext !== 'bin') {
        throw new RomError('ROM_INVALID', `${rom.path}: a .${ext} file is not a ${this.descriptor.name} ROM (expected .${this.descriptor.ext.join(', .')})`, {
          file: rom.path,
        });
      }
    }
    if (options.checkRom !== false) checkRom(rom.bytes, this.descriptor.romHeader ?? 'none', this.system, rom.label);

    const found = options.core === undefined ? findCore(this.descriptor) : chosenCore(this.descriptor, options.core);
    this.corePath = found.path;
    this.workDir = createWorkDir();
    try {
      if (found.externalDatabase) provideExternalDatabase(this.corePath, found.externalDatabase, this.workDir);
      const { NativeEmulator } = nativeAddon();
      this.native = new NativeEmulator(this.corePath, this.workDir, found.reusable);
      // An emulator collected without close() frees its core in the native finalizer; this frees its folder.
      removeWorkDirWith(this.native, this.workDir);
      for (const [key, value] of Object.entries({ ...found.options, ...options.coreOptions })) this.native.setOption(key, value);
      this.native.setAudioCapture(options.audio === true);
      this.native.setStateSizeSlack(found.stateSizeSlack);
      this.native.setStateTrial(found.stateTrial);
      this.native.loadGame(rom.path, rom.bytes);
      this.systemInfo = this.native.systemInfo();
      this.av = this.native.avInfo();
      for (let port = 0; port < (this.descriptor.ports ?? 2); port++) this.native.setControllerPortDevice(port, RETRO_DEVICE_JOYPAD);
      this.frameBuffer = new Uint8Array(Math.max(1, this.av.maxWidth * this.av.maxHeight * 3));
      this.native.setFrameBuffer(this.frameBuffer);
      this.memory = this.mapMemory(this.native);
    } catch (e) {
      this.disposeNative();
      typed(e);
    }
  }

  private mapMemory(native: NativeEmulator): MemoryRegions {
    const regions = native.memoryRegions();
    const view = (id: number) => (regions[id] ? new Uint8Array(regions[id]) : undefined);
    native.setAddressBlocks(
      this.descriptor.memory.map((b) => ({ start: b.start, length: b.length, region: memoryIdByName[b.region], offset: b.offset ?? 0, wordBytes: b.wordBytes ?? 1 })),
    );
    return {
      systemRam: view(MemoryId.SYSTEM_RAM),
      saveRam: view(MemoryId.SAVE_RAM),
      videoRam: view(MemoryId.VIDEO_RAM),
      rtc: view(MemoryId.RTC),
    };
  }

  private disposeNative(): void {
    const native = this.native;
    native?.close();
    this.native = undefined;
    releaseWorkDir(this.workDir, native);
  }

  /** Calls the addon, rethrowing its errors as the library's typed errors. */
  private call<T>(fn: (native: NativeEmulator) => T): T {
    try {
      return fn(this.open);
    } catch (e) {
      typed(e);
    }
  }

  private get open(): NativeEmulator {
    if (!this.native) throw new LifecycleError('EMULATOR_CLOSED', 'the emulator is closed');
    return this.native;
  }

  get closed(): boolean {
    return this.native === undefined;
  }

  /** Which core runs this emulator: its install name (`fceumm`), `retro_get_system_info` name and version, and file. */
  get core(): CoreInUse {
    const file = basename(this.corePath);
    return { name: coreNameOfFile(file) ?? file, library: this.systemInfo.libraryName, version: this.systemInfo.libraryVersion, path: this.corePath };
  }

  /** Video geometry and timing as the core reported them when the game loaded. */
  get avInfo(): AvInfo {
    return this.av;
  }

  /** Button names by bit, in libretro joypad id order (`null` for unused bits). */
  get buttons(): readonly (string | null)[] {
    return this.descriptor.buttons;
  }

  /** The bitmask for a set of button names. Unknown names are an error. */
  buttonMask(names: readonly string[]): number {
    if (!Array.isArray(names)) throw new ArgumentError('INVALID_ACTION', `buttonMask takes an array of button names, got ${typeof names}`);
    let mask = 0;
    for (const name of names) {
      if (typeof name !== 'string') throw new ArgumentError('INVALID_ACTION', `button names are strings, got ${JSON.stringify(name)}`);
      const bit = this.descriptor.buttons.indexOf(name.toUpperCase());
      if (bit < 0) {
        throw new ArgumentError('INVALID_ACTION', `unknown button "${name}" for ${this.system}: buttons are ${this.descriptor.buttons.filter((b) => b).join(', ')}`);
      }
      mask |= 1 << bit;
    }
    return mask;
  }

  /**
   * Holds `mask` (bit i = button i of `buttons`) on `port` for the following frames. Bits whose button is `null`
   * are ignored: cores map them to extras such as Nestopia's turbo, whose timer is not part of a save state and
   * would break determinism.
   */
  setButtons(port: number, mask: number): void {
    const ports = this.descriptor.ports ?? 2;
    if (!Number.isInteger(port) || port < 0 || port >= ports) {
      throw new ArgumentError('INVALID_ARGUMENT', `port must be an integer in [0, ${ports - 1}], got ${port}`);
    }
    if (!Number.isInteger(mask) || mask < 0 || mask >= 1 << this.descriptor.buttons.length) {
      throw new ArgumentError('INVALID_ACTION', `button mask must be an integer in [0, ${(1 << this.descriptor.buttons.length) - 1}], got ${mask}`);
    }
    this.call((native) => native.setInput(port, mask & this.usableButtons));
  }

  /** How many analog sticks each pad has (descriptor's `sticks`; the N64's pad has one). */
  get sticks(): number {
    return this.descriptor.sticks ?? 0;
  }

  /**
   * Holds analog stick `stick` of controller `port` at (`x`, `y`), each in [-1, 1] with right and up positive,
   * for the following frames. Only systems whose pad has a stick have it (n64).
   */
  setStick(port: number, x: number, y: number, stick = 0): void {
    const native = this.open;
    if (this.sticks === 0) throw new ArgumentError('INVALID_ACTION', `${this.descriptor.name} has no analog stick`);
    const ports = this.descriptor.ports ?? 2;
    if (!Number.isInteger(port) || port < 0 || port >= ports) {
      throw new ArgumentError('INVALID_ARGUMENT', `port must be an integer in [0, ${ports - 1}], got ${port}`);
    }
    if (!Number.isInteger(stick) || stick < 0 || stick >= this.sticks) {
      throw new ArgumentError('INVALID_ARGUMENT', `stick must be an integer in [0, ${this.sticks - 1}], got ${stick}`);
    }
    for (const [axis, value] of [['x', x], ['y', y]] as const) {
      if (typeof value !== 'number' || !(value >= -1 && value <= 1)) {
        throw new ArgumentError('INVALID_ACTION', `stick ${axis} must be a number in [-1, 1], got ${String(value)}`);
      }
    }
    this.call((n) => n.setAnalog(port, stick, libretroAxis(x, 'x'), libretroAxis(y, 'y')));
  }

  /**
   * Whether the core draws pictures. Off for policies that only read RAM: cores that ask the frontend (our N64
   * core) then skip their picture work, and `getFrame()` keeps the last picture drawn.
   */
  setVideoEnabled(enabled: boolean): void {
    this.call((native) => native.setVideoEnabled(enabled));
  }

  /** Runs `frames` frames with the held buttons, in a native loop; the last frame becomes the current frame. */
  step(frames = 1): void {
    if (!Number.isInteger(frames) || frames < 1) throw new ArgumentError('INVALID_ARGUMENT', `frames must be a positive integer, got ${frames}`);
    this.call((native) => native.run(frames));
  }

  /** Presses the console's reset button. */
  reset(): void {
    this.call((native) => native.reset());
  }

  /**
   * The last frame as packed RGB24. `data` is a view into a buffer this emulator reuses: copy it to keep it past
   * the next step.
   */
  getFrame(): { data: Uint8Array; width: number; height: number } {
    const [width, height] = this.open.frameSize();
    return { data: this.frameBuffer.subarray(0, width * height * 3), width, height };
  }

  /** Reads `length` bytes at an absolute address in the system's numbering (e.g. SNES 0x7E0000 = WRAM). */
  read(address: number, length = 1): Uint8Array {
    return this.call((native) => native.readAddress(address, length));
  }

  /** Writes bytes at an absolute address in the system's numbering. */
  write(address: number, bytes: Uint8Array | readonly number[]): void {
    if (!(bytes instanceof Uint8Array)) {
      // Uint8Array.from would quietly turn "abc" into zeros and 300 into 44.
      if (!Array.isArray(bytes) || !bytes.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
        throw new ArgumentError('INVALID_ARGUMENT', `write() takes a Uint8Array or an array of integers 0-255, got ${JSON.stringify(bytes).slice(0, 80)}`);
      }
    }
    this.call((native) => native.writeAddress(address, bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes)));
  }

  /** libretro memory map descriptors, when the core publishes them (SET_MEMORY_MAPS). */
  memoryDescriptors(): MemoryDescriptor[] {
    return this.call((native) => native.memoryDescriptors());
  }

  /** The core's raw serialized state. */
  saveState(): Buffer {
    return this.call((native) => native.saveState());
  }

  /** Restores a state from `saveState()` of the same core and game. */
  loadState(state: Uint8Array): void {
    if (!(state instanceof Uint8Array)) throw new StateError('STATE_INVALID', 'a state must be a Uint8Array or Buffer');
    this.call((native) => native.loadState(state));
  }

  /** Writes a stable-retro compatible `.state` file (gzip of the raw state). */
  saveStateFile(path: string): void {
    writeStateFile(path, this.saveState());
  }

  /** Loads a `.state` file (gzip or raw). */
  loadStateFile(path: string): void {
    const state = readStateFile(path);
    try {
      this.loadState(state);
    } catch (e) {
      if (e instanceof RetroError) e.details.file = path;
      throw e;
    }
  }

  /** Core options with their defaults and current values. */
  coreOptions(): CoreOption[] {
    return this.call((native) => native.options());
  }

  setCoreOption(key: string, value: string): void {
    this.call((native) => native.setOption(key, value));
  }

  /** Audio captured since the last call, int16 stereo interleaved (needs `{ audio: true }`). */
  takeAudio(): Int16Array {
    return this.call((native) => native.takeAudio());
  }

  /** Recent warnings and errors the core logged (set RETRO_LOG=debug to see all logging on stderr). */
  recentLog(): string[] {
    return this.call((native) => native.recentLog());
  }

  /** Unloads the game and the core copy and removes the work folder. A second close() is an error. */
  close(): void {
    if (!this.native) throw new LifecycleError('EMULATOR_CLOSED', 'the emulator is already closed');
    this.disposeNative();
  }

  /** The addon object, for the batch stepper. */
  get nativeHandle(): NativeEmulator {
    return this.open;
  }
}
