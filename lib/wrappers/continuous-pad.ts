import { Actions } from '../env/action-codec.ts';
import { isStickSpace } from '../env/pad-action.ts';
import { ArgumentError } from '../errors.ts';
import { Box } from '../spaces/box.ts';
import { MultiBinary } from '../spaces/multi-binary.ts';
import { ActionWrapper, type AnyEnv, type StepActionOf } from './wrapper.ts';

/**
 * One flat continuous action for a pad with a stick, for policies with a single Gaussian head (PPO, SAC, TD3):
 * `Box(-1, 1, [2 + buttons.length], float32)`, player 1's first stick x and y (right and up positive) followed by
 * one entry per listed button, pressed where the entry is above 0. Other buttons stay released, other sticks centred.
 *
 * Like {@link Discretizer} it needs the `RetroEnv` made with `useRestrictedActions: Actions.ALL` on a system whose
 * pad has a stick (and `analog` left on).
 *
 * @example
 * ```ts
 * const env = new ContinuousPad(make('MarioKart-N64', { useRestrictedActions: Actions.ALL }), ['A', 'B', 'Z']);
 * env.actionSpace;                          // Box(-1, 1, [5], float32)
 * env.step(Float32Array.of(-0.4, 0, 1, -1, -1));   // steer a little left, A held
 * ```
 */
export class ContinuousPad<E extends AnyEnv> extends ActionWrapper<E, Float32Array, Box<readonly number[], 'float32'>> {
  /** The buttons after the two stick axes, in action order. */
  readonly buttons: readonly string[];
  private readonly bits: readonly number[];
  private readonly buttonCount: number;
  private readonly stickAxes: number;

  constructor(env: E, buttons: readonly string[]) {
    const base = ((env as { unwrapped?: unknown }).unwrapped ?? env) as { buttons?: unknown; useRestrictedActions?: unknown };
    const names = base.buttons;
    if (!Array.isArray(names)) {
      throw new ArgumentError('INVALID_ARGUMENT', 'ContinuousPad needs a RetroEnv underneath: its base env has no `buttons` list', { field: 'env' });
    }
    const space = env.actionSpace;
    if (!isStickSpace(space) || !(space.spaces.buttons instanceof MultiBinary) || base.useRestrictedActions !== Actions.ALL) {
      throw new ArgumentError(
        'INVALID_ARGUMENT',
        `ContinuousPad needs an env whose pad has a stick, made with useRestrictedActions: Actions.ALL (Dict of MultiBinary buttons and a stick), got ${space.toString()}`,
        { field: 'actionSpace' },
      );
    }
    if (!Array.isArray(buttons) || new Set(buttons).size !== buttons.length) {
      throw new ArgumentError('INVALID_ARGUMENT', 'ContinuousPad needs a list of distinct button names', { field: 'buttons' });
    }
    const bits = buttons.map((name) => {
      const bit = typeof name === 'string' ? names.indexOf(name) : -1;
      if (bit < 0) throw new ArgumentError('INVALID_ARGUMENT', `unknown button ${JSON.stringify(name)} (buttons: ${names.filter(Boolean).join(', ')})`, { field: 'buttons' });
      return bit;
    });
    super(env, new Box<readonly number[], 'float32'>(-1, 1, [2 + buttons.length], 'float32'));
    this.buttons = Object.freeze([...buttons]);
    this.bits = bits;
    this.buttonCount = space.spaces.buttons.n;
    this.stickAxes = space.spaces.stick.size;
  }

  action(action: Float32Array): StepActionOf<E> {
    if (!this.actionSpace.contains(action)) {
      const shown = ArrayBuffer.isView(action) || Array.isArray(action) ? `[${Array.from(action as ArrayLike<number>).join(', ')}]` : String(action);
      throw new ArgumentError('INVALID_ACTION', `action ${shown} is not in the action space ${this.actionSpace.toString()} (a Float32Array)`);
    }
    const buttons = new Uint8Array(this.buttonCount);
    this.bits.forEach((bit, i) => (buttons[bit] = action[2 + i] > 0 ? 1 : 0));
    const stick = new Float32Array(this.stickAxes);
    stick[0] = action[0];
    stick[1] = action[1];
    return { buttons, stick } as unknown as StepActionOf<E>;
  }
}
