// One worker of a WorkerBatch: owns some envs, steps them on the jobs the main thread posts to its port, writes
// results into the shared buffers and reports each finished env id through the shared ring. If it dies, its
// supervisor (the thread that started it) tells the main thread.
import { workerData } from 'node:worker_threads';
import { Actions } from '../env/action-codec.ts';
import { make, type Action, type RetroEnv } from '../env/retro-env.ts';
import { Autoresetter } from './autoreset.ts';
import { RING, type BatchJobMessage as Job, type BatchWorkerData } from './worker-batch.ts';

const config = workerData as BatchWorkerData;
const { outputs } = config;
const envs = new Map<number, RetroEnv>();
let initError: string | undefined;
try {
  // Masks arrive already decoded and filtered by the main thread, so the worker's envs take raw button bits.
  for (const id of config.envIds) envs.set(id, make(config.game, { ...config.options, useRestrictedActions: Actions.ALL }));
} catch (e) {
  initError = `cannot create the env in its worker: ${(e as Error).message}`;
}
const frameBytes = outputs.observations.length / config.numEnvs;
const varCount = outputs.values.length / config.numEnvs;
const autoresetter = new Autoresetter(config.autoreset);

function write(id: number, observation: Uint8Array, info: Record<string, number>): void {
  outputs.observations.set(observation, id * frameBytes);
  Object.values(info).forEach((v, i) => (outputs.values[id * varCount + i] = v));
}

function run(job: Job): void {
  if (initError !== undefined) throw new Error(initError);
  const env = envs.get(job.id)!;
  if (outputs.hasFinal) outputs.hasFinal[job.id] = 0;
  if (job.reset) autoresetter.forget(job.id);
  const { step, reset } = job.reset
    ? { step: undefined, reset: env.reset() }
    : autoresetter.run(job.id, {
        step: () => env.step(actionOf(env, job)),
        reset: () => env.reset(),
        keepFinal: (last) => {
          outputs.finalObservations!.set(last.observation, job.id * frameBytes);
          Object.values(last.info).forEach((v, i) => (outputs.finalValues![job.id * varCount + i] = v));
          outputs.hasFinal![job.id] = 1;
        },
      });
  const shown = reset ?? step!;
  write(job.id, shown.observation, shown.info);
  if (step) step.rewards.forEach((r, p) => (outputs.rewards[job.id * config.players + p] = r));
  else outputs.rewards.fill(0, job.id * config.players, (job.id + 1) * config.players);
  outputs.terminated[job.id] = step?.terminated ? 1 : 0;
}

/** The env's action for a job: raw button bits from one mask per player, and the job's sticks if the env has them. */
function actionOf(env: RetroEnv, job: Job): Action {
  const buttons = env.buttons.length;
  const bits = new Uint8Array(buttons * config.players);
  job.masks.forEach((mask, p) => {
    for (let b = 0; b < buttons; b++) bits[p * buttons + b] = (mask >> b) & 1;
  });
  return env.analog ? { buttons: bits, stick: job.sticks } : bits;
}

function report(id: number, failed: boolean): void {
  const position = Atomics.add(config.ring, RING.reserved, 1);
  Atomics.store(config.ring, RING.slots + (position % config.capacity), failed ? -(id + 1) : id + 1);
  // Bumped after the slot is filled: recv() reads the signal before the slot, so it never sleeps through this.
  Atomics.add(config.ring, RING.signal, 1);
  Atomics.notify(config.ring, RING.signal);
}

config.jobs.on('message', (jobs: Job[]) => {
  for (const job of jobs) {
    try {
      run(job);
      report(job.id, false);
    } catch (e) {
      // The code travels with the message ("CODE\tmessage"), so recv() throws the error the env threw.
      const code = (e as { code?: unknown }).code;
      const coded = `${typeof code === 'string' ? code : 'ENV_CRASHED'}\t${String((e as Error).message ?? e)}`;
      const text = new TextEncoder().encode(coded).subarray(0, config.errorText.length - 1);
      if (config.errorText[0] === 0) config.errorText.set(text);
      report(job.id, true);
    }
  }
});
