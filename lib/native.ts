import { createRequire } from 'node:module';
import { loadFailureMessage, locateAddon, type AddonFile } from './addon-location.ts';
import {
  ArgumentError,
  CoreError,
  IntegrationError,
  LifecycleError,
  RetroError,
  RomError,
  ScriptError,
  StateError,
  type RetroErrorCode,
} from './errors.ts';
import { packageRoot } from './package-root.ts';

/** RETRO_MEMORY_* ids of libretro.h. */
export const MemoryId = { SAVE_RAM: 0, RTC: 1, SYSTEM_RAM: 2, VIDEO_RAM: 3 } as const;
export type MemoryRegionName = 'save_ram' | 'rtc' | 'system_ram' | 'video_ram';
export const memoryIdByName: Record<MemoryRegionName, number> = {
  save_ram: MemoryId.SAVE_RAM,
  rtc: MemoryId.RTC,
  system_ram: MemoryId.SYSTEM_RAM,
  video_ram: MemoryId.VIDEO_RAM,
};

export interface NativeAvInfo {
  baseWidth: number;
  baseHeight: number;
  maxWidth: number;
  maxHeight: number;
  aspectRatio: number;
  fps: number;
  sampleRate: number;
}

export interface NativeSystemInfo {
  libraryName: string;
  libraryVersion: string;
  validExtensions: string;
  needFullpath: boolean;
  blockExtract: boolean;
}

export interface NativeCoreOption {
  key: string;
  description: string;
  defaultValue: string;
  value: string;
  choices: string[];
}

export interface NativeMemoryDescriptor {
  flags: number;
  start: number;
  select: number;
  disconnect: number;
  length: number;
  offset: number;
  addressSpace: string | null;
  data: ArrayBuffer | null;
}

export interface NativeAddressBlock {
  start: number;
  length: number;
  region: number;
  offset?: number;
  /** The core keeps the block as host-order words of this size (see the descriptor schema's `wordBytes`). */
  wordBytes?: number;
}

/** The raw addon class (native/emulator_wrap.cpp). Use `Emulator` instead; this is its engine. */
export interface NativeEmulator {
  loadGame(romPath: string, romBytes?: Uint8Array): void;
  systemInfo(): NativeSystemInfo;
  avInfo(): NativeAvInfo;
  setControllerPortDevice(port: number, device: number): void;
  setInput(port: number, buttons: number): void;
  /** libretro's analog axes: `stick` 0 left, 1 right; x and y in [-32768, 32767], y positive down. */
  setAnalog(port: number, stick: number, x: number, y: number): void;
  /** Off: cores that ask whether pictures are wanted draw none (RAM-only policies). */
  setVideoEnabled(enabled: boolean): void;
  /** Off: unknown states load without a trial run in a forked child (cores with threads of their own). */
  setStateTrial(enabled: boolean): void;
  run(frames: number): void;
  runRawBenchmark(frames: number): number;
  reset(): void;
  setFrameBuffer(buffer: Uint8Array): void;
  frameSize(): [number, number];
  setAudioCapture(enabled: boolean): void;
  setStateSizeSlack(bytes: number): void;
  takeAudio(): Int16Array;
  memoryRegions(): Record<number, ArrayBuffer>;
  memoryDescriptors(): NativeMemoryDescriptor[];
  setAddressBlocks(blocks: NativeAddressBlock[]): { start: number; length: number }[];
  readAddress(address: number, length: number): Buffer;
  writeAddress(address: number, bytes: Uint8Array): void;
  saveState(): Buffer;
  loadState(state: Uint8Array): void;
  options(): NativeCoreOption[];
  setOption(key: string, value: string): void;
  recentLog(): string[];
  close(): void;
}

/** How the addon file was built (native/build_info.cpp). */
export interface NativeBuildInfo {
  /** The Node-API version it was compiled against; package.json's `binary.napi_versions` declares the same. */
  napiVersion: number;
  /** e.g. `Lua 5.4.4`. */
  lua: string;
  /** `static`: Lua is linked into the addon, no Lua library is needed at run time. */
  luaLinkage: 'static' | 'shared';
  /** Built by `npm run build:prebuilt` for the npm package. */
  prebuilt: boolean;
  compiler: string;
}

