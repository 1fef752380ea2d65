import { ArgumentError } from '../errors.ts';
import { RewardWrapper, type AnyEnv } from './wrapper.ts';

/** `'sign'` maps rewards to −1, 0 or +1; `{ min, max }` clamps them (either end may be left out). */
export type RewardClip = 'sign' | { min?: number; max?: number };

/**
 * Clips rewards, as the DQN Atari setup does: `'sign'` (default) keeps only the sign (−1, 0, +1);
 * `{ min, max }` clamps into that range, as Gymnasium's `ClipReward`. Spaces are unchanged.
 *
 * @example
 * ```ts
 * const env = new ClipReward(make('TinyKart-Nes'));                 // rewards in {-1, 0, 1}
 * const clamped = new ClipReward(make('TinyKart-Nes'), { min: -1, max: 5 });
 * ```
 */
export class ClipReward<E extends AnyEnv> extends RewardWrapper<E> {
  readonly min: number;
  readonly max: number;
  readonly sign: boolean;

  constructor(env: E, clip: RewardClip = 'sign') {
    super(env);
    if (clip === 'sign') {
      this.sign = true;
      this.min = -1;
      this.max = 1;
      return;
    }
    const min = (clip as { min?: unknown } | null)?.min ?? -Infinity;
    const max = (clip as { max?: unknown } | null)?.max ?? Infinity;
    if (clip === null || typeof clip !== 'object' || typeof min !== 'number' || typeof max !== 'number' || Number.isNaN(min) || Number.isNaN(max) || min > max) {
      throw new ArgumentError('INVALID_ARGUMENT', `ClipReward takes 'sign' or { min, max } with min ≤ max, got ${JSON.stringify(clip) ?? String(clip)}`, { field: 'clip' });
    }
    this.sign = false;
    this.min = min;
    this.max = max;
  }

  reward(reward: number): number {
    if (this.sign) return reward > 0 ? 1 : reward < 0 ? -1 : reward === 0 ? 0 : reward;
    return Math.min(this.max, Math.max(this.min, reward));
  }
}
