import { ArgumentError, IntegrationError } from '../errors.ts';
import { Discrete, MAX_DISCRETE_N } from '../spaces/discrete.ts';
import { MultiBinary } from '../spaces/multi-binary.ts';
import { MultiDiscrete } from '../spaces/multi-discrete.ts';
import { Actions, decodeDiscrete, decodeMultiBinary, decodeMultiDiscrete, filterMask, type ComboGroup } from './action-codec.ts';

export type Action = number | ArrayLike<number>;
export type ActionSpace = Discrete | MultiBinary | MultiDiscrete;

/** An env's action space and the decoding of its actions into one button mask per player. */
export class ActionDecoder {
  readonly space: ActionSpace;

  constructor(
    private readonly mode: Actions,
    private readonly groups: readonly ComboGroup[],
    private readonly buttons: number,
    private readonly players: number,
    scenarioFile: string,
  ) {
    this.space = makeSpace(mode, groups, buttons, players, scenarioFile);
  }

  /** One button mask per player; throws INVALID_ACTION for anything outside the space. */
  masks(action: Action): number[] {
    if (!this.space.contains(action)) {
      throw new ArgumentError('INVALID_ACTION', `action ${describe(action)} is not in the action space ${this.space.toString()}`);
    }
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

function makeSpace(mode: Actions, groups: readonly ComboGroup[], buttons: number, players: number, scenarioFile: string): ActionSpace {
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

function describe(action: Action): string {
  if (typeof action === 'number') return String(action);
  if (action && typeof (action as ArrayLike<number>).length === 'number') return `[${Array.from(action as ArrayLike<number>).join(', ')}]`;
  return String(action);
}
