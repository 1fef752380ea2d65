/**
 * `libretro-gym/train`: the PPO trainer behind `retro train`, for use from code. Needs the optional peer
 * dependencies `@tensorflow/tfjs` (+ `@tensorflow/tfjs-backend-wasm`, or `@tensorflow/tfjs-node`) and, for the
 * plot, `vega`, `vega-lite` and `@resvg/resvg-js`.
 *
 * ```ts
 * import { resolveConfig, readGameTrainDefaults, train, evaluate } from 'libretro-gym/train';
 * const config = resolveConfig('TinyKart-Nes', { totalTimesteps: 100_000 }, readGameTrainDefaults('TinyKart-Nes'));
 * const result = await train(config, { runDir: 'runs/kart', events: { log: console.log, progress: () => {} } });
 * const { meanReturn } = await evaluate(result.checkpoint, { episodes: 3, gif: 'runs/kart/eval.gif' });
 * ```
 */
export { train, type TrainOptions, type TrainResult, type TrainStatus, type TrainEvents } from './trainer.ts';
export type { CheckpointMeta } from './checkpoint.ts';
export { evaluate, playEpisode, type EvalOptions, type EvalResult } from './evaluate.ts';
export { resolveConfig, readGameTrainDefaults, parseTrainFlags, trainHelp, MLP_DEFAULTS, CNN_OVERRIDES, type TrainConfig } from './config.ts';
export { loadTensorFlow, checkTrainerDependencies, type BackendChoice, type TfRuntime } from './backend.ts';
export { registerWasmTrainingKernels } from './wasm-kernels.ts';
export { computeGae } from './gae.ts';
export { resolveCheckpoint, RunDir } from './run-dir.ts';
