import type { LookupOptions } from '../integration/paths.ts';
import type { Actions } from './action-codec.ts';
import type { ScriptLimits, TrustScripts } from './scenario-plan.ts';

/** Start-state choices besides a state's name, as stable-retro's `retro.State`. */
export const State = {
  /** The integration's `default_state` from metadata.json (power-on when it names none). */
  DEFAULT: '__default__',
  /** Power-on: no state loaded. */
  NONE: '__none__',
} as const;

/** What observations are, as stable-retro's `retro.Observations`. */
export const Observations = { IMAGE: 'image', RAM: 'ram' } as const;
export type Observations = (typeof Observations)[keyof typeof Observations];

export interface MakeOptions extends LookupOptions {
  /** A state name, `State.DEFAULT` (default) or `State.NONE`. */
  state?: string;
  /** A scenario name of the integration (`scenario` by default) or a path to a scenario .json. */
  scenario?: string;
  /** A path to a data.json to use instead of the integration's. */
  info?: string;
  /** How actions are encoded; `Actions.FILTERED` by default, like stable-retro. */
  useRestrictedActions?: Actions;
  /**
   * For systems whose pad has analog sticks (n64): whether actions carry them. `true` (default) makes the action
   * space `Dict({ buttons: <the button space>, stick: Box(-1, 1, [players × sticks × 2], float32) })`; `false`
   * gives the plain button space, with the sticks centred. Ignored for systems without sticks.
   */
  analog?: boolean;
  /** `image` (H×W×3 uint8, default) or `ram` (the system RAM, uint8; no pictures are drawn, as with `video: false`). */
  obsType?: Observations;
  /**
   * `false`: the core draws no pictures where it can skip them (our N64 core skips its scan-out; libretro cores
   * that never ask draw anyway), for policies that read RAM variables only. Image observations, `render()` and
   * recorded GIFs then show the last picture drawn. Default true.
   */
  video?: boolean;
  /** Players controlled by the agent (1 by default). */
  players?: number;
  /**
   * Frames emulated per step with the same input (1 by default), natively. The scenario is evaluated after every
   * frame: rewards are summed, and the step stops early at the frame that ends the episode.
   */
  frameskip?: number;
  /**
   * With frameskip > 1: observe the max of the last two frames (removes sprite flicker, as Atari wrappers do). With
   * `preprocess`, the frames are pooled after graying and before resizing, in Gymnasium's order.
   */
  maxPool?: boolean;
  /**
   * Native observation preprocessing: gray (one channel) and/or an area resize, e.g.
   * `{ grayscale: true, width: 84, height: 84 }` gives `Box [84, 84]`. Image observations only, without crop.
   * The emulator preprocesses straight from the core's picture and converts nothing else; `render()` still gives
   * the RGB frame (converted when asked for).
   */
  preprocess?: Preprocess;
  /**
   * The core to run, beating the descriptor's preference and `RETRO_CORE_<SYSTEM>`: a core name (`fceumm`, looked up
   * on the core search path) or a path to a core file. `env.core` says which core ran.
   */
  core?: string;
  /** Core option overrides. */
  coreOptions?: Record<string, string>;
  /**
   * Limits on Lua scenario scripts, each a positive integer: `instructions` (Lua VM instructions per call, default
   * 10,000,000), `timeoutMs` (wall clock per call, default 1,000) and `memoryBytes` (the script's Lua state, default
   * 64 MiB). A call is the top level of each script file (run at every reset) or one reward or done call (one per
   * frame). Over a limit the call fails with a `ScriptError` `SCRIPT_TIMEOUT` or `SCRIPT_MEMORY` naming the file and
   * function, from `make()`, `reset()`, `step()` or a BatchEnv's `recv()`; the env can still be closed. String
   * patterns and table functions whose worst case would not fit `timeoutMs` are refused up front (`SCRIPT_TIMEOUT`).
   * Defaults leave ordinary scripts orders of magnitude of room. E.g. `{ instructions: 1_000_000, timeoutMs: 100 }`.
   */
  scriptLimits?: ScriptLimits;
  /**
   * Which TypeScript scenario scripts (`ts:` functions) may load; they run with the full privileges of this process.
   * `true` (default): all, like any npm code you install. `false`: only those of the integrations bundled with this
   * package; any other refuses with a `ScriptError` `SCRIPT_UNTRUSTED` naming the script. A list of folders
   * (integration folders, or folders of them): those too. Lua scripts are sandboxed and always allowed.
   */
  trustScripts?: TrustScripts;
  /**
   * A folder to record every episode into as a `.bk2` movie (`<game>-<state>-<episode>.bk2`), like stable-retro's
   * `record=`: the start state and the buttons of every frame. Replay one with `retro playback` or `Movie`.
   */
  record?: string;
}

export interface Preprocess {
  grayscale?: boolean;
  width?: number;
  height?: number;
}

export interface StepResult {
  observation: Uint8Array;
  /** Player 1's reward; every player's is in `rewards`. */
  reward: number;
  rewards: number[];
  terminated: boolean;
  truncated: boolean;
  info: Record<string, number>;
}
