/**
 * Training kernels for TensorFlow.js's WebAssembly backend (4.22), which ships for inference: measured on the
 * 2-core build machine, it has no `Conv2DBackpropFilter` at all (every CNN gradient throws), a slow
 * `Conv2DBackpropInput`, and a `BatchMatMul` whose transposed forms took 1.5 s of a 2 s PPO update. Each kernel
 * here is written with tfjs ops that the backend runs fast (XNNPACK convolutions, transposes, pads, slices), so
 * they dispatch back into the same wasm backend; gradients match the `cpu` backend to ~1e-6 relative. Its forward
 * convolutions also return zeros for padding 'same' with a stride larger than the filter; we pass that padding on
 * in explicit form, which it computes correctly.
 *
 * Only NHWC (`channelsLast`) and forward convolutions with dilation 1 are handled, which is all the trainer's
 * networks use.
 */
import type * as TF from '@tensorflow/tfjs';

type Tf = typeof TF;

const WASM = 'wasm';

/** Set on our kernel functions, so that registering again (even from a second copy of this module) is a no-op. */
const OURS = Symbol.for('libretro-gym.wasmTrainingKernel');

/**
 * Registers the training kernels for the `wasm` backend: `Conv2DBackpropFilter` and `Conv2DBackpropInput` of our
 * own, `BatchMatMul` and the four forward convolutions wrapping the stock ones. Idempotent; does nothing when the
 * wasm backend is not registered (import `@tensorflow/tfjs-backend-wasm` first). Call it before or after
 * `tf.setBackend('wasm')`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import '@tensorflow/tfjs-backend-wasm';
 * await tf.setBackend('wasm');
 * registerWasmTrainingKernels(tf);
 * const x = tf.randomNormal([8, 84, 84, 4]) as tf.Tensor4D;
 * const w = tf.randomNormal([8, 8, 4, 16]);
 * const [dw] = tf.grads((f) => tf.sum(tf.conv2d(x, f as tf.Tensor4D, 4, 'valid')))([w]); // [8, 8, 4, 16]
 * ```
 */
export function registerWasmTrainingKernels(tf: Tf): void {
  if (tf.findBackendFactory(WASM) == null) return;
  install(tf, 'Conv2DBackpropFilter', () => conv2DBackpropFilterKernel(tf));
  install(tf, 'Conv2DBackpropInput', () => conv2DBackpropInputKernel(tf));
  for (const kernelName of ['BatchMatMul', ...FORWARD_CONVOLUTIONS]) {
    const stock = tf.getKernel(kernelName, WASM);
    if (!stock) continue; // nothing to wrap: this tfjs build lacks it, and tfjs will say so if it is used
    const wrap = kernelName === 'BatchMatMul' ? batchMatMulKernel : samePaddingAsExplicit;
    install(tf, kernelName, () => wrap(tf, stock.kernelFunc));
  }
}

