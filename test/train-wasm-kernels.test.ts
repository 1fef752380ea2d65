// The wasm training kernels against the cpu backend (tfjs's reference implementation): gradients of convolutions
// and of matMul in every transpose combination, over random shapes, paddings and strides that don't divide the input;
// forward convolutions with padding 'same' and strides larger than the filter, which the stock kernels got wrong.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type * as TF from '@tensorflow/tfjs';
import { useWasmBackend } from '../lib/train/backend.ts';
import { registerWasmTrainingKernels } from '../lib/train/wasm-kernels.ts';

const tf = await import('@tensorflow/tfjs');
assert.ok(await useWasmBackend(tf), 'the wasm backend did not start');
const stockBatchMatMul = tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc;
registerWasmTrainingKernels(tf);

const NUM_RUNS = 50;
const OUR_KERNELS = ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'BatchMatMul', 'Conv2D', 'FusedConv2D', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2D'];
const TOLERANCE = 1e-4;

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/** Deterministic values in [-1, 1) (mulberry32), so both backends see the same inputs. */
function randomValues(seed: number): (count: number) => Float32Array {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  };
  return (count) => Float32Array.from({ length: count }, next);
}

interface Result {
  shape: number[];
  values: Float32Array;
}

function result(t: TF.Tensor): Result {
  return { shape: t.shape, values: Float32Array.from(t.dataSync()) };
}

async function onBackend<T>(name: 'cpu' | 'wasm', fn: () => T): Promise<T> {
  assert.ok(await tf.setBackend(name), `backend ${name} initialises`);
  try {
    return fn();
  } finally {
    await tf.setBackend('wasm');
  }
}

/** Largest difference relative to the largest reference magnitude. */
function assertClose(actual: Result, expected: Result, what: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  let scale = 0;
  for (const v of expected.values) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  expected.values.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(actual.values[i] - v));
  });
  const error = worst / Math.max(scale, 1e-6);
  assert.ok(error <= TOLERANCE, `${what}: relative error ${error} (max |reference| ${scale})`);
}

/** Gradients of Σ f(x, w)·r with respect to x and w, r random with f's output shape, plus f itself. */
function gradientsOf(f: (x: TF.Tensor, w: TF.Tensor) => TF.Tensor, xShape: number[], wShape: number[], seed: number): Result[] {
  return inScope(() => {
    const values = randomValues(seed);
    const x = tf.tensor(values(sizeOf(xShape)), xShape);
    const w = tf.tensor(values(sizeOf(wShape)), wShape);
    const y = f(x, w);
    const r = tf.tensor(values(y.size), y.shape);
    const [dx, dw] = tf.grads((a: TF.Tensor, b: TF.Tensor) => tf.sum(tf.mul(f(a, b), r)))([x, w]);
    return [result(y), result(dx), result(dw)];
  });
}

/** `fn`'s plain-data result, with every tensor it made disposed. */
function inScope<T>(fn: () => T): T {
  let out: T | undefined;
  tf.tidy(() => {
    out = fn();
  });
  return out as T;
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries

type Pad = 'valid' | 'same' | [[0, 0], [number, number], [number, number], [0, 0]];

interface ConvCase {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strides: [number, number];
  pad: Pad;
  seed: number;
}

const explicitPadArb = fc
  .tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2))
  .map(([t, b, l, r]): Pad => [[0, 0], [t, b], [l, r], [0, 0]]);

const convCaseArb: fc.Arbitrary<ConvCase> = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    height: fc.integer({ min: 1, max: 12 }),
    width: fc.integer({ min: 1, max: 12 }),
    inChannels: fc.integer({ min: 1, max: 4 }),
    outChannels: fc.integer({ min: 1, max: 4 }),
    filterHeight: fc.integer({ min: 1, max: 5 }),
    filterWidth: fc.integer({ min: 1, max: 5 }),
    strides: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
    pad: fc.oneof(fc.constant<Pad>('valid'), fc.constant<Pad>('same'), explicitPadArb),
    seed: fc.integer(),
  })
  // The filter must fit the (padded) input at least once.
  .filter((c) => c.filterHeight <= c.height + padTotal(c.pad, 1) && c.filterWidth <= c.width + padTotal(c.pad, 2));

function padTotal(pad: Pad, axis: 1 | 2): number {
  if (pad === 'valid') return 0;
  if (pad === 'same') return Infinity;
  return pad[axis][0] + pad[axis][1];
}

function convGradients(c: ConvCase): Result[] {
  return gradientsOf(
    (x, w) => tf.conv2d(x as TF.Tensor4D, w as TF.Tensor4D, c.strides, c.pad),
    [c.batch, c.height, c.width, c.inChannels],
    [c.filterHeight, c.filterWidth, c.inChannels, c.outChannels],
    c.seed,
  );
}

