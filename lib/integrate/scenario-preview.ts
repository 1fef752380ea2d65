/**
 * Live preview of draft reward and done rules: the values they give on the variables an env reports in `info`,
 * computed by the native evaluator a session runs every step (after the same planning make() does), so the
 * preview cannot disagree with training.
 */

import { ArgumentError } from '../errors.ts';
import { planScenario } from '../env/scenario-plan.ts';
import { validateDocument } from '../integration/schemas.ts';
import type { GameData, Scenario } from '../integration/types.ts';
import { callNative, nativeAddon, type NativeScenarioConfig } from '../native.ts';

export interface PreviewResult {
  /** Player 1's reward. */
  reward: number;
  /** Every player's reward. */
  rewards: number[];
  done: boolean;
}

const DRAFT_FILE = '<draft scenario>';

/**
 * ```ts
 * const preview = new ScenarioPreview(env.integration.data, { reward: { variables: { x: { reward: 1 } } } });
 * preview.reset(env.reset().info);
 * const { reward, done } = preview.update(env.step(action).info);
 * ```
 * A step's reward is measured from the previous `update` (or `reset`): deltas span whatever ran in between.
 */
export class ScenarioPreview {
  readonly players: number;
  private readonly config: NativeScenarioConfig;
  private readonly names: string[];
  private readonly values: Float64Array;
  private previous: Float64Array | undefined;
  private readonly rewards: Float64Array;

  /**
   * @throws IntegrationError `SCHEMA_INVALID` / `SCENARIO_INVALID` for a draft that would not validate or names a
   *   variable `data` lacks; ArgumentError for a draft with scripts (previewed by make() only).
   */
  constructor(data: GameData, scenario: Scenario, options: { players?: number } = {}) {
    const draft = validateDocument('scenario', scenario, DRAFT_FILE);
    const scripted = draft.scripts?.length || draft.done?.script || draft.reward?.script || draft.rewards?.some((r) => r.script);
    if (scripted) throw new ArgumentError('INVALID_ARGUMENT', 'the live preview evaluates JSON reward and done rules; a scenario with scripts is previewed by make()', { field: 'scripts' });
    this.players = options.players ?? 1;
    this.config = planScenario(data, draft, DRAFT_FILE, '.', this.players).native;
    this.names = this.config.variables.map((v) => v.name);
    this.values = new Float64Array(this.names.length);
    this.rewards = new Float64Array(this.players);
    // Parses the rules once now, so a draft naming an unknown variable fails here rather than at the first update.
    this.evaluate(this.values, this.values);
  }

  /** Starts measuring deltas from these values (an env's `reset().info`). */
  reset(info: Readonly<Record<string, number>>): void {
    this.previous = this.read(info).slice();
  }

  /** The rules on `info`, deltas measured from the last call (or reset); the first call measures no change. */
  update(info: Readonly<Record<string, number>>): PreviewResult {
    const now = this.read(info);
    const result = this.evaluate(now, this.previous ?? now);
    this.previous = now.slice();
    return result;
  }

  private read(info: Readonly<Record<string, number>>): Float64Array {
    const missing = this.names.filter((name) => typeof info?.[name] !== 'number');
    if (missing.length > 0) throw new ArgumentError('INVALID_ARGUMENT', `info lacks the variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, { field: missing[0] });
    this.names.forEach((name, i) => (this.values[i] = info[name]));
    return this.values;
  }

  private evaluate(values: Float64Array, previous: Float64Array): PreviewResult {
    const done = callNative(() => nativeAddon().evaluateScenarioRules(this.config, values, previous, this.rewards));
    const rewards = Array.from(this.rewards);
    return { reward: rewards[0] ?? 0, rewards, done };
  }
}