const FORWARD_CONVOLUTIONS = ['Conv2D', 'FusedConv2D', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2D'];

/**
 * Puts `make()` in the registry under `kernelName` for wasm, unless ours is there already. The stock kernel's setup
 * and dispose hooks carry over: the stock kernels we delegate to bind their wasm functions in their setup, which the
 * engine runs when the backend initialises, possibly after this call.
 */
function install(tf: Tf, kernelName: string, make: () => TF.KernelFunc): void {
  const previous = tf.getKernel(kernelName, WASM);
  if (previous && OURS in previous.kernelFunc) return;
  const kernelFunc = make();
  Object.defineProperty(kernelFunc, OURS, { value: true });
  if (previous) tf.unregisterKernel(kernelName, WASM);
  tf.registerKernel({
    kernelName,
    backendName: WASM,
    kernelFunc,
    setupFunc: previous?.setupFunc,
    disposeFunc: previous?.disposeFunc,
  });
}

/**
 * `Conv2DBackpropFilter` (the filter's gradient), absent from the stock wasm backend, as one dilated convolution so
 * that it runs on XNNPACK. With channels-in playing the batch, the batch playing the channels and dy as the filter
 * dilated by the forward stride:
 * dW[kh, kw, ci, co] = Σ_b,oh,ow x[b, oh·sh + kh, ow·sw + kw, ci] · dy[b, oh, ow, co].
 */
function conv2DBackpropFilterKernel(tf: Tf): TF.KernelFunc {
  return ({ inputs, attrs }) => {
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as TF.Conv2DBackpropFilterAttrs;
    assertSupported('Conv2DBackpropFilter', dataFormat, attrs);
    return tf.tidy(() => {
      const x = asTensor(tf, required(inputs, 'x', 'Conv2DBackpropFilter')) as TF.Tensor4D;
      const dy = asTensor(tf, required(inputs, 'dy', 'Conv2DBackpropFilter')) as TF.Tensor4D;
      const info = convInfo(tf, x.shape, filterShape, strides, pad, dimRoundingMode);
      assertOutputShape('Conv2DBackpropFilter', dy.shape, info);
      // The rows the filter ever touches in the padded input: exactly kh + (oh-1)·sh, so that the dilated
      // convolution below comes out filter-sized. Padding supplies the zeros; a stride that does not divide
      // the input leaves trailing rows no window reaches, and the crop drops them.
      const window = cropOrPad(
        tf,
        x,
        [-info.padInfo.top, -info.padInfo.left],
        [info.filterHeight + (info.outHeight - 1) * info.strideHeight, info.filterWidth + (info.outWidth - 1) * info.strideWidth],
      );
      const channelsAsBatch = tf.transpose(window, [3, 1, 2, 0]); // [ci, h, w, b]
      const dyAsFilter = tf.transpose(dy, [1, 2, 0, 3]); // [oh, ow, b, co]
      const dw = tf.conv2d(channelsAsBatch, dyAsFilter, 1, 'valid', 'NHWC', [info.strideHeight, info.strideWidth]);
      return tf.transpose(dw, [1, 2, 0, 3]); // [kh, kw, ci, co]
    });
  };
}

/**
 * `Conv2DBackpropInput` (the input's gradient) as one stride-1 convolution on XNNPACK instead of the stock scalar
 * loop. A stride-s transposed convolution splits into s·s phases: the input row p = q·s + r only receives filter
 * taps kh ≡ r (mod s). So one convolution of dy with a ⌈k/s⌉-sized filter whose output channels are
 * (phase row, phase column, ci) computes every phase without multiplying the zeros a zero-interleaved dy would
 * have; a reshape-transpose puts the phases back in place (tfjs's DepthToSpace does the same ~40× slower).
 */
function conv2DBackpropInputKernel(tf: Tf): TF.KernelFunc {
  return ({ inputs, attrs }) => {
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as TF.Conv2DBackpropInputAttrs;
    assertSupported('Conv2DBackpropInput', dataFormat, attrs);
    return tf.tidy(() => {
      const dy = asTensor(tf, required(inputs, 'dy', 'Conv2DBackpropInput')) as TF.Tensor4D;
      const filter = asTensor(tf, required(inputs, 'filter', 'Conv2DBackpropInput')) as TF.Tensor4D;
      const info = convInfo(tf, inputShape, filter.shape, strides, pad, dimRoundingMode);
      assertOutputShape('Conv2DBackpropInput', dy.shape, info);
      const { strideHeight: sh, strideWidth: sw } = info;
      const taps = phaseFilter(tf, filter, sh, sw);
      const [mh, mw] = taps.shape;
      // Full correlation: every dy position that reaches a phase output contributes, including at the edges.
      const dyPadded = tf.pad(dy, [[0, 0], [mh - 1, mh - 1], [mw - 1, mw - 1], [0, 0]]);
      const phases = tf.conv2d(dyPadded, taps, 1, 'valid');
      const padded = interleavePhases(tf, phases, sh, sw, filter.shape[2]);
      // `padded` covers the forward pass's padded input from its top-left corner; drop the padding, and add zero
      // rows for trailing input no window reached.
      return cropOrPad(tf, padded, [info.padInfo.top, info.padInfo.left], [info.inHeight, info.inWidth]);
    });
  };
}

/**
 * The filter of the phase convolution: [kh, kw, ci, co] → [⌈kh/sh⌉, ⌈kw/sw⌉, co, sh·sw·ci]. Tap kh = m·sh + r
 * goes to spatial position ⌈kh/sh⌉-1-m (flipped, since the transposed convolution runs the filter backwards) of
 * phase r; taps past the filter's end are zero.
 */
function phaseFilter(tf: Tf, filter: TF.Tensor4D, sh: number, sw: number): TF.Tensor4D {
  const [kh, kw, ci, co] = filter.shape;
  const mh = Math.ceil(kh / sh);
  const mw = Math.ceil(kw / sw);
  const whole = tf.pad(filter, [[0, mh * sh - kh], [0, mw * sw - kw], [0, 0], [0, 0]]);
  const flipped = tf.reverse(tf.reshape(whole, [mh, sh, mw, sw * ci * co]), [0, 2]); // [m, rh, m', (rw, ci, co)]
  const byTap = tf.transpose(flipped, [0, 2, 1, 3]); // [m, m', rh, (rw, ci, co)]
  const byOutput = tf.transpose(tf.reshape(byTap, [mh * mw, sh * sw * ci, co]), [0, 2, 1]);
  return tf.reshape(byOutput, [mh, mw, co, sh * sw * ci]);
}

/** [b, qh, qw, (rh, rw, ci)] → [b, qh·sh, qw·sw, ci], phase (rh, rw) of cell (qh, qw) landing at (qh·sh + rh, qw·sw + rw). */
function interleavePhases(tf: Tf, phases: TF.Tensor4D, sh: number, sw: number, ci: number): TF.Tensor4D {
  const [b, qh, qw] = phases.shape;
  if (sh === 1 && sw === 1) return phases;
  const rowsSplit = tf.reshape(phases, [b * qh, qw, sh, sw * ci]);
  return tf.reshape(tf.transpose(rowsSplit, [0, 2, 1, 3]), [b, qh * sh, qw * sw, ci]);
}

/**
 * `BatchMatMul` with transposeA / transposeB as an explicit transpose (fast on wasm) followed by the stock
 * untransposed product: the stock kernel's transposed forms were the slow path (1.5 s of a 2 s update, the
 * transposed products being exactly what matMul's gradient asks for). The plain product goes straight to `stock`,
 * never through `tf.matMul`, which would dispatch back here.
 */
function batchMatMulKernel(tf: Tf, stock: TF.KernelFunc): TF.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB } = (attrs ?? {}) as unknown as TF.BatchMatMulAttrs;
    if (!transposeA && !transposeB) return stock({ inputs, backend, attrs });
    const made: TF.Tensor[] = [];
    const upright = (info: TF.TensorInfo, transpose: boolean): TF.TensorInfo => {
      if (!transpose) return info;
      const t = swapLastTwoAxes(tf, info);
      made.push(t);
      return t;
    };
    try {
      const a = upright(required(inputs, 'a', 'BatchMatMul'), transposeA);
      const b = upright(required(inputs, 'b', 'BatchMatMul'), transposeB);
      return stock({ inputs: { a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const t of made) t.dispose();
    }
  };
}

