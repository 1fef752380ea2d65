import { ScriptError } from '../errors.ts';
import type { TsScenario, TsScenarioFunction } from './scenario-plan.ts';
import type { Session } from './session.ts';

/** Where an episode stands, for a scenario's TypeScript functions: their state and the frame counter. */
export interface TsEpisode {
  state: Record<string, unknown>;
  frame: number;
}

export interface FramesResult {
  rewards: number[];
  terminated: boolean;
  info: Record<string, number>;
}

/**
 * The frame loop of a step whose reward or done is a TypeScript function: the native loop's semantics (evaluate
 * after every frame, sum rewards, stop at the frame that ends the episode), driven from JS. The session decides
 * what each frame's picture is for, so both loops show and pool the same frames.
 */
export function stepTsScenario(session: Session, ts: TsScenario, episode: TsEpisode, players: number, frames: number, maxPool: boolean): FramesResult {
  const rewards = new Array<number>(players).fill(0);
  let terminated = false;
  let info: Record<string, number> = {};
  for (let i = 0; i < frames; i++) {
    session.stepFrame(i, frames, maxPool);
    episode.frame++;
    info = session.info();
    const scenario = { frame: episode.frame, timestep: Math.floor(episode.frame / 4) };
    terminated = ts.done ? Boolean(callTs(ts.done, info, scenario, episode)) : session.done;
    for (let p = 0; p < players; p++) {
      const fn = ts.rewards[p];
      rewards[p] += fn ? Number(callTs(fn, info, scenario, episode)) : session.rewards[p];
    }
    if (terminated && i + 1 < frames) {
      session.showLastFrame();
      break;
    }
  }
  return { rewards, terminated, info };
}

/** Calls the script module's `reset`, if it exports one, at the start of an episode. */
export function resetTsScenario(ts: TsScenario, episode: TsEpisode, info: Record<string, number>): void {
  if (ts.reset) callTs(ts.reset, info, { frame: 0, timestep: 0 }, episode);
}

function callTs(fn: TsScenarioFunction, info: Record<string, number>, scenario: { frame: number; timestep: number }, episode: TsEpisode): number | boolean {
  try {
    return fn(info, scenario, episode.state);
  } catch (e) {
    throw new ScriptError('SCRIPT_ERROR', `TypeScript scenario function ${fn.name}() failed: ${(e as Error).message}`, {}, { cause: e });
  }
}
