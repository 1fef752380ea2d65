/**
 * The game behind `retro play`: one env stepped on the server at the core's frame rate, the buttons the page
 * holds, pause / frame advance / speed, resets to any start state, saving states, and recording. It knows nothing
 * of HTTP: the server hands it each page's connection ({@link PlaySession.attach}).
 */

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Actions } from '../env/action-codec.ts';
import { make, State, type RetroEnv } from '../env/retro-env.ts';
import { ArgumentError, RetroError } from '../errors.ts';
import type { LookupOptions } from '../integration/paths.ts';
import { isSafeStateName, STATE_NAME_RULE } from '../integration/safe-names.ts';
import { stateNames } from '../integration/state-names.ts';
import { writeStateFile } from '../state-file.ts';
import { FrameEncoder } from './frame-message.ts';
import { PlayRecorder } from './play-recorder.ts';
import type { WebSocketConnection } from './websocket.ts';

export interface PlaySessionOptions extends LookupOptions {
  game: string;
  /** Start state (the integration's default when not given). */
  state?: string;
  /** Scenario name or .json path, for reward and done. */
  scenario?: string;
  /** Record every episode into this `.bk2` (later episodes numbered, see PlayRecorder). */
  record?: string;
}

/** Speeds the page offers; 0 means as fast as the emulator goes. */
export const SPEEDS = [0.25, 0.5, 1, 2, 4, 0] as const;
/** A client that has this much of our output unread gets no new frames until it catches up. */
const MAX_BUFFERED_BYTES = 2 * 1024 * 1024;
/** Behind by more frames than this (a stall, a debugger), the clock restarts instead of racing to catch up. */
const MAX_CATCH_UP_FRAMES = 8;
/** Unthrottled: emulate this long between frames sent. */
const UNTHROTTLED_SLICE_MS = 15;
/** How often a recording is written while playing. */
const RECORD_SAVE_MS = 5000;

/** What the page sends. */
type Command =
  | { type: 'input'; mask: number; stick?: unknown }
  | { type: 'pause'; paused: boolean }
  | { type: 'step' }
  | { type: 'speed'; speed: number }
  | { type: 'reset'; state: string }
  | { type: 'save'; name: string; overwrite?: boolean };

export class PlaySession {
  readonly env: RetroEnv;
  readonly fps: number;
  /** Frames emulated since the last reset. */
  frame = 0;
  paused = false;
  speed = 1;
  private mask = 0;
  private stateName: string;
  private lastReward = 0;
  private episodeReturn = 0;
  private done = false;
  private info: Record<string, number> = {};
  private readonly action: Uint8Array;
  /** Player 1's sticks, x then y, up positive; empty on a pad without one. */
  private readonly stick: Float32Array;
  private readonly usableMask: number;
  private readonly clients = new Set<WebSocketConnection>();
  private readonly encoder = new FrameEncoder();
  private readonly recorder: PlayRecorder | undefined;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private clockStart = 0;
  private clockFrames = 0;
  private lastRecordSave = 0;
  private closed = false;
  /** Called after every emulated frame and every reset with the variables then (the integration builder's hooks). */
  onStep: ((info: Record<string, number>) => void) | undefined;
  onReset: ((info: Record<string, number>) => void) | undefined;

  constructor(private readonly options: PlaySessionOptions) {
    const { game, state, scenario, record, ...lookup } = options;
    this.env = make(game, { ...lookup, state: state ?? State.DEFAULT, scenario, useRestrictedActions: Actions.ALL });
    this.fps = this.env.emulator.avInfo.fps || 60;
    this.stateName = this.env.stateName ?? State.NONE;
    this.action = new Uint8Array(this.env.buttons.length);
    this.stick = new Float32Array(this.env.analog ? 2 * this.env.emulator.sticks : 0);
    this.usableMask = this.env.buttons.reduce((m, b, bit) => (b ? m | (1 << bit) : m), 0);
    try {
      this.recorder = record === undefined ? undefined : new PlayRecorder(record, { game, system: this.env.integration.system });
      this.restart(this.stateName);
      // An empty movie now: a path that cannot be written fails here, not minutes into play.
      this.recorder?.save();
    } catch (e) {
      this.env.close();
      throw e;
    }
  }

  /** The start states the page can reset to. */
  get states(): string[] {
    const dir = this.env.integration.dir;
    return stateNames(dir, readdirSync(dir));
  }

  /** The integration's variables after the last frame. */
  get variables(): Record<string, number> {
    return this.info;
  }

  /** Movies written so far by `--record`. */
  get movies(): readonly string[] {
    return this.recorder?.written ?? [];
  }

