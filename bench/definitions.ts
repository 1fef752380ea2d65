/**
 * What each bench's rows compare and how their derived columns are computed, by bench name. `npm run bench` prints
 * these under its tables and `scripts/bench-table.ts` writes them under the README's, so no number stands without
 * its definition. A ratio alone flatters a slow core: 20 µs of fixed cost per step is 1 % of a 2 ms SNES frame and
 * 5 % of a 0.4 ms NES frame, hence the overhead in µs beside each ratio.
 */
const perStep = (ours: string) =>
  `ratio = ${ours} / raw_fps; overhead_us_per_step = frameskip × (1e6 / ${ours} − 1e6 / raw_fps): the wall-clock µs ` +
  'our layer adds to each step of frameskip frames. raw_fps is the bare core in a native loop on the same emulator; ' +
  'the two sides alternate in 20 chunks and ratio and overhead are medians over the chunks.';

export const benchDefinitions: Readonly<Record<string, string>> = {
  'emulator-vs-raw': `emulator_fps: Emulator.setButtons + step(frameskip) from JS. ${perStep('emulator_fps')}`,
  'env-vs-raw': `env_fps: RetroEnv.step with 10 RAM variables and the scenario's reward and done. ${perStep('env_fps')}`,
  'atari-preprocessing-vs-raw': `env_fps: AtariPreprocessing(env).step, frameskip frames each. ${perStep('env_fps')}`,
  'batch-env':
    'batch_fps: frames/s of all num_envs envs together (steps of 4 frames) on the native worker threads, one per CPU; ' +
    'ratio_to_raw = batch_fps / raw_fps of one bare core on one thread (at most min(num_envs, CPUs)); ' +
    'ratio_to_single_env = batch_fps / single_env_fps of one env made the same way; ' +
    'overhead_cpu_us_per_step = CPU µs of this process (all threads) per env step − CPU µs of 4 bare-core frames: ' +
    'what a step costs beyond emulation, on whichever CPU. Medians over 7 alternating chunks.',
  'isolate-process':
    "ratio = process steps/s / native steps/s (wall clock); 'overhead CPU µs/step' = 1e6 / process steps per CPU s − " +
    '1e6 / native steps per CPU s: the CPU µs (parent and children) isolation adds to each agent step. Medians over 7 ' +
    'alternating chunks.',
  'play-frame':
    'indexed_bytes: one frame as retro play sends it (palette-indexed, one byte a pixel, with its palette and a small ' +
    'info JSON); raw_bytes: the same frame as RGB. indexed_encode_ms / raw_copy_ms: medians over 10 alternating chunks.',
  'play-page':
    'page_fps: frames the page received per second at 1× while the kart drove; frames_skipped: frames played but not ' +
    'delivered; latency: from the page sending a change of buttons to the first frame played with them arriving.',
  'n64-env-vs-raw': `env_fps: RetroEnv.step on our N64 test ROM (TestRom-N64), a frame being one VI; observation rgb scans the VI framebuffer out each frame, ram draws no picture. ${perStep('env_fps')}`,
  'n64-video':
    'scanout_vi_per_s / glide64mk2_vi_per_s: VIs/s of our N64 core with step(1) and getFrame() each VI, drawing by the ' +
    'VI scan-out from RDRAM or by glide64mk2 on GL (Mesa llvmpipe, no GPU); ratio = glide64mk2 / scanout; ' +
    'overhead_us_per_vi = 1e6 / glide64mk2 − 1e6 / scanout. Medians over 20 alternating chunks.',
  'n64-batch-env':
    'batch_fps: VIs/s of all num_envs N64s together (steps of 4 VIs); single_env_fps: one env made the same way; ' +
    'ratio_to_single_env = batch_fps / single_env_fps. Medians over 7 alternating chunks.',
  train:
    "ratio = train steps/s / bare steps/s; 'overhead µs/step' = 1e6 / train steps/s − 1e6 / bare steps/s: the wall-clock " +
    'µs per agent step the trainer spends beyond stepping the same envs with random actions.',
};

/** The definition for a row's bench (`train-mlp` and `train-cnn` share `train`'s), if there is one. */
export function definitionOf(bench: string): string | undefined {
  return benchDefinitions[bench] ?? benchDefinitions[bench.split('-')[0]];
}
