/**
 * Loads TensorFlow.js for the trainer and picks its backend: `@tensorflow/tfjs-node` where it installed (libtensorflow,
 * fastest), else the WebAssembly backend with the gradient kernels it lacks registered by us, else the plain JS
 * `cpu` backend (fine for MLPs, far too slow for convolutions). TensorFlow.js is an optional peer dependency:
 * users who only want environments never download it, and `retro train` says how to get it when it is missing.
 */
import type * as TF from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { RetroError } from '../errors.ts';
import { registerWasmTrainingKernels } from './wasm-kernels.ts';

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface TfRuntime {
  tf: typeof TF;
  /** The backend in use: `tensorflow` (tfjs-node), `wasm` or `cpu`. */
  backend: 'tensorflow' | 'wasm' | 'cpu';
}

/** The optional packages `retro train` needs besides a TensorFlow.js backend: the plot's renderer. */
const PLOT_PACKAGES = ['vega', 'vega-lite', '@resvg/resvg-js'];

export const INSTALL_HINT =
  'npm install @tensorflow/tfjs@4 @tensorflow/tfjs-backend-wasm@4 (and @tensorflow/tfjs-node@4 for the native backend, where it can download libtensorflow)';

const require = createRequire(import.meta.url);
let loaded: Promise<TfRuntime> | undefined;
let loadedChoice: BackendChoice | undefined;

/** TensorFlow.js with the backend `choice` names (default: the fastest that loads). Loaded once per process. */
export function loadTensorFlow(choice: BackendChoice = 'auto'): Promise<TfRuntime> {
  if (loaded && loadedChoice === choice) return loaded;
  loadedChoice = choice;
  loaded = load(choice);
  return loaded;
}

/**
 * Checks that TensorFlow.js and the plotting packages are installed, naming every missing one and the command that
 * installs them (they are optional peer dependencies of libretro-gym).
 */
export async function checkTrainerDependencies(importer: (name: string) => Promise<unknown> = importOptional): Promise<void> {
  const missing: string[] = [];
  for (const name of ['@tensorflow/tfjs', ...PLOT_PACKAGES]) if (!(await importer(name))) missing.push(name);
  if (missing.length === 0) return;
  const install = missing.map((name) => (name === '@tensorflow/tfjs' ? '@tensorflow/tfjs@4 @tensorflow/tfjs-backend-wasm@4' : name)).join(' ');
  throw new RetroError('DEPENDENCY_MISSING', `training needs packages that are not installed: ${missing.join(', ')}. Install them with: npm install ${install}`);
}

async function importOptional<T>(name: string): Promise<T | undefined> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(name)) return undefined;
    throw error;
  }
}

async function load(choice: BackendChoice): Promise<TfRuntime> {
  if (choice === 'auto' || choice === 'tensorflow') {
    const tfNode = await importOptional<typeof TF>('@tensorflow/tfjs-node').catch((error: unknown) => {
      if (choice === 'tensorflow') throw error;
      return undefined; // installed but its libtensorflow is missing or broken: fall back
    });
    if (tfNode) {
      await tfNode.setBackend('tensorflow');
      return { tf: tfNode, backend: 'tensorflow' };
    }
    if (choice === 'tensorflow') throw new RetroError('DEPENDENCY_MISSING', `the tensorflow backend needs @tensorflow/tfjs-node: ${INSTALL_HINT}`);
  }
  const tfModule = await importOptional<typeof TF & { default?: typeof TF }>('@tensorflow/tfjs');
  if (!tfModule) throw new RetroError('DEPENDENCY_MISSING', `training needs TensorFlow.js, which is not installed: ${INSTALL_HINT}`);
  const tf = (tfModule.default ?? tfModule) as typeof TF;
  // Production mode: no per-op NaN checks and no console advert for tfjs-node.
  tf.enableProdMode();
  if (choice === 'auto' || choice === 'wasm') {
    if (await useWasmBackend(tf)) {
      registerWasmTrainingKernels(tf);
      return { tf, backend: 'wasm' };
    }
    if (choice === 'wasm') throw new RetroError('DEPENDENCY_MISSING', `the wasm backend needs @tensorflow/tfjs-backend-wasm: ${INSTALL_HINT}`);
  }
  await tf.setBackend('cpu');
  return { tf, backend: 'cpu' };
}

/**
 * Switches `tf` to the WebAssembly backend as tfjs ships it (our kernels not registered), loading its .wasm files
 * from the installed package. False when `@tensorflow/tfjs-backend-wasm` is missing or does not start.
 */
export async function useWasmBackend(tf: typeof TF): Promise<boolean> {
  const wasm = await importOptional<{ setWasmPaths(prefix: string): void }>('@tensorflow/tfjs-backend-wasm');
  if (!wasm) return false;
  wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  const ok = await withoutWasmProcessHooks(() => tf.setBackend('wasm'));
  await tf.ready();
  return ok;
}

/**
 * The wasm module's Emscripten runtime adds process-wide `uncaughtException` / `unhandledRejection` listeners that
 * rethrow, which turns any later error of ours into a dump of its minified source. Keep the process's own handling.
 */
async function withoutWasmProcessHooks<T>(fn: () => Promise<T>): Promise<T> {
  const emitter = process as NodeJS.EventEmitter;
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = events.map((event) => new Set(emitter.listeners(event)));
  try {
    return await fn();
  } finally {
    events.forEach((event, i) => {
      for (const listener of emitter.listeners(event)) {
        if (!before[i].has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    });
  }
}