/** A scenario as the native session takes it (native/session_wrap.cpp parses exactly this shape). */
export interface NativeScenarioConfig {
  variables: { name: string; address: number; type: string; mask?: number | string }[];
  rewards: NativeRewardTerm[][];
  done: NativeDoneNode;
  lua?: {
    files: string[];
    rewardFunctions: (string | null)[];
    doneFunction: string;
    limits?: { instructions?: number; timeoutMs?: number; memoryBytes?: number };
  };
}

export interface NativeRewardTerm {
  variable: string;
  measurement: string;
  op: string;
  reference: number;
  reward: number;
  penalty: number;
}

export interface NativeDoneNode {
  condition: 'any' | 'all';
  terms: { variable: string; measurement: string; op: string; reference: number }[];
  nodes: NativeDoneNode[];
}

/** Native preprocessing of shown frames: gray and/or an area resize of a frameWidth × frameHeight picture. */
export interface NativeObservationSpec {
  gray: boolean;
  width: number;
  height: number;
  frameWidth: number;
  frameHeight: number;
}

/** One game played for reward (native/session_wrap.cpp): an emulator, its RAM variables and its scenario. */
export interface NativeSession {
  /** The arrays every call below writes its results into. */
  bindOutputs(values: Float64Array, rewards: Float64Array, done: Uint8Array): void;
  reset(): void;
  restart(state: Uint8Array): void;
  /** Frames with the held input, the scenario evaluated after each; stops at the frame that ends the episode. */
  step(frames: number, maxPool?: boolean): void;
  /** Frame `index` of a step of `frames` frames, for a frame loop driven from JS (TypeScript scenarios). */
  stepFrame(index: number, frames: number, maxPool: boolean): void;
  /** Shows the last frame run, for a JS frame loop that stopped early. */
  showLastFrame(): void;
  setObservation(spec: NativeObservationSpec, out: Uint8Array): void;
  close(): void;
}

/** Many sessions stepped on native threads (native/batch_wrap.cpp). */
export interface NativeBatch {
  /**
   * One mask per env and port; with `options.sticks` > 0 also `sticks`: libretro's axes (y positive down), x and y
   * per env, port and stick.
   */
  send(ids: Uint32Array, masks: Uint16Array, sticks?: Int16Array): void;
  sendReset(ids: Uint32Array): void;
  recv(batchSize: number): Uint32Array;
  close(): void;
}

export interface NativeBatchOptions {
  threads: number;
  pinThreads: boolean;
  frameskip: number;
  maxPool: boolean;
  ports: number;
  /** Analog sticks per pad (0 or left out for pads without). */
  sticks?: number;
  observationBytes: number;
  autoreset: 'next-step' | 'same-step';
  preprocess?: NativeObservationSpec;
}

export interface NativeBatchOutputs {
  observations: Uint8Array;
  values: Float64Array;
  rewards: Float64Array;
  terminated: Uint8Array;
  finalObservations?: Uint8Array;
  finalValues?: Float64Array;
  hasFinal?: Uint8Array;
}

type ResizeKernel = (src: Uint8Array, srcW: number, srcH: number, channels: number, dst: Uint8Array, dstW: number, dstH: number) => void;

/** The pixel kernels (native/frame_ops_wrap.cpp). */
export interface NativeFrameOps {
  rgbToGray(src: Uint8Array, dst: Uint8Array, pixels: number): void;
  resizeArea: ResizeKernel;
  resizeBilinear: ResizeKernel;
  maxPool(a: Uint8Array, b: Uint8Array, dst: Uint8Array): void;
  decodeFrame(src: Uint8Array, width: number, height: number, pitch: number, format: number, gray: boolean, dst: Uint8Array): void;
}

