import { IntegrationError } from '../errors.ts';
import { Discrete, MAX_DISCRETE_N } from '../spaces/discrete.ts';
import { MultiBinary } from '../spaces/multi-binary.ts';
import { MultiDiscrete } from '../spaces/multi-discrete.ts';
import { Actions, decodeDiscrete, decodeMultiBinary, decodeMultiDiscrete, filterMask, type ComboGroup } from './action-codec.ts';
import { checkAction, stickSpace, type Action, type ButtonAction, type ButtonSpace, type PadInput, type StickAction, type StickSpace } from './pad-action.ts';

export type { Action, ButtonAction, PadInput, StickAction } from './pad-action.ts';
export type ActionSpace = ButtonSpace | StickSpace;

/**
 * An env's action space and the decoding of its actions into one button mask per player and, for pads with
 * analog sticks, the sticks' axes.
 */
export class ActionDecoder {
  readonly space: ActionSpace;
  private readonly buttonSpace: ButtonSpace;

  /** `stickAxes`: x and y of every player's sticks (players × sticks × 2), 0 for a buttons-only space. */
  constructor(
    private readonly mode: Actions,
    private readonly groups: readonly ComboGroup[],
    private readonly buttons: number,
    private readonly players: number,
    scenarioFile: string,
    readonly stickAxes = 0,
  ) {
    this.buttonSpace = makeSpace(mode, groups, buttons, players, scenarioFile);
    this.space = stickAxes > 0 ? stickSpace(this.buttonSpace, stickAxes) : this.buttonSpace;
  }

  /** The pads' input for an action; throws INVALID_ACTION for anything outside the space. */
  decode(action: Action): PadInput {
    checkAction(this.space, action);
    if (this.stickAxes === 0) return { masks: this.buttonMasks(action as ButtonAction), sticks: [] };
    const { buttons, stick } = action as StickAction;
    return { masks: this.buttonMasks(buttons), sticks: Array.from(stick) };
  }

  /** One button mask per player; throws INVALID_ACTION for anything outside the space. */
  masks(action: Action): number[] {
    return this.decode(action).masks;
  }

  private buttonMasks(action: ButtonAction): number[] {
    switch (this.mode) {
      case Actions.DISCRETE:
        return decodeDiscrete(action as number, this.groups, this.players);
      case Actions.MULTI_DISCRETE:
        return decodeMultiDiscrete(action as ArrayLike<number>, this.groups, this.players);
      case Actions.FILTERED:
        return decodeMultiBinary(action as ArrayLike<number>, this.buttons, this.players).map((m) => filterMask(m, this.groups));
      default:
        return decodeMultiBinary(action as ArrayLike<number>, this.buttons, this.players);
    }
  }
}

function makeSpace(mode: Actions, groups: readonly ComboGroup[], buttons: number, players: number, scenarioFile: string): ButtonSpace {
  switch (mode) {
    case Actions.DISCRETE: {
      const n = groups.reduce((product, g) => product * g.combos.length, 1) ** players;
      if (n > MAX_DISCRETE_N) {
        throw new IntegrationError(
          'SCENARIO_INVALID',
          `${scenarioFile}#/actions: the action groups make ${n.toPrecision(3)} discrete actions for ${players} player(s), more than the ${MAX_DISCRETE_N} a Discrete space holds: use Actions.MULTI_DISCRETE or fewer combos`,
          { file: scenarioFile, field: '/actions' },
        );
      }
      return new Discrete(n);
    }
    case Actions.MULTI_DISCRETE:
      return new MultiDiscrete(Array.from({ length: players }, () => groups.map((g) => g.combos.length)).flat());
    default:
      return new MultiBinary(buttons * players);
  }
}
