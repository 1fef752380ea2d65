import { Actions } from '../env/action-codec.ts';
import { ArgumentError } from '../errors.ts';
import { Discrete } from '../spaces/discrete.ts';
import { MultiBinary } from '../spaces/multi-binary.ts';
import { ActionWrapper, type AnyEnv, type StepActionOf } from './wrapper.ts';

/** Named button combinations: `{ name: ['BUTTON', ...] }`. An empty list presses nothing. */
export type ButtonCombos = Readonly<Record<string, readonly string[]>>;

/**
 * A small `Discrete` action space of named button combinations, in place of every combination of the pad:
 * action `i` presses the buttons of the `i`-th combo (in the order the object lists them) on player 1's pad.
 *
 * It needs the base `RetroEnv`'s button list, and the env made with `useRestrictedActions: Actions.ALL` (a
 * `MultiBinary` action space), so that every combo reaches the game as written; otherwise the constructor throws.
 *
 * @example
 * ```ts
 * const env = new Discretizer(make('MarioKart-Snes', { useRestrictedActions: Actions.ALL }), {
 *   accelerate: ['B'], left: ['B', 'LEFT'], right: ['B', 'RIGHT'], hop: ['B', 'L'],
 * });
 * env.actionSpace;              // Discrete(4)
 * env.getActionMeaning(1);      // 'left'
 * env.step(3);                  // presses B and L
 * ```
 */
export class Discretizer<E extends AnyEnv> extends ActionWrapper<E, number, Discrete> {
  /** Combo names, by action number. */
  readonly names: readonly string[];
  /** Buttons of each combo, by action number. */
  readonly combos: readonly (readonly string[])[];
  private readonly actions: Uint8Array[];

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
    if (!(space instanceof MultiBinary) || space.n % buttons.length !== 0) {
      throw new ArgumentError('INVALID_ARGUMENT', `Discretizer needs a MultiBinary action space of ${buttons.length} buttons per player, got ${space.toString()}`, {
        field: 'actionSpace',
      });
    }
    const names = combos !== null && typeof combos === 'object' ? Object.keys(combos) : [];
    if (names.length === 0) throw new ArgumentError('INVALID_ARGUMENT', 'Discretizer needs at least one named combo', { field: 'combos' });
    const actions = names.map((name) => {
      const pressed = combos[name];
      if (!Array.isArray(pressed)) {
        throw new ArgumentError('INVALID_ARGUMENT', `combo "${name}" must be a list of button names`, { field: `combos.${name}` });
      }
      const action = new Uint8Array(space.n);
      for (const button of pressed) {
        const bit = typeof button === 'string' ? buttons.indexOf(button) : -1;
        if (bit < 0) {
          throw new ArgumentError('INVALID_ARGUMENT', `combo "${name}" names unknown button ${JSON.stringify(button)} (buttons: ${buttons.filter(Boolean).join(', ')})`, {
            field: `combos.${name}`,
          });
        }
        action[bit] = 1;
      }
      return action;
    });
    super(env, new Discrete(names.length));
    this.names = Object.freeze(names);
    this.combos = Object.freeze(names.map((name) => Object.freeze([...combos[name]])));
    this.actions = actions;
  }

  action(action: number): StepActionOf<E> {
    if (!this.actionSpace.contains(action)) {
      throw new ArgumentError('INVALID_ACTION', `action ${String(action)} is not in the action space ${this.actionSpace.toString()}`);
    }
    return this.actions[action].slice() as StepActionOf<E>;
  }

  /** The name of action `action`'s combo. */
  getActionMeaning(action: number): string {
    if (!this.actionSpace.contains(action)) {
      throw new ArgumentError('INVALID_ACTION', `action ${String(action)} is not in the action space ${this.actionSpace.toString()}`);
    }
    return this.names[action];
  }
}
