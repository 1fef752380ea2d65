/**
 * Actions of pads with analog sticks: the `Dict({ buttons, stick })` space of such systems, checking an action
 * against it, and the flat numbers an action crosses a process pipe as.
 */
import { ArgumentError } from '../errors.ts';
import { Box } from '../spaces/box.ts';
import { Dict } from '../spaces/dict.ts';
import type { Discrete } from '../spaces/discrete.ts';
import type { MultiBinary } from '../spaces/multi-binary.ts';
import type { MultiDiscrete } from '../spaces/multi-discrete.ts';
import type { AnySpace } from '../spaces/space.ts';

/** An action of a buttons-only space: a Discrete number, or one entry per button / group. */
export type ButtonAction = number | ArrayLike<number>;

/**
 * An action of a pad with sticks: the buttons as the button space encodes them, and the sticks' axes as x, y per
 * player and stick (player 1's first stick first), each in [-1, 1], right and up positive.
 */
export interface StickAction {
  buttons: ButtonAction;
  stick: ArrayLike<number>;
}

export type Action = ButtonAction | StickAction;

export type ButtonSpace = Discrete | MultiBinary | MultiDiscrete;
/** The action space of a pad with sticks. */
export type StickSpace = Dict<{ buttons: ButtonSpace; stick: Box<readonly number[], 'float32'> }>;

/** What one step holds on the pads: a button mask per player and the sticks' axes (empty without sticks). */
export interface PadInput {
  masks: number[];
  /** x, y per player and stick, right and up positive, in [-1, 1]. */
  sticks: number[];
}

/** `Dict({ buttons, stick: Box(-1, 1, [axes], float32) })`. */
export function stickSpace(buttons: ButtonSpace, axes: number): StickSpace {
  return new Dict({ buttons, stick: new Box<readonly number[], 'float32'>(-1, 1, [axes], 'float32') });
}

/** Whether `space` is an action space with sticks (a `Dict` of `buttons` and `stick`). */
export function isStickSpace(space: AnySpace): space is StickSpace {
  return space instanceof Dict && space.keys.length === 2 && space.keys[0] === 'buttons' && space.keys[1] === 'stick';
}

/**
 * Throws INVALID_ACTION unless `action` is in `space`. A stick may be any array of numbers (a `Float32Array` as
 * `sample()` gives, a `Float64Array` or a plain array), so long as it has the right length and every axis is in
 * [-1, 1].
 */
export function checkAction(space: AnySpace, action: unknown): asserts action is Action {
  if (!isStickSpace(space)) {
    if (!space.contains(action)) throw invalid(`action ${describeAction(action)} is not in the action space ${space.toString()}`);
    return;
  }
  if (action === null || typeof action !== 'object' || Array.isArray(action) || ArrayBuffer.isView(action)) {
    throw invalid(`action ${describeAction(action)} must be an object { buttons, stick } of the action space ${space.toString()}`);
  }
  const keys = Object.keys(action).sort();
  if (keys.length !== 2 || keys[0] !== 'buttons' || keys[1] !== 'stick') {
    throw invalid(`action must have exactly the keys buttons and stick, got ${keys.join(', ') || 'none'}`);
  }
  const { buttons, stick } = action as { buttons: unknown; stick: unknown };
  if (!space.spaces.buttons.contains(buttons)) throw invalid(`action.buttons ${describeAction(buttons)} is not in ${space.spaces.buttons.toString()}`);
  const axes = space.spaces.stick.size;
  if (!isNumberArray(stick) || stick.length !== axes) {
    throw invalid(`action.stick must be an array of ${axes} numbers (x, y per player and stick), got ${describeAction(stick)}`);
  }
  for (let i = 0; i < axes; i++) {
    const v = stick[i];
    if (typeof v !== 'number' || !(v >= -1 && v <= 1)) throw invalid(`action.stick[${i}] must be a number in [-1, 1], got ${String(v)}`);
  }
}

/** An action as flat numbers (buttons, then stick axes), e.g. to cross a process pipe. */
export function actionToNumbers(action: Action): number[] {
  if (typeof action === 'number') return [action];
  if (isNumberArray(action)) return Array.from(action);
  const { buttons, stick } = action as StickAction;
  return [...actionToNumbers(buttons), ...Array.from(stick)];
}

/** The action of `space` that {@link actionToNumbers} flattened into `numbers`. */
export function actionFromNumbers(space: AnySpace, numbers: readonly number[]): Action {
  if (isStickSpace(space)) {
    const axes = space.spaces.stick.size;
    const buttonNumbers = numbers.slice(0, numbers.length - axes);
    return { buttons: actionFromNumbers(space.spaces.buttons, buttonNumbers) as ButtonAction, stick: numbers.slice(numbers.length - axes) };
  }
  return space.shape !== null && space.shape.length === 0 ? numbers[0] : [...numbers];
}

export function describeAction(action: unknown): string {
  if (isNumberArray(action)) return `[${Array.from(action).join(', ')}]`;
  if (action !== null && typeof action === 'object') {
    const entries = Object.entries(action as Record<string, unknown>).map(([k, v]) => `${k}: ${describeAction(v)}`);
    return `{ ${entries.join(', ')} }`;
  }
  return String(action);
}

function isNumberArray(x: unknown): x is ArrayLike<number> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

function invalid(message: string): ArgumentError {
  return new ArgumentError('INVALID_ACTION', message);
}
