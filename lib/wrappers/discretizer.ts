import { Actions } from '../env/action-codec.ts';
import { isStickSpace } from '../env/pad-action.ts';
import { ArgumentError } from '../errors.ts';
import { Discrete } from '../spaces/discrete.ts';
import { MultiBinary } from '../spaces/multi-binary.ts';
import { ActionWrapper, type AnyEnv, type StepActionOf } from './wrapper.ts';

/** Buttons held together with player 1's first stick at (x, y), each in [-1, 1], right and up positive. */
export interface StickCombo {
  readonly buttons: readonly string[];
  /** Centred when left out. */
  readonly stick?: readonly [number, number];
}

/**
 * Named combinations: `{ name: ['BUTTON', ...] }`, or on a pad with a stick `{ name: { buttons: [...], stick: [x, y] } }`.
 * An empty list presses nothing.
 */
export type ButtonCombos = Readonly<Record<string, readonly string[] | StickCombo>>;

/**
 * A small `Discrete` action space of named button combinations, in place of every combination of the pad:
 * action `i` presses the buttons of the `i`-th combo (in the order the object lists them) on player 1's pad.
 *
 * It needs the base `RetroEnv`'s button list, and the env made with `useRestrictedActions: Actions.ALL` (a
 * `MultiBinary` action space, or for a pad with sticks `Dict({ buttons: MultiBinary, stick })`), so that every
 * combo reaches the game as written; otherwise the constructor throws. On a pad with sticks a combo may also set
 * player 1's first stick (`{ buttons: ['A'], stick: [-0.5, 0] }`); the others stay centred.
 *
 * @example
 * ```ts
 * const env = new Discretizer(make('MarioKart-Snes', { useRestrictedActions: Actions.ALL }), {
 *   accelerate: ['B'], left: ['B', 'LEFT'], right: ['B', 'RIGHT'], hop: ['B', 'L'],
 * });
 * env.actionSpace;              // Discrete(4)
 * env.getActionMeaning(1);      // 'left'
 * env.step(3);                  // presses B and L
 *
 * const kart = new Discretizer(make('MarioKart-N64', { useRestrictedActions: Actions.ALL }), {
 *   straight: { buttons: ['A'] }, left: { buttons: ['A'], stick: [-1, 0] },
 * });
 * kart.step(1);                 // { buttons: A pressed, stick: [-1, 0] }
 * ```
 */
export class Discretizer<E extends AnyEnv> extends ActionWrapper<E, number, Discrete> {
  /** Combo names, by action number. */
  readonly names: readonly string[];
  /** Buttons of each combo, by action number. */
  readonly combos: readonly (readonly string[])[];
  /** Player 1's first stick of each combo, by action number ([0, 0] where a combo leaves it out). */
  readonly sticks: readonly (readonly [number, number])[];
  private readonly actions: ComboAction[];

