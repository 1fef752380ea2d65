import type { Action } from '../env/retro-env.ts';

/** What BatchEnv drives: the native stepper, worker_threads or child processes. */
export interface BatchEngine {
  /** Actions are checked against the action space before anything is sent. */
  send(ids: Uint32Array, actions: readonly Action[]): void;
  sendReset(ids: Uint32Array): void;
  recv(batchSize: number): Uint32Array;
  close(): void;
}