export interface NativeAddon {
  /** `reusable` false keeps the emulator's core copy out of the core pool (default true). */
  NativeEmulator: new (corePath: string, workDir: string, reusable?: boolean) => NativeEmulator;
  NativeSession: new (emulator: NativeEmulator, config: NativeScenarioConfig) => NativeSession;
  NativeBatch: new (sessions: NativeSession[], startStates: Uint8Array[], options: NativeBatchOptions, outputs: NativeBatchOutputs) => NativeBatch;
  /** Absent from addons built before the kernels existed. */
  frameOps?: NativeFrameOps;
  buildInfo(): NativeBuildInfo;
  setCorePoolSize(copiesPerCore: number): void;
  corePoolStats(): { copiesPerCore: number; idle: number };
  drainCorePool(): void;
  /** Bytes allocated from the C heap and not freed (glibc mallinfo2), for leak tests and the bench. */
  mallocInUse(): number;
  /**
   * A scenario's JSON rules evaluated on given variable values (in `config.variables` order) and their values one
   * step before, exactly as a session evaluates them: writes each player's reward into `rewards`, returns done.
   */
  evaluateScenarioRules(config: NativeScenarioConfig, values: Float64Array, previous: Float64Array, rewards: Float64Array): boolean;
}

let addon: NativeAddon | undefined;
let addonFile: AddonFile | undefined;

/**
 * Loads the addon once: a source build, else the prebuilt file shipped for this platform, or the file
 * `RETRO_ADDON_PATH` names (see addon-location.ts).
 * @throws CoreError `CORE_LOAD_FAILED` when there is none or it does not load, saying how to build one.
 */
export function nativeAddon(): NativeAddon {
  if (addon) return addon;
  const file = locateAddon(packageRoot());
  try {
    addon = createRequire(import.meta.url)(file.path) as NativeAddon;
  } catch (error) {
    throw new CoreError('CORE_LOAD_FAILED', loadFailureMessage(file, error), { file: file.path, kind: file.kind }, { cause: error });
  }
  addonFile = file;
  return addon;
}

/** The addon file {@link nativeAddon} loaded, once it has. */
export function loadedAddonFile(): AddonFile | undefined {
  return addonFile;
}

/** An error the addon threw: a plain Error with the `code` native/errors.h gave it. */
export function isNativeError(e: unknown): e is Error & { code: string } {
  return e instanceof Error && !(e instanceof RetroError) && typeof (e as { code?: unknown }).code === 'string';
}

/**
 * Every code the addon throws (grep native/ for EmulatorError) and the class it is rethrown as. The one table of
 * the boundary: each call into the addon goes through {@link fromNative}.
 */
export const nativeErrorClasses = {
  CORE_NOT_FOUND: CoreError,
  CORE_LOAD_FAILED: CoreError,
  ROM_INVALID: RomError,
  ROM_LOAD_FAILED: RomError,
  STATE_INVALID: StateError,
  EMULATOR_CLOSED: LifecycleError,
  ENV_CLOSED: LifecycleError,
  ENV_CRASHED: LifecycleError,
  INVALID_ARGUMENT: ArgumentError,
  ADDRESS_UNMAPPED: ArgumentError,
  SCENARIO_INVALID: IntegrationError,
  SCRIPT_ERROR: ScriptError,
  SCRIPT_TIMEOUT: ScriptError,
  SCRIPT_MEMORY: ScriptError,
} as const satisfies Partial<Record<RetroErrorCode, typeof RetroError>>;

export type NativeErrorCode = keyof typeof nativeErrorClasses;

/**
 * The library's typed error for an error the addon threw: same code and message, the class of
 * {@link nativeErrorClasses}, and for a script error the Lua file and line its message names. Anything else
 * (already typed, or not from the addon) is returned as it is. Callers that are parsing a file add its name.
 */
export function fromNative(e: unknown): unknown {
  if (!isNativeError(e)) return e;
  const Class: typeof RetroError = nativeErrorClasses[e.code as NativeErrorCode] ?? RetroError;
  return new Class(e.code as RetroErrorCode, e.message, Class === ScriptError ? scriptLocation(e.message) : {}, { cause: e });
}

/** Calls the addon, rethrowing what it throws as typed errors ({@link fromNative}). */
export function callNative<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw fromNative(e);
  }
}

/** Lua's "file:line: message", else the script the message names: "(<file>)" at its end, or "Lua script <file>". */
function scriptLocation(message: string): { file?: string; line?: number } {
  const at = /([^\s()]+\.lua):(\d+):/.exec(message);
  const named = /\(([^()]+\.lua)\)$/.exec(message) ?? /Lua script (\S+\.lua)/.exec(message);
  const file = at?.[1] ?? named?.[1];
  return { ...(file !== undefined && { file }), ...(at && { line: Number(at[2]) }) };
}
