import { createRequire } from 'node:module';
import { loadFailureMessage, locateAddon, type AddonFile } from './addon-location.ts';
import { CoreError } from './errors.ts';
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
}

/** The raw addon class (native/emulator_wrap.cpp). Use `Emulator` instead; this is its engine. */
export interface NativeEmulator {
  loadGame(romPath: string, romBytes?: Uint8Array): void;
  systemInfo(): NativeSystemInfo;
  avInfo(): NativeAvInfo;
  setControllerPortDevice(port: number, device: number): void;
  setInput(port: number, buttons: number): void;
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

export interface NativeAddon {
  /** `reusable` false keeps the emulator's core copy out of the core pool (default true). */
  NativeEmulator: new (corePath: string, workDir: string, reusable?: boolean) => NativeEmulator;
  buildInfo(): NativeBuildInfo;
  setCorePoolSize(copiesPerCore: number): void;
  corePoolStats(): { copiesPerCore: number; idle: number };
  drainCorePool(): void;
  /** Bytes allocated from the C heap and not freed (glibc mallinfo2), for leak tests and the bench. */
  mallocInUse(): number;
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

/** Re-throws an error from the addon as the library's typed error of the same code. */
export function isNativeError(e: unknown): e is Error & { code: string } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string';
}
