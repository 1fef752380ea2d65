/**
 * The core pool: loaded core copies that closed emulators left behind, each reused by one later emulator of the
 * same core file (after `retro_deinit`, then `retro_init` for its new owner) instead of loading a new copy.
 *
 * Loading a copy costs time, and some cores leak memory per loaded copy (bsnes-mercury ~0.5 MiB), so a run that
 * remakes its envs grows without the pool. It keeps {@link DEFAULT_CORE_POOL_SIZE} idle copies per core file unless
 * `RETRO_CORE_POOL=<n>` (read at the first emulator) or {@link setCorePoolSize} says otherwise; 0 turns it off. A
 * core whose descriptor entry says `"reusable": false` never enters it. Idle copies are unloaded at exit.
 *
 * `retro_deinit` leaves some cores with the last game's memory (bsnes-mercury's WRAM), so a reused copy also loads
 * the state the first new copy of the process had right after loading the same game with the same core options (its
 * power-on state): it then runs exactly like a new copy. Where a fresh copy would randomise its power-on memory
 * (Nestopia's `nestopia_ram_power_state=random`), reused copies therefore all start from that first copy's.
 */

import { ArgumentError } from '../errors.ts';
import { nativeAddon } from '../native.ts';

/** Idle copies kept per core file by default (native/core_pool.h). */
export const DEFAULT_CORE_POOL_SIZE = 4;

export interface CorePoolStats {
  /** Idle copies kept per core file at most. */
  copiesPerCore: number;
  /** Idle copies held now, all cores together. */
  idle: number;
}

/** Keeps at most `copiesPerCore` idle copies of each core from now on (0: none); idle copies beyond it are unloaded. */
export function setCorePoolSize(copiesPerCore: number): void {
  if (!Number.isInteger(copiesPerCore) || copiesPerCore < 0 || copiesPerCore > 1024) {
    throw new ArgumentError('INVALID_ARGUMENT', `the core pool size must be an integer in [0, 1024], got ${copiesPerCore}`);
  }
  nativeAddon().setCorePoolSize(copiesPerCore);
}

export function corePoolStats(): CorePoolStats {
  return nativeAddon().corePoolStats();
}

/** Unloads every idle copy now (the pool keeps working). */
export function drainCorePool(): void {
  nativeAddon().drainCorePool();
}
