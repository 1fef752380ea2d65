// The reward and done of MarioKart-N64's scenarios as its README defines them, computed here independently of the
// scenario files, and the fast-check generators of the frames test/mariokart-n64.test.ts feeds them.

import fc from 'fast-check';
import { f32Bits } from '../integrations/MarioKart-N64/preset.ts';

/** 40.0 and 1.0 as the raw bits the `*_f32` variables hold: the speed bonus and road edge thresholds. */
export const FAST = f32Bits(40);
export const ROAD_EDGE = f32Bits(1);

/** The variables the scenarios read, one frame's worth. */
export interface Frame {
  progress: number;
  lap: number;
  speed: number; // speed_f32 bits
  offset: number; // track_offset_f32 bits (signed)
  wrongWay: number;
  raceState: number;
}

/** scenario.json's per-frame reward as the README defines it, from the previous frame. */
export function jsonReward(prev: Frame, f: Frame): number {
  let r = -0.025 + 0.5 * (f.progress - prev.progress);
  if (f.lap > prev.lap) r += 100;
  if (f.speed >= FAST) r += 0.05;
  if ((f.offset & 0x7fffffff) > ROAD_EDGE) r -= 0.1;
  if (f.wrongWay !== 0) r -= 0.5;
  return r;
}

/** scenario.json's done. */
export const jsonDone = (f: Frame): boolean => f.lap >= 3 || f.wrongWay !== 0;

/** A frame on the road, racing, slower than the bonus: the start of the hand-made cases. */
export const base: Frame = { progress: 100, lap: 0, speed: f32Bits(20), offset: f32Bits(0.25), wrongWay: 0, raceState: 3 };

/** Signed 32-bit float bits: finite floats of either sign, near the thresholds and far from them. */
export const floatBits = (around: number): fc.Arbitrary<number> =>
  fc.oneof(
    fc.constantFrom(around, -around, 0, around * 0.999, around * 1.001, 1e6, -1e6).map(f32Bits),
    fc.float({ noNaN: true, noDefaultInfinity: true }).map(f32Bits),
  );

/** Any frame, weighted toward values that cross the rules' thresholds. */
export const frameArb: fc.Arbitrary<Frame> = fc.record({
  progress: fc.oneof(fc.integer({ min: -30, max: 30 }), fc.integer({ min: -5000, max: 5000 })),
  lap: fc.constantFrom(-1, 0, 0, 1, 1, 2, 2, 3, 4),
  speed: floatBits(40),
  offset: floatBits(1),
  wrongWay: fc.constantFrom(0, 0, 0, 1),
  raceState: fc.constantFrom(2, 3, 3, 4),
});

/** The README's scripted scenario (scenario-lua.json, scenario-ts.json): JSON reward + stuck and long-reverse stops. */
export class ScriptedModel {
  private best: number;
  private stalled = 0;
  private reversing = 0;
  constructor(private prev: Frame) {
    this.best = prev.progress;
  }
  frame(f: Frame): { reward: number; done: boolean } {
    if (f.progress > this.best) {
      this.best = f.progress;
      this.stalled = 0;
    } else if (f.raceState === 3) {
      this.stalled++;
    }
    this.reversing = f.wrongWay !== 0 ? this.reversing + 1 : 0;
    const done = f.lap >= 3 || this.stalled >= 300 || this.reversing >= 60;
    const reward = jsonReward(this.prev, f) + (this.stalled === 300 ? -20 : 0);
    this.prev = f;
    return { reward, done };
  }
}

/** Big-endian bytes of a value for the types this integration uses. */
export function encode(type: string, value: number): number[] {
  const width = Number(type.at(-1));
  const raw = BigInt.asUintN(8 * width, BigInt(value));
  return Array.from({ length: width }, (_, i) => Number((raw >> BigInt(8 * (width - 1 - i))) & 0xffn));
}

/** A trace: runs of identical frames, long enough to reach the 60- and 300-frame stops. */
export const traceArb = fc.array(fc.tuple(frameArb, fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 40, max: 160 }))), { minLength: 1, maxLength: 8 });
