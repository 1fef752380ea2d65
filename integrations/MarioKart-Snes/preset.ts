/**
 * Ready-made settings for training on Super Mario Kart (`integrations/MarioKart-Snes`), following the public
 * Super Mario Kart PPO guide: four driving actions, a Time Trial start state and the shaped reward of the
 * integration's `scenario.json`.
 *
 * ```ts
 * const env = make(MARIO_KART_GAME, marioKartOptions({ state: MARIO_KART_STATES.DonutPlains1 }));
 * // wrap env in a Discretizer built from MARIO_KART_ACTIONS to get Discrete(4)
 * ```
 *
 * The ROM is the user's own dump: `npx retro import <dir>` first (see the integration's README).
 */

import { Actions } from '../../lib/env/action-codec.ts';
import { Observations, type MakeOptions } from '../../lib/env/retro-env.ts';

/** The integration's name, as `make()` takes it. */
export const MARIO_KART_GAME = 'MarioKart-Snes';

/**
 * The PPO guide's four driving actions as a Discretizer combo map: each entry is one discrete action, the SNES
 * buttons it holds. B accelerates throughout, so every action drives forward; LEFT/RIGHT steer; L hops (and
 * power-slides when held into a turn). Items (A) and the brake (Y) are not used, as in the guide.
 *
 * Key order is the action numbering: 0 accelerate, 1 left, 2 right, 3 hop.
 */
export const MARIO_KART_ACTIONS = {
  accelerate: ['B'],
  left: ['B', 'LEFT'],
  right: ['B', 'RIGHT'],
  hop: ['B', 'L'],
} as const satisfies Record<string, readonly string[]>;

/** The name of one of {@link MARIO_KART_ACTIONS}. */
export type MarioKartAction = keyof typeof MARIO_KART_ACTIONS;

/**
 * Start states the integration declares (built from their boot recipes on first use, or with
 * `npx retro states build MarioKart-Snes`): 1P Time Trial with Mario, on the grid.
 */
export const MARIO_KART_STATES = {
  MarioCircuit1: 'TimeTrial.MarioCircuit1',
  DonutPlains1: 'TimeTrial.DonutPlains1',
  GhostValley1: 'TimeTrial.GhostValley1',
} as const;

/** Scenarios of the integration; all three give the same reward and done, computed by JSON rules, Lua or TS. */
export const MARIO_KART_SCENARIOS = {
  json: 'scenario',
  lua: 'scenario-lua',
  ts: 'scenario-ts',
} as const;

/**
 * The `make()` options recommended for Super Mario Kart, with `overrides` applied last:
 *
 * - `state`: Time Trial on Mario Circuit 1 (the guide's start);
 * - `scenario`: the JSON-rule scenario (evaluated natively, the fastest of the three);
 * - `useRestrictedActions`: `Actions.FILTERED`, the MultiBinary button space a Discretizer over
 *   {@link MARIO_KART_ACTIONS} maps into;
 * - `obsType`: images (the guide trains a CNN on frames; grayscale, resize, frame stacking and max-pooling over the
 *   last two frames are wrapper concerns);
 * - `frameskip`: 4, the guide's frame skip. The scenario's per-step terms (time, off-road, reverse) are then per
 *   4 frames.
 *
 * Episodes end at the finish or when the game raises its wrong-way flag; add a time limit wrapper (the guide cut
 * episodes at 1000 steps) so an agent that stalls without turning around is cut off too.
 */
export function marioKartOptions(overrides: MakeOptions = {}): MakeOptions {
  return {
    state: MARIO_KART_STATES.MarioCircuit1,
    scenario: MARIO_KART_SCENARIOS.json,
    useRestrictedActions: Actions.FILTERED,
    obsType: Observations.IMAGE,
    frameskip: 4,
    ...overrides,
  };
}
