/**
 * Orthogonal weight initialisation (Saxe et al. 2014), which PPO implementations use for every layer: gain √2 for
 * hidden layers, 0.01 for the policy head (near-uniform first policy), 1 for the value head. Done in JS with our
 * seeded generator, so a seed gives the same network on every backend.
 */
import type { Rng } from '../rng.ts';

function gaussian(rng: Rng): number {
  // Box–Muller; 1 - u keeps the logarithm finite.
  const u = 1 - rng.nextFloat();
  const v = rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * A `rows × cols` matrix (row-major) whose rows (if rows ≤ cols) or columns (otherwise) are orthonormal, times
 * `gain`. A convolution kernel [h, w, in, out] uses rows = h·w·in, cols = out.
 */
export function orthogonal(rows: number, cols: number, gain: number, rng: Rng): Float32Array {
  const tall = rows >= cols;
  const n = tall ? rows : cols; // vector length
  const k = tall ? cols : rows; // number of orthonormal vectors
  const vectors: Float64Array[] = [];
  for (let i = 0; i < k; i++) {
    let v: Float64Array;
    let norm = 0;
    do {
      v = Float64Array.from({ length: n }, () => gaussian(rng));
      // Modified Gram–Schmidt, twice for numerical safety.
      for (let pass = 0; pass < 2; pass++) {
        for (const u of vectors) {
          let dot = 0;
          for (let j = 0; j < n; j++) dot += u[j] * v[j];
          for (let j = 0; j < n; j++) v[j] -= dot * u[j];
        }
      }
      norm = Math.hypot(...v);
    } while (norm < 1e-6);
    for (let j = 0; j < n; j++) v[j] /= norm;
    vectors.push(v);
  }
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < n; j++) {
      if (tall) out[j * cols + i] = gain * vectors[i][j];
      else out[i * cols + j] = gain * vectors[i][j];
    }
  }
  return out;
}