// tfjs's own matMul gradient refuses a batched a with a 2-D b (broadcast), on every backend: both operands share
// the batch dimension here.
interface MatMulCase {
  /** Leading batch dimension of both operands (none: 2-D). */
  batch: number | null;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
  seed: number;
}

const matMulCaseArb: fc.Arbitrary<MatMulCase> = fc.record({
  batch: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
  m: fc.integer({ min: 1, max: 8 }),
  k: fc.integer({ min: 1, max: 8 }),
  n: fc.integer({ min: 1, max: 8 }),
  transposeA: fc.boolean(),
  transposeB: fc.boolean(),
  seed: fc.integer(),
});

function matMulGradients(c: MatMulCase): Result[] {
  const lead = c.batch === null ? [] : [c.batch];
  const aShape = [...lead, ...(c.transposeA ? [c.k, c.m] : [c.m, c.k])];
  const bShape = [...lead, ...(c.transposeB ? [c.n, c.k] : [c.k, c.n])];
  return gradientsOf((a, b) => tf.matMul(a, b, c.transposeA, c.transposeB), aShape, bShape, c.seed);
}

// ---------------------------------------------------------------------------------------------------------------
// Tests

describe('wasm training kernels', () => {
  it('conv2d gradients (x and filter) match the cpu backend', async () => {
    await fc.assert(
      fc.asyncProperty(convCaseArb, async (c) => {
        const expected = await onBackend('cpu', () => convGradients(c));
        const actual = convGradients(c);
        const what = JSON.stringify(c);
        assertClose(actual[0], expected[0], `conv2d ${what}`);
        assertClose(actual[1], expected[1], `dx ${what}`);
        assertClose(actual[2], expected[2], `dw ${what}`);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("forward fused and depthwise convolutions match the cpu backend, padding 'same' with large strides included", async () => {
    // The stock kernels return zeros for 'same' when a stride exceeds the filter; plain Conv2D is covered above.
    const forward = (c: ConvCase): Result[] =>
      inScope(() => {
        const values = randomValues(c.seed);
        const x = tf.tensor4d(values(c.batch * c.height * c.width * c.inChannels), [c.batch, c.height, c.width, c.inChannels]);
        const w = tf.tensor4d(values(c.filterHeight * c.filterWidth * c.inChannels * c.outChannels), [c.filterHeight, c.filterWidth, c.inChannels, c.outChannels]);
        const bias = tf.tensor1d(values(c.outChannels));
        const fused = tf.fused.conv2d({ x, filter: w, strides: c.strides, pad: c.pad, bias, activation: 'relu' });
        const depthwise = tf.depthwiseConv2d(x, w, c.strides, c.pad);
        return [result(fused), result(depthwise)];
      });
    await fc.assert(
      fc.asyncProperty(convCaseArb, async (c) => {
        const expected = await onBackend('cpu', () => forward(c));
        const actual = forward(c);
        assertClose(actual[0], expected[0], `fused conv2d ${JSON.stringify(c)}`);
        assertClose(actual[1], expected[1], `depthwise conv2d ${JSON.stringify(c)}`);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('matMul and its gradients match the cpu backend for all transpose combinations', async () => {
    await fc.assert(
      fc.asyncProperty(matMulCaseArb, async (c) => {
        const expected = await onBackend('cpu', () => matMulGradients(c));
        const actual = matMulGradients(c);
        const what = JSON.stringify(c);
        assertClose(actual[0], expected[0], `matMul ${what}`);
        assertClose(actual[1], expected[1], `da ${what}`);
        assertClose(actual[2], expected[2], `db ${what}`);
      }),
      { numRuns: NUM_RUNS * 2 },
    );
  });

  it('each transpose combination is checked on a fixed, non-square batched case', async () => {
    // The property above draws the combinations at random; this makes sure none is ever skipped.
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        const c: MatMulCase = { batch: 2, m: 3, k: 5, n: 4, transposeA, transposeB, seed: 7 };
        const expected = await onBackend('cpu', () => matMulGradients(c));
        const actual = matMulGradients(c);
        actual.forEach((r, i) => assertClose(r, expected[i], `${JSON.stringify(c)} output ${i}`));
      }
    }
  });

  it('replaces the stock BatchMatMul, and registering again changes nothing', async () => {
    const installed = OUR_KERNELS.map((name) => tf.getKernel(name, 'wasm')?.kernelFunc);
    assert.ok(installed.every((f) => f !== undefined));
    assert.notEqual(installed[2], stockBatchMatMul);
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      registerWasmTrainingKernels(tf);
      registerWasmTrainingKernels(tf);
    } finally {
      console.warn = warn;
    }
    assert.deepEqual(warnings, []);
    const after = OUR_KERNELS.map((name) => tf.getKernel(name, 'wasm')?.kernelFunc);
    assert.deepEqual(after, installed);
    const c: ConvCase = { batch: 2, height: 9, width: 7, inChannels: 3, outChannels: 2, filterHeight: 4, filterWidth: 3, strides: [2, 3], pad: 'same', seed: 1 };
    const expected = await onBackend('cpu', () => convGradients(c));
    convGradients(c).forEach((r, i) => assertClose(r, expected[i], `after re-registering, output ${i}`));
  });

  it('accepts bare TensorInfo inputs (a kernel called directly) and gives the same result', () => {
    const values = randomValues(3);
    const x = tf.tensor4d(values(2 * 7 * 6 * 3), [2, 7, 6, 3]);
    const dy = tf.tensor4d(values(2 * 3 * 2 * 4), [2, 3, 2, 4]);
    const filter = tf.tensor4d(values(3 * 3 * 3 * 4), [3, 3, 3, 4]);
    const bare = (t: TF.Tensor): TF.TensorInfo => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
    const attrs = { strides: [2, 3], pad: 'valid', dataFormat: 'NHWC', dimRoundingMode: undefined };
    const cases: [string, Record<string, TF.Tensor>, Record<string, unknown>][] = [
      ['Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: [3, 3, 3, 4] }],
      ['Conv2DBackpropInput', { dy, filter }, { ...attrs, inputShape: [2, 7, 6, 3] }],
      ['BatchMatMul', { a: tf.reshape(x, [2, 42, 3]), b: tf.reshape(x, [2, 42, 3]) }, { transposeA: true, transposeB: false }],
    ];
    for (const [kernel, inputs, kernelAttrs] of cases) {
      const viaTensors = tf.engine().runKernel(kernel, inputs, kernelAttrs as TF.NamedAttrMap) as TF.Tensor;
      const bareInputs = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, bare(t)]));
      const viaInfos = tf.engine().runKernel(kernel, bareInputs as unknown as TF.NamedTensorMap, kernelAttrs as TF.NamedAttrMap) as TF.Tensor;
      assertClose(result(viaInfos), result(viaTensors), kernel);
      // The inputs are still readable: nothing freed data it did not own.
      for (const t of Object.values(inputs)) assert.equal(t.dataSync().length, t.size);
      tf.dispose([viaTensors, viaInfos]);
    }
    tf.dispose([x, dy, filter, ...cases.flatMap(([, inputs]) => Object.values(inputs))]);
  });

  it('refuses NCHW with a clear error', () => {
    const x = tf.zeros([1, 3, 5, 5]);
    const dy = tf.zeros([1, 2, 5, 5]);
    try {
      assert.throws(
        () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [1, 1, 3, 2] }),
        /Conv2DBackpropFilter.*NCHW.*only 'NHWC'/,
      );
    } finally {
      tf.dispose([x, dy]);
    }
  });

  it('leaks no tensors or wasm buffers over repeated gradient steps', () => {
    const backend = tf.backend();
    const values = randomValues(11);
    const x = tf.tensor4d(values(3 * 11 * 10 * 2), [3, 11, 10, 2]);
    const w = tf.tensor4d(values(4 * 3 * 2 * 3), [4, 3, 2, 3]);
    const m = tf.tensor2d(values(5 * 6), [5, 6]);
    const n = tf.tensor2d(values(6 * 5), [6, 5]);
    const step = (): void => {
      // Outside tf.tidy on purpose: a tensor a kernel forgot to dispose would stay counted.
      const grads = tf.grads((a: TF.Tensor, b: TF.Tensor) => tf.sum(tf.conv2d(a as TF.Tensor4D, b as TF.Tensor4D, [3, 2], 'same')))([x, w]);
      const dy = tf.conv2d(x, w, 2, 'same');
      const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC' };
      const direct = [
        dy,
        tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: w.shape }) as TF.Tensor,
        tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: x.shape }) as TF.Tensor,
        // Not tf.matMul: an op runs in a scope of its own that would sweep up what its kernel leaked.
        tf.engine().runKernel('BatchMatMul', { a: m, b: m }, { transposeA: true, transposeB: false }) as TF.Tensor,
        tf.engine().runKernel('BatchMatMul', { a: m, b: m }, { transposeA: false, transposeB: true }) as TF.Tensor,
        tf.engine().runKernel('BatchMatMul', { a: m, b: n }, { transposeA: true, transposeB: true }) as TF.Tensor,
      ];
      tf.dispose([...grads, ...direct]);
    };
    step(); // first use may allocate lazily
    const tensors = tf.memory().numTensors;
    const buffers = backend.numDataIds();
    for (let i = 0; i < 5; i++) step();
    assert.equal(tf.memory().numTensors, tensors, 'tensors');
    assert.equal(backend.numDataIds(), buffers, 'wasm buffers');
    tf.dispose([x, w, m, n]);
  });
});
