/**
 * libretro-gym: classic console games as reinforcement-learning environments.
 *
 * ```ts
 * import * as retro from 'libretro-gym';
 * const env = retro.make('TinyKart-Nes');
 * const { observation, info } = env.reset({ seed: 1 });
 * const { reward, terminated, truncated } = env.step(env.actionSpace.sample());
 * ```
 */
export { make, RetroEnv, State, Observations, type MakeOptions, type ScriptLimits, type StepResult, type Action, type StickAction, type PadInput, type TrustScripts } from './env/retro-env.ts';
export { Actions } from './env/action-codec.ts';
export { buildStates } from './env/boot-recipe.ts';
export { BatchEnv, type BatchEnvOptions, type BatchResult } from './vector/batch-env.ts';
export type { Autoreset } from './vector/autoreset.ts';
export type { Env, EnvStepResult, ResetResult } from './env/env.ts';
export { Emulator, type EmulatorOptions, type AvInfo, type SystemInfo, type CoreOption, type MemoryRegions, type CoreInUse } from './emulator.ts';
export * from './errors.ts';
export * as data from './integration/data-api.ts';
export * from './spaces/index.ts';
export { Rng } from './rng.ts';
export { GifRecorder } from './media/gif.ts';
export * from './movie/index.ts';
export { loadCoreDescriptor, listSystems, type CoreDescriptor } from './core/descriptor.ts';
export { setCorePoolSize, corePoolStats, drainCorePool, DEFAULT_CORE_POOL_SIZE, type CorePoolStats } from './core/core-pool.ts';
export { MARIO_KART_ACTIONS, marioKartOptions } from '../integrations/MarioKart-Snes/preset.ts';
export { MARIO_KART_64_ACTIONS, marioKart64Options } from '../integrations/MarioKart-N64/preset.ts';
export * from './wrappers/index.ts';
export { SyncVectorEnv } from './vector/sync-vector-env.ts';
export * as frameOps from './frame-ops.ts';
export * from './integrate/index.ts';
export * from './dataset/index.ts';
