/**
 * Ready-made settings for training on Mario Kart 64 (`integrations/MarioKart-N64`), following the public TorchKart
 * and gym-mupen64plus projects: steering actions with A held, a Time Trial start state and the shaped reward of the
 * integration's `scenario.json`.
 *
 * ```ts
 * const env = make(MARIO_KART_64_GAME, marioKart64Options({ state: MARIO_KART_64_STATES.MooMooFarm }));
 * // wrap env in a Discretizer built from MARIO_KART_64_ACTIONS to get Discrete(7)
 * ```
 *
 * The ROM is the user's own dump: `npx retro import <dir>` first (see the integration's README).
 */

import { Actions } from '../../lib/env/action-codec.ts';
import { Observations, type MakeOptions } from '../../lib/env/retro-env.ts';

/** The integration's name, as `make()` takes it. */
export const MARIO_KART_64_GAME = 'MarioKart-N64';

/**
 * One discrete action: the N64 buttons it holds and where it holds the analog stick, `[x, y]` each in [-1, 1]
 * (x negative = left, y positive = up), the shape a Discretizer takes for combos with a stick.
 */
export interface StickCombo {
  readonly buttons: readonly string[];
  readonly stick: readonly [number, number];
}

/**
 * The usual kart-racing actions as a Discretizer combo map. A (accelerate) is held throughout, so every action
 * drives forward; the game steers with the analog stick only (the D-pad does not steer), so each action sets it.
 * Soft and hard steering are ±0.5 and ±1 of the stick's travel: ±40 and ±80 on the N64's own stick scale
 * (`Emulator.setStick` maps [-1, 1] onto ±80, a real pad's full deflection), the soft and hard steering TorchKart
 * uses. R hops and, held into a turn, drifts.
 *
 * Key order is the action numbering: 0 straight, 1 soft left, 2 hard left, 3 soft right, 4 hard right,
 * 5 drift left, 6 drift right.
 */
export const MARIO_KART_64_ACTIONS = {
  straight: { buttons: ['A'], stick: [0, 0] },
  soft_left: { buttons: ['A'], stick: [-0.5, 0] },
  hard_left: { buttons: ['A'], stick: [-1, 0] },
  soft_right: { buttons: ['A'], stick: [0.5, 0] },
  hard_right: { buttons: ['A'], stick: [1, 0] },
  drift_left: { buttons: ['A', 'R'], stick: [-1, 0] },
  drift_right: { buttons: ['A', 'R'], stick: [1, 0] },
} as const satisfies Record<string, StickCombo>;

/** The name of one of {@link MARIO_KART_64_ACTIONS}. */
export type MarioKart64Action = keyof typeof MARIO_KART_64_ACTIONS;

/**
 * Start states the integration declares (built from their boot recipes on first use, or with
 * `npx retro states build MarioKart-N64`): 1P Time Trial with Mario, race started, kart behind the line.
 */
export const MARIO_KART_64_STATES = {
  LuigiRaceway: 'TimeTrial.LuigiRaceway',
  MooMooFarm: 'TimeTrial.MooMooFarm',
  KoopaTroopaBeach: 'TimeTrial.KoopaTroopaBeach',
} as const;

/**
 * Scenarios of the integration: `json` is the native JSON rules (fastest); `lua` and `ts` give the same reward
 * plus the stuck and reversing-for-long early stops JSON rules cannot keep.
 */
export const MARIO_KART_64_SCENARIOS = {
  json: 'scenario',
  lua: 'scenario-lua',
  ts: 'scenario-ts',
} as const;

/**
 * The `make()` options recommended for Mario Kart 64, with `overrides` applied last:
 *
 * - `state`: Time Trial on Luigi Raceway (TorchKart's and gym-mupen64plus's first course);
 * - `scenario`: the JSON-rule scenario;
 * - `useRestrictedActions`: `Actions.ALL`, the button space a Discretizer over {@link MARIO_KART_64_ACTIONS} needs;
 * - `obsType`: images;
 * - `frameskip`: 4, TorchKart's frame skip. The scenario is evaluated after every frame and summed over the step.
 *
 * Episodes end at the finish or when the game raises its wrong-way flag (the Lua and TS scenarios also end a
 * stuck episode); add a time limit wrapper so an agent that circles without ever reversing is cut off too.
 */
export function marioKart64Options(overrides: MakeOptions = {}): MakeOptions {
  return {
    state: MARIO_KART_64_STATES.LuigiRaceway,
    scenario: MARIO_KART_64_SCENARIOS.json,
    useRestrictedActions: Actions.ALL,
    obsType: Observations.IMAGE,
    frameskip: 4,
    ...overrides,
  };
}

const word = new DataView(new ArrayBuffer(4));

/**
 * The float a `*_f32` variable holds. data.json has no float type, so the game's single-precision floats (speed,
 * position, track offset) are read as their 32 raw bits (`>i4`); this turns them back: `f32FromBits(info.speed_f32)`.
 */
export function f32FromBits(bits: number): number {
  word.setUint32(0, bits >>> 0);
  return word.getFloat32(0);
}

/**
 * The raw bits of a single-precision float as a `>i4` variable reads them: the `reference` of a rule on a `*_f32`
 * variable (`f32Bits(40)` is 1109393408).
 */
export function f32Bits(value: number): number {
  word.setFloat32(0, value);
  return word.getInt32(0);
}