  /** Starts the clock. The game runs only while a page is connected: nobody misses its start, or records idle frames. */
  private start(): void {
    this.restartClock();
    this.schedule(0);
  }

  private get running(): boolean {
    return !this.closed && !this.paused && this.clients.size > 0;
  }

  /** Serves a page: sends it the game's description and a first frame, then takes its commands. */
  attach(client: WebSocketConnection): void {
    this.clients.add(client);
    client.on('close', () => {
      this.clients.delete(client);
      if (this.clients.size === 0) {
        // Nobody holds the buttons or the stick any more.
        this.setMask(0);
        this.stick.fill(0);
      }
    });
    client.on('message', (data, isText) => {
      if (!isText) return this.reply(client, { type: 'error', message: 'commands are JSON text' });
      try {
        this.command(JSON.parse(data.toString('utf8')) as Command, client);
      } catch (e) {
        if (!(e instanceof RetroError) && !(e instanceof SyntaxError)) throw e;
        this.reply(client, { type: 'error', message: e.message });
      }
    });
    this.reply(client, { type: 'hello', ...this.describe() });
    this.sendFrame(client);
    if (this.clients.size === 1) this.start();
  }

  /** Stops the clock, writes the recording, closes the pages' connections and the env. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimer();
    for (const client of this.clients) client.close(1001);
    try {
      this.recorder?.finish();
    } finally {
      this.env.close();
    }
  }

  private describe(): Record<string, unknown> {
    const { avInfo } = this.env.emulator;
    return {
      game: this.env.game,
      system: this.env.integration.system,
      buttons: this.env.buttons,
      sticks: this.stick.length / 2,
      states: this.states,
      state: this.stateName,
      scenario: this.options.scenario ?? 'scenario',
      fps: this.fps,
      width: avInfo.baseWidth,
      height: avInfo.baseHeight,
      aspectRatio: avInfo.aspectRatio,
      speeds: SPEEDS,
      recording: this.recorder?.currentPath ?? null,
      ...this.status(),
    };
  }

  private status(): Record<string, unknown> {
    return { paused: this.paused, speed: this.speed, state: this.stateName };
  }

  private command(command: Command, client: WebSocketConnection): void {
    switch (command?.type) {
      case 'input':
        if (command.stick !== undefined) this.setStick(command.stick);
        return this.setMask(command.mask);
      case 'pause':
        this.paused = Boolean(command.paused);
        if (this.paused) this.clearTimer();
        else this.start();
        return this.broadcast({ type: 'status', ...this.status() });
      case 'step':
        if (!this.paused) return;
        this.stepFrame();
        return this.broadcastFrame();
      case 'speed':
        if (!SPEEDS.includes(command.speed as (typeof SPEEDS)[number])) {
          throw new ArgumentError('INVALID_ARGUMENT', `speed must be one of ${SPEEDS.join(', ')} (0: unthrottled), got ${String(command.speed)}`);
        }
        this.speed = command.speed;
        this.restartClock();
        return this.broadcast({ type: 'status', ...this.status() });
      case 'reset':
        this.restart(String(command.state));
        this.restartClock();
        this.broadcast({ type: 'status', ...this.status() });
        return this.broadcastFrame();
      case 'save':
        return this.saveState(String(command.name), command.overwrite === true, client);
      default:
        throw new ArgumentError('INVALID_ARGUMENT', `unknown command ${JSON.stringify((command as { type?: unknown })?.type)}`);
    }
  }

  private setMask(mask: unknown): void {
    if (typeof mask !== 'number' || !Number.isInteger(mask) || mask < 0 || (mask & ~this.usableMask) !== 0) {
      throw new ArgumentError('INVALID_ACTION', `button mask must use only the bits of ${this.env.buttons.filter(Boolean).join(', ')}, got ${String(mask)}`);
    }
    this.mask = mask;
    for (let bit = 0; bit < this.action.length; bit++) this.action[bit] = (this.mask >>> bit) & 1;
  }

  private setStick(stick: unknown): void {
    if (this.stick.length === 0) throw new ArgumentError('INVALID_ACTION', `${this.env.integration.system} pads have no analog stick`);
    const values = Array.isArray(stick) ? stick : [];
    if (values.length !== this.stick.length || !values.every((v) => typeof v === 'number' && v >= -1 && v <= 1)) {
      throw new ArgumentError('INVALID_ACTION', `stick must be ${this.stick.length} numbers in [-1, 1] (x, y; up positive), got ${JSON.stringify(stick)}`);
    }
    this.stick.set(values as number[]);
  }

  /** Resets to start state `name` (a listed state, or State.NONE for power-on); a recording starts a new movie. */
  private restart(name: string): void {
    const startable = new Set([...this.states, State.NONE, this.env.stateName ?? State.NONE]);
    if (!startable.has(name)) {
      throw new ArgumentError('INVALID_ARGUMENT', `${this.env.game} has no start state "${name}" (it has: ${this.states.join(', ') || 'none'})`);
    }
    const { info } = this.env.reset({ options: { state: name } });
    this.stateName = name;
    this.info = info;
    this.frame = 0;
    this.lastReward = 0;
    this.episodeReturn = 0;
    this.done = false;
    this.onReset?.(info);
    // The movie starts after the reset's frame, from the emulator's state then: replaying its frames from there
    // gives the same RAM, whatever start state (or saved state) the reset loaded.
    this.recorder?.begin(this.env.saveState());
  }