  constructor(env: E, combos: ButtonCombos) {
    const base = ((env as { unwrapped?: unknown }).unwrapped ?? env) as { buttons?: unknown; useRestrictedActions?: unknown };
    const buttons = base.buttons;
    if (!Array.isArray(buttons)) {
      throw new ArgumentError('INVALID_ARGUMENT', 'Discretizer needs a RetroEnv underneath: its base env has no `buttons` list', { field: 'env' });
    }
    if (base.useRestrictedActions !== Actions.ALL) {
      throw new ArgumentError(
        'INVALID_ARGUMENT',
        `Discretizer needs the env made with useRestrictedActions: Actions.ALL (MultiBinary), got '${String(base.useRestrictedActions)}': ` +
          'restricted action encodings would drop or reject some combos',
        { field: 'useRestrictedActions' },
      );
    }
    const space = env.actionSpace;
    const buttonSpace = isStickSpace(space) ? space.spaces.buttons : space;
    if (!(buttonSpace instanceof MultiBinary) || buttonSpace.n % buttons.length !== 0) {
      throw new ArgumentError('INVALID_ARGUMENT', `Discretizer needs a MultiBinary action space of ${buttons.length} buttons per player, got ${space.toString()}`, {
        field: 'actionSpace',
      });
    }
    const stickAxes = isStickSpace(space) ? space.spaces.stick.size : 0;
    const names = combos !== null && typeof combos === 'object' ? Object.keys(combos) : [];
    if (names.length === 0) throw new ArgumentError('INVALID_ARGUMENT', 'Discretizer needs at least one named combo', { field: 'combos' });
    const parsed = names.map((name) => parseCombo(name, combos[name], stickAxes > 0));
    const actions = names.map((name, i): ComboAction => {
      const { pressed, stick } = parsed[i];
      const action = new Uint8Array(buttonSpace.n);
      for (const button of pressed) {
        const bit = typeof button === 'string' ? buttons.indexOf(button) : -1;
        if (bit < 0) {
          throw new ArgumentError('INVALID_ARGUMENT', `combo "${name}" names unknown button ${JSON.stringify(button)} (buttons: ${buttons.filter(Boolean).join(', ')})`, {
            field: `combos.${name}`,
          });
        }
        action[bit] = 1;
      }
      if (stickAxes === 0) return action;
      const axes = new Float32Array(stickAxes);
      axes.set(stick);
      return { buttons: action, stick: axes };
    });
    super(env, new Discrete(names.length));
    this.names = Object.freeze(names);
    this.combos = Object.freeze(parsed.map((c) => Object.freeze([...(c.pressed as string[])])));  // checked above
    this.sticks = Object.freeze(parsed.map((c) => Object.freeze([...c.stick] as [number, number])));
    this.actions = actions;
  }

  action(action: number): StepActionOf<E> {
    if (!this.actionSpace.contains(action)) {
      throw new ArgumentError('INVALID_ACTION', `action ${String(action)} is not in the action space ${this.actionSpace.toString()}`);
    }
    // A fresh copy each time: the env or a wrapper may keep the action it was given.
    const chosen = this.actions[action];
    const copy = chosen instanceof Uint8Array ? chosen.slice() : { buttons: chosen.buttons.slice(), stick: chosen.stick.slice() };
    return copy as StepActionOf<E>;
  }

  /** The name of action `action`'s combo. */
  getActionMeaning(action: number): string {
    if (!this.actionSpace.contains(action)) {
      throw new ArgumentError('INVALID_ACTION', `action ${String(action)} is not in the action space ${this.actionSpace.toString()}`);
    }
    return this.names[action];
  }
}

/** The base env's action for a combo: button bits, with the stick axes on a pad with sticks. */
type ComboAction = Uint8Array | { buttons: Uint8Array; stick: Float32Array };

/** A combo's buttons and stick, checked; a stick on a pad without one is refused rather than dropped. */
function parseCombo(name: string, combo: unknown, hasStick: boolean): { pressed: readonly unknown[]; stick: [number, number] } {
  if (Array.isArray(combo)) return { pressed: combo, stick: [0, 0] };
  const field = `combos.${name}`;
  if (combo === null || typeof combo !== 'object' || !Array.isArray((combo as StickCombo).buttons)) {
    throw new ArgumentError('INVALID_ARGUMENT', `combo "${name}" must be a list of button names or { buttons: [...], stick?: [x, y] }`, { field });
  }
  const extra = Object.keys(combo).filter((k) => k !== 'buttons' && k !== 'stick');
  if (extra.length > 0) throw new ArgumentError('INVALID_ARGUMENT', `combo "${name}" has unknown keys ${extra.join(', ')} (buttons, stick)`, { field });
  const { buttons, stick } = combo as StickCombo;
  if (stick === undefined) return { pressed: buttons, stick: [0, 0] };
  if (!hasStick) {
    throw new ArgumentError('INVALID_ARGUMENT', `combo "${name}" sets a stick, but the env's actions have none (a system without sticks, or made with analog: false)`, { field });
  }
  if (!Array.isArray(stick) || stick.length !== 2 || !stick.every((v) => typeof v === 'number' && v >= -1 && v <= 1)) {
    throw new ArgumentError('INVALID_ARGUMENT', `combo "${name}": stick must be [x, y] with each in [-1, 1], got ${JSON.stringify(stick)}`, { field: `${field}.stick` });
  }
  return { pressed: buttons, stick: [stick[0], stick[1]] };
}
