// Loaded before every test file (see the `test` script). Property tests explore new inputs on developers'
// machines, but CI runs them with one fixed seed so a landing never depends on luck; set FC_SEED to replay a
// failure fast-check reported.
import fc from 'fast-check';

const seed = process.env.FC_SEED ?? (process.env.CI ? '20261122' : undefined);
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });
