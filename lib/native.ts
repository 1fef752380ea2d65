import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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
  pixelFormat(): number;
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

export interface NativeAddon {
  /** `reusable` false keeps the emulator's core copy out of the core pool (default true). */
  NativeEmulator: new (corePath: string, workDir: string, reusable?: boolean) => NativeEmulator;
  setCorePoolSize(copiesPerCore: number): void;
  corePoolStats(): { copiesPerCore: number; idle: number };
  drainCorePool(): void;
  /** Bytes allocated from the C heap and not freed (glibc mallinfo2), for leak tests and the bench. */
  mallocInUse(): number;
}

let addon: NativeAddon | undefined;

/**
 * Loads the compiled addon once. cmake-js builds into build/Release (node-gyp too); `RETRO_ADDON_PATH` points at
 * another build, e.g. one with AddressSanitizer.
 */
export function nativeAddon(): NativeAddon {
  if (addon) return addon;
  const root = packageRoot();
  const override = process.env.RETRO_ADDON_PATH;
  const candidates = override
    ? [override]
    : [join(root, 'build', 'Release', 'libretro_gym.node'), join(root, 'build', 'Debug', 'libretro_gym.node')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new CoreError('CORE_LOAD_FAILED', `the native addon is not built (looked for ${candidates[0]}): run \`npm run setup\` or \`npm run build\``);
  }
  addon = createRequire(import.meta.url)(found) as NativeAddon;
  return addon;
}

/** Re-throws an error from the addon as the library's typed error of the same code. */
export function isNativeError(e: unknown): e is Error & { code: string } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string';
}