/**
 * The stock forward convolutions with padding 'same' handed on as the explicit padding it stands for. Measured: with
 * 'same' and a stride larger than the filter in either direction (a 1×1 stride-2 shortcut, a 2×2 filter at stride
 * 3), the stock kernels silently return all zeros, while the same convolution with explicit padding is right (and
 * 'valid' always was).
 */
function samePaddingAsExplicit(tf: Tf, stock: TF.KernelFunc): TF.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = (attrs ?? {}) as unknown as TF.Conv2DAttrs;
    if (pad !== 'same' || dataFormat === 'NCHW') return stock({ inputs, backend, attrs });
    const x = required(inputs, 'x', 'forward convolution');
    const filter = required(inputs, 'filter', 'forward convolution');
    const { padInfo } = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      // Only the filter's spatial size matters to the padding; depthwise filters share that layout.
      filter.shape as [number, number, number, number],
      strides,
      dilations,
      pad,
      dimRoundingMode,
    );
    const explicit = [[0, 0], [padInfo.top, padInfo.bottom], [padInfo.left, padInfo.right], [0, 0]];
    return stock({ inputs, backend, attrs: { ...attrs, pad: explicit } });
  };
}

function swapLastTwoAxes(tf: Tf, info: TF.TensorInfo): TF.Tensor {
  return tf.tidy(() => {
    const x = asTensor(tf, info);
    const perm = x.shape.map((_, i) => i);
    perm.splice(-2, 2, x.rank - 1, x.rank - 2);
    return tf.transpose(x, perm);
  });
}

