import { ArgumentError } from '../errors.ts';

/** How actions are presented to the agent, as stable-retro's `retro.Actions`. */
export const Actions = {
  /** MultiBinary over every button of every player: any combination. */
  ALL: 'all',
  /** MultiBinary, but each group keeps only a valid combination (e.g. never LEFT and RIGHT together). */
  FILTERED: 'filtered',
  /** Discrete over the product of the group sizes: one number per valid combination. */
  DISCRETE: 'discrete',
  /** MultiDiscrete with one entry per group and player. */
  MULTI_DISCRETE: 'multi_discrete',
} as const;
export type Actions = (typeof Actions)[keyof typeof Actions];

/** One group of mutually exclusive button combos, as bitmasks in ascending order. */
export interface ComboGroup {
  /** Union of every button the group touches. */
  mask: number;
  combos: number[];
}

/**
 * Turns the named combo groups of a core descriptor or scenario into bitmask groups, ordered as stable-retro orders
 * them (by the group's union mask, combos ascending), so discrete action numbers match stable-retro's.
 */
export function comboGroups(buttons: readonly (string | null)[], groups: readonly (readonly (readonly string[])[])[]): ComboGroup[] {
  const bit = (name: string) => {
    const i = buttons.indexOf(name);
    if (i < 0) throw new ArgumentError('INVALID_ARGUMENT', `action groups name unknown button "${name}" (buttons: ${buttons.filter(Boolean).join(', ')})`);
    return 1 << i;
  };
  const byMask = new Map<number, Set<number>>();
  for (const group of groups) {
    const combos = group.map((combo) => combo.reduce((m, name) => m | bit(name), 0));
    const mask = combos.reduce((m, c) => m | c, 0);
    const set = byMask.get(mask) ?? new Set<number>();
    for (const c of combos) set.add(c);
    byMask.set(mask, set);
  }
  return [...byMask.entries()].sort((a, b) => a[0] - b[0]).map(([mask, set]) => ({ mask, combos: [...set].sort((a, b) => a - b) }));
}

/** Keeps, within each group, the pressed buttons only if they form a valid combo (stable-retro's filterAction). */
export function filterMask(mask: number, groups: readonly ComboGroup[]): number {
  let out = 0;
  for (const g of groups) {
    const pressed = mask & g.mask;
    if (g.combos.includes(pressed)) out |= pressed;
  }
  return out;
}

/** Button names of a mask, in bit order. */
export function buttonNames(mask: number, buttons: readonly (string | null)[]): string[] {
  const names: string[] = [];
  buttons.forEach((name, i) => {
    if (name !== null && mask & (1 << i)) names.push(name);
  });
  return names;
}

/**
 * Decodes a discrete action into one button mask per player: the number is read as mixed-radix digits, one digit
 * per group (first group least significant), player after player.
 */
export function decodeDiscrete(action: number, groups: readonly ComboGroup[], players: number): number[] {
  const masks: number[] = [];
  let rest = action;
  for (let p = 0; p < players; p++) {
    let mask = 0;
    for (const g of groups) {
      mask |= g.combos[rest % g.combos.length];
      rest = Math.floor(rest / g.combos.length);
    }
    masks.push(mask);
  }
  return masks;
}

/** Decodes a MultiDiscrete action (one combo index per group, player after player) into masks per player. */
export function decodeMultiDiscrete(action: ArrayLike<number>, groups: readonly ComboGroup[], players: number): number[] {
  const masks: number[] = [];
  for (let p = 0; p < players; p++) {
    let mask = 0;
    groups.forEach((g, i) => {
      mask |= g.combos[action[p * groups.length + i]];
    });
    masks.push(mask);
  }
  return masks;
}

/** Decodes a MultiBinary action (one 0/1 per button, player after player) into masks per player. */
export function decodeMultiBinary(action: ArrayLike<number>, buttonCount: number, players: number): number[] {
  const masks: number[] = [];
  for (let p = 0; p < players; p++) {
    let mask = 0;
    for (let b = 0; b < buttonCount; b++) if (action[p * buttonCount + b]) mask |= 1 << b;
    masks.push(mask);
  }
  return masks;
}