  private saveState(name: string, overwrite: boolean, client: WebSocketConnection): void {
    if (!isSafeStateName(name) || name.endsWith('.state')) {
      throw new ArgumentError('INVALID_ARGUMENT', `state name "${name}" refused: ${STATE_NAME_RULE}, and leave out ".state"`, { field: 'name' });
    }
    const path = join(this.env.integration.dir, `${name}.state`);
    if (existsSync(path) && !overwrite) return this.reply(client, { type: 'exists', name });
    writeStateFile(path, this.env.saveState());
    this.broadcast({ type: 'saved', name, states: this.states });
  }

  private stepFrame(): void {
    const result = this.env.step(this.stick.length > 0 ? { buttons: this.action, stick: this.stick } : this.action);
    this.frame++;
    this.recorder?.add(this.mask);
    this.info = result.info;
    this.lastReward = result.reward;
    if (!this.done) this.episodeReturn += result.reward;
    if (result.terminated) this.done = true;
    this.onStep?.(result.info);
  }

  private restartClock(): void {
    this.clockStart = performance.now();
    this.clockFrames = 0;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.clearTimer();
    this.timer = delayMs <= 0 ? setImmediate(() => this.tick()) : setTimeout(() => this.tick(), delayMs);
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer as NodeJS.Timeout);
    clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = undefined;
  }

  /**
   * Runs the frames that are due. Up to 1× every frame is sent (the page should see each one); faster, only the
   * last of each tick, as a display shows no more than its refresh rate anyway.
   */
  private tick(): void {
    this.timer = undefined;
    if (!this.running) return;
    try {
      if (this.speed === 0) {
        const until = performance.now() + UNTHROTTLED_SLICE_MS;
        do this.stepFrame();
        while (performance.now() < until);
        this.broadcastFrame();
        this.saveRecordingNowAndThen();
        return this.schedule(0);
      }
      const frameMs = 1000 / (this.fps * this.speed);
      let due = Math.floor((performance.now() - this.clockStart) / frameMs) - this.clockFrames;
      if (due > MAX_CATCH_UP_FRAMES) {
        this.restartClock();
        due = 1;
      }
      for (let i = 0; i < due; i++) {
        this.stepFrame();
        this.clockFrames++;
        if (this.speed <= 1) this.broadcastFrame();
      }
      if (this.speed > 1 && due > 0) this.broadcastFrame();
      this.saveRecordingNowAndThen();
      const next = this.clockStart + (this.clockFrames + 1) * frameMs;
      this.schedule(next - performance.now());
    } catch (e) {
      // A scenario script that fails stops the game, not the server: the page says why.
      if (!(e instanceof RetroError)) throw e;
      this.paused = true;
      this.broadcast({ type: 'error', message: e.message });
      this.broadcast({ type: 'status', ...this.status() });
    }
  }

  private saveRecordingNowAndThen(): void {
    if (!this.recorder) return;
    const now = performance.now();
    if (now - this.lastRecordSave < RECORD_SAVE_MS) return;
    this.lastRecordSave = now;
    this.recorder.save();
  }

  private frameMessage(): Buffer {
    const { data, width, height } = this.env.emulator.getFrame();
    const info = { frame: this.frame, variables: this.info, reward: this.lastReward, return: this.episodeReturn, done: this.done, mask: this.mask };
    return this.encoder.encode(data, width, height, info);
  }

  private broadcastFrame(): void {
    if (this.clients.size === 0) return;
    const message = this.frameMessage();
    for (const client of this.clients) if (client.bufferedBytes < MAX_BUFFERED_BYTES) client.sendBinary(message);
  }

  private sendFrame(client: WebSocketConnection): void {
    client.sendBinary(this.frameMessage());
  }

  private broadcast(message: Record<string, unknown>): void {
    const text = JSON.stringify(message);
    for (const client of this.clients) client.sendText(text);
  }

  private reply(client: WebSocketConnection, message: Record<string, unknown>): void {
    client.sendText(JSON.stringify(message));
  }
}