/**
 * The kernel's input as a Tensor that tfjs ops accept. Ops hand kernels their Tensors; a bare TensorInfo (a kernel
 * called directly) is copied, because wrapping its data without a reference count of its own would free it on dispose.
 */
function asTensor(tf: Tf, info: TF.TensorInfo): TF.Tensor {
  if (info instanceof tf.Tensor) return info;
  return tf.engine().runKernel('Identity', { x: info } as unknown as TF.NamedTensorMap) as TF.Tensor;
}

function convInfo(
  tf: Tf,
  inShape: readonly number[],
  filterShape: readonly number[],
  strides: [number, number] | number,
  pad: TF.Conv2DBackpropFilterAttrs['pad'],
  dimRoundingMode: TF.Conv2DBackpropFilterAttrs['dimRoundingMode'],
): TF.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
}

function required(inputs: TF.NamedTensorInfoMap, name: string, kernelName: string): TF.TensorInfo {
  const info = inputs[name];
  if (info == null) throw new Error(`${kernelName} on wasm (libretro-gym kernel): input '${name}' is missing`);
  return info;
}

function assertSupported(kernelName: string, dataFormat: string, attrs: TF.NamedAttrMap = {}): void {
  if (dataFormat !== 'NHWC') {
    throw new Error(`${kernelName} on wasm (libretro-gym kernel): dataFormat '${dataFormat}' is not supported, only 'NHWC' (channelsLast)`);
  }
  // The gradient ops carry no dilations (tfjs refuses gradients of dilated convolutions); refuse them too should a
  // caller pass some, rather than return a wrong gradient.
  const dilations = attrs.dilations as number | number[] | undefined;
  if (dilations != null && [dilations].flat().some((d) => d !== 1)) {
    throw new Error(`${kernelName} on wasm (libretro-gym kernel): dilations ${JSON.stringify(dilations)} are not supported, only 1`);
  }
}

function assertOutputShape(kernelName: string, dyShape: readonly number[], info: TF.backend_util.Conv2DInfo): void {
  const expected = info.outShape;
  if (dyShape.some((d, i) => d !== expected[i])) {
    throw new Error(`${kernelName} on wasm (libretro-gym kernel): dy has shape [${dyShape}], the convolution gives [${expected}]`);
  }
}

/**
 * Rows [begin[0], begin[0] + size[0]) and columns [begin[1], begin[1] + size[1]) of an NHWC tensor, with zeros
 * wherever that window reaches outside it (negative `begin`, or past its end).
 */
function cropOrPad(tf: Tf, x: TF.Tensor4D, begin: [number, number], size: [number, number]): TF.Tensor4D {
  const [, h, w] = x.shape;
  const before = [Math.max(0, -begin[0]), Math.max(0, -begin[1])];
  const after = [Math.max(0, begin[0] + size[0] - h), Math.max(0, begin[1] + size[1] - w)];
  const padded =
    before[0] + before[1] + after[0] + after[1] === 0
      ? x
      : tf.pad(x, [[0, 0], [before[0], after[0]], [before[1], after[1]], [0, 0]]);
  const top = begin[0] + before[0];
  const left = begin[1] + before[1];
  if (top === 0 && left === 0 && padded.shape[1] === size[0] && padded.shape[2] === size[1]) return padded;
  return tf.slice(padded, [0, top, left, 0], [-1, size[0], size[1], -1]);
}
