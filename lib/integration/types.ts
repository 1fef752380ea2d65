/**
 * Shapes of the integration files once they have passed their JSON Schemas (`data/*.schema.json`). Field names
 * are stable-retro's, so they are snake_case where stable-retro's are.
 */

/** One RAM variable of `data.json`. */
export interface VariableSpec {
  /** Absolute bus address in the system's numbering. */
  address: number;
  /** Type string: sigil + kind + width, e.g. `|u1`, `<u2`, `>d4`. */
  type: string;
  /** Mask applied to the raw value before decoding (negative: 64-bit two's complement). */
  mask?: number;
  [extra: string]: unknown;
}

/** `data.json`. */
export interface GameData {
  info: Record<string, VariableSpec>;
  [extra: string]: unknown;
}

export type Measurement = 'delta' | 'absolute';

export type ComparisonOp =
  | 'equal'
  | 'negative-equal'
  | 'not-equal'
  | 'less-than'
  | 'greater-than'
  | 'less-or-equal'
  | 'greater-or-equal'
  | 'nonzero'
  | 'zero'
  | 'positive'
  | 'negative'
  | 'sign';

/** A reward term of a scenario. */
export interface RewardVariable {
  /** Default `delta`. */
  measurement?: Measurement;
  op?: ComparisonOp;
  reference?: number;
  reward?: number;
  penalty?: number;
}

export interface RewardSpec {
  variables?: Record<string, RewardVariable>;
  time?: RewardVariable;
  /** `lua:<fn>`, `ts:<fn>` or a bare Lua function name. */
  script?: string;
}

/** A done condition of a scenario. */
export interface DoneVariable {
  /** Default `absolute`. */
  measurement?: Measurement;
  op?: ComparisonOp;
  reference?: number;
}

export interface DoneNode {
  variables?: Record<string, DoneVariable>;
  nodes?: Record<string, DoneNode>;
  /** Default `any`. */
  condition?: 'any' | 'all';
  script?: string;
}

/** `scenario.json` and every other scenario file of an integration. */
export interface Scenario {
  reward?: RewardSpec;
  rewards?: RewardSpec[];
  done?: DoneNode;
  /** Groups of mutually exclusive button combos. */
  actions?: string[][][];
  /** `[x, y, width, height]`; 0 width/height means up to the frame's edge. */
  crop?: [number, number, number, number];
  crops?: [number, number, number, number][];
  scripts?: string[];
}

/** One step of a boot recipe: hold `buttons` (and on a pad with a stick, `stick`) for `frames` frames. */
export interface RecipeStep {
  frames: number;
  buttons?: string[];
  /** Player 1's first stick at (x, y), each in [-1, 1], right and up positive; centred when left out. */
  stick?: [number, number];
}

export interface StateCheck {
  op: ComparisonOp;
  reference?: number;
}

export interface StateInfo {
  recipe?: RecipeStep[];
  check?: Record<string, StateCheck>;
  [extra: string]: unknown;
}

/** `metadata.json`. Unknown keys (stable-retro's `tags`, ...) are kept. */
export interface Metadata {
  default_state?: string;
  default_player_state?: string[];
  whitelist?: Record<string, string[] | boolean>;
  states?: Record<string, StateInfo>;
  [extra: string]: unknown;
}

/** A loaded, validated integration folder. */
export interface Integration {
  /** Folder name, `<Game>-<System>`. */
  name: string;
  /** System descriptor name, e.g. `nes`. */
  system: string;
  /** Absolute folder path. */
  dir: string;
  data: GameData;
  /** Scenarios by name (file name without `.json`); the default one is `scenario`. */
  scenarios: Record<string, Scenario>;
  /** `{}` when the folder has no metadata.json. */
  metadata: Metadata;
  /** Accepted ROM SHA-1s, lowercase hex. */
  romShas: string[];
  /** Every `*.state` file's name without extension, hidden (`_`) ones included, sorted. */
  states: string[];
}
