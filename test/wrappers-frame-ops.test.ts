// The native pixel kernels (lib/frame-ops.ts) against plain TypeScript references written here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { packageRoot } from '../lib/package-root.ts';
import { ArgumentError, RetroError } from '../lib/errors.ts';
import { decodeFrame, maxPool, PixelFormats, resize, resizeArea, resizeBilinear, rgbToGray, type PixelFormat } from '../lib/frame-ops.ts';

// ---------------------------------------------------------------------------------------------------------------
// References

function refGray(rgb: Uint8Array): Float64Array {
  const out = new Float64Array(rgb.length / 3);
  for (let i = 0; i < out.length; i++) out[i] = 0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2];
  return out;
}

/** Overlap of [a0, a1) and [b0, b1). */
const overlap = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/** INTER_AREA by its definition, in floating point: the mean of the covered source area. */
function refArea(src: Uint8Array, sw: number, sh: number, c: number, dw: number, dh: number): Float64Array {
  const out = new Float64Array(dw * dh * c);
  const sx = sw / dw;
  const sy = sh / dh;
  for (let y = 0; y < dh; y++) {
    for (let x = 0; x < dw; x++) {
      for (let k = 0; k < c; k++) {
        let sum = 0;
        for (let r = Math.floor(y * sy); r < Math.min(sh, Math.ceil((y + 1) * sy)); r++) {
          const wy = overlap(y * sy, (y + 1) * sy, r, r + 1);
          for (let s = Math.floor(x * sx); s < Math.min(sw, Math.ceil((x + 1) * sx)); s++) {
            sum += wy * overlap(x * sx, (x + 1) * sx, s, s + 1) * src[(r * sw + s) * c + k];
          }
        }
        out[(y * dw + x) * c + k] = sum / (sx * sy);
      }
    }
  }
  return out;
}

/** INTER_AREA in exact integers (positions in 1/dst units), rounded half up: what the kernel promises exactly. */
function refAreaExact(src: Uint8Array, sw: number, sh: number, c: number, dw: number, dh: number): Uint8Array {
  const out = new Uint8Array(dw * dh * c);
  const den = sw * sh;
  for (let y = 0; y < dh; y++) {
    for (let x = 0; x < dw; x++) {
      for (let k = 0; k < c; k++) {
        let num = 0;
        for (let r = 0; r < sh; r++) {
          const wy = overlap(y * sh, (y + 1) * sh, r * dh, (r + 1) * dh);
          if (wy === 0) continue;
          for (let s = 0; s < sw; s++) num += wy * overlap(x * sw, (x + 1) * sw, s * dw, (s + 1) * dw) * src[(r * sw + s) * c + k];
        }
        out[(y * dw + x) * c + k] = Math.floor((2 * num + den) / (2 * den));
      }
    }
  }
  return out;
}

/** INTER_LINEAR in floating point: centres aligned, edges clamped. */
function refBilinear(src: Uint8Array, sw: number, sh: number, c: number, dw: number, dh: number): Float64Array {
  const taps = (d: number, sLen: number, dLen: number): [number, number, number] => {
    const f = ((d + 0.5) * sLen) / dLen - 0.5;
    let i0 = Math.floor(f);
    let w = f - i0;
    if (f < 0) [i0, w] = [0, 0];
    if (i0 >= sLen - 1) [i0, w] = [sLen - 1, 0];
    return [i0, Math.min(i0 + 1, sLen - 1), w];
  };
  const out = new Float64Array(dw * dh * c);
  for (let y = 0; y < dh; y++) {
    const [y0, y1, wy] = taps(y, sh, dh);
    for (let x = 0; x < dw; x++) {
      const [x0, x1, wx] = taps(x, sw, dw);
      for (let k = 0; k < c; k++) {
        const at = (r: number, s: number) => src[(r * sw + s) * c + k];
        const top = (1 - wx) * at(y0, x0) + wx * at(y0, x1);
        const bottom = (1 - wx) * at(y1, x0) + wx * at(y1, x1);
        out[(y * dw + x) * c + k] = (1 - wy) * top + wy * bottom;
      }
    }
  }
  return out;
}

function assertWithin(actual: Uint8Array, expected: ArrayLike<number>, tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    if (Math.abs(actual[i] - expected[i]) > tolerance) {
      assert.fail(`${what}: element ${i} is ${actual[i]}, reference ${expected[i]} (tolerance ${tolerance})`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries

interface Image {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

const imageArb = (maxSide: number, channels = fc.integer({ min: 1, max: 4 })): fc.Arbitrary<Image> =>
  fc
    .record({ width: fc.integer({ min: 1, max: maxSide }), height: fc.integer({ min: 1, max: maxSide }), channels })
    .chain(({ width, height, channels }) =>
      fc
        .uint8Array({ minLength: width * height * channels, maxLength: width * height * channels })
        .map((data) => ({ data, width, height, channels })),
    );

const sizeArb = (max: number) => fc.record({ width: fc.integer({ min: 1, max }), height: fc.integer({ min: 1, max }) });

// ---------------------------------------------------------------------------------------------------------------

const invalidArgument = (e: unknown) => e instanceof ArgumentError && e.code === 'INVALID_ARGUMENT';

/** A core's picture decoded by hand: little-endian pixels, 5/6-bit channels widened by bit replication. */
function refDecode(src: Uint8Array, width: number, height: number, pitch: number, format: PixelFormat): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const widen = (v: number, bits: number) => (v << (8 - bits)) | (v >> (2 * bits - 8));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      if (format === PixelFormats.XRGB8888) {
        const p = view.getUint32(y * pitch + x * 4, true);
        out.set([(p >>> 16) & 255, (p >>> 8) & 255, p & 255], o);
      } else {
        const p = view.getUint16(y * pitch + x * 2, true);
        const [r, g, b] = format === PixelFormats.RGB565 ? [widen(p >> 11, 5), widen((p >> 5) & 63, 6), widen(p & 31, 5)] : [widen((p >> 10) & 31, 5), widen((p >> 5) & 31, 5), widen(p & 31, 5)];
        out.set([r, g, b], o);
      }
    }
  }
  return out;
}

describe('decodeFrame', () => {
  const picture = fc
    .record({
      format: fc.constantFrom(PixelFormats.RGB1555, PixelFormats.XRGB8888, PixelFormats.RGB565),
      // Widths around the 16- and 32-pixel SIMD blocks, and pitches with padding (Nestopia's is far wider).
      width: fc.integer({ min: 1, max: 100 }),
      height: fc.integer({ min: 1, max: 4 }),
      padding: fc.integer({ min: 0, max: 9 }),
    })
    .chain(({ format, width, height, padding }) => {
      const bpp = format === PixelFormats.XRGB8888 ? 4 : 2;
      const pitch = (width + padding) * bpp;
      return fc.record({
        format: fc.constant(format),
        width: fc.constant(width),
        height: fc.constant(height),
        pitch: fc.constant(pitch),
        src: fc.uint8Array({ minLength: pitch * (height - 1) + width * bpp, maxLength: pitch * (height - 1) + width * bpp }),
      });
    });

  it('decodes every pixel format to RGB24 as the reference, and to gray exactly as rgbToGray of that (property)', () => {
    fc.assert(
      fc.property(picture, ({ src, width, height, pitch, format }) => {
        const rgb = decodeFrame(src, width, height, pitch, format);
        assert.deepEqual(rgb, refDecode(src, width, height, pitch, format));
        assert.deepEqual(decodeFrame(src, width, height, pitch, format, { gray: true }), rgbToGray(rgb));
      }),
      { numRuns: 300 },
    );
  });

  it('decodes the same on the baseline SSE2 path as on the SSSE3/AVX2 ones (RETRO_SIMD=sse2 in a child process)', () => {
    // A fixed pseudo-random XRGB8888 picture with widths that hit both SIMD block sizes and their remainders.
    const script = `
      import { decodeFrame } from './lib/frame-ops.ts';
      let seed = 7;
      const out = [];
      for (const width of [1, 15, 16, 17, 31, 32, 33, 63, 64, 100, 256]) {
        const src = new Uint8Array(width * 4 * 3);
        for (let i = 0; i < src.length; i++) src[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
        out.push(...decodeFrame(src, width, 3, width * 4, 1, { gray: true }), ...decodeFrame(src, width, 3, width * 4, 1));
      }
      process.stdout.write(JSON.stringify(out));`;
    const run = (simd: string | undefined) => {
      const env = { ...process.env, RETRO_SIMD: simd };
      if (simd === undefined) delete env.RETRO_SIMD;
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: packageRoot(), env, encoding: 'utf8' });
      assert.equal(child.status, 0, child.stderr);
      return JSON.parse(child.stdout) as number[];
    };
    const sse2 = run('sse2');
    assert.deepEqual(sse2, run(undefined));
    assert.ok(sse2.length > 600 && new Set(sse2).size > 100, 'the picture is not trivial');
  });

  it('refuses short sources, bad pitches, formats and destinations', () => {
    const src = new Uint8Array(64 * 4);
    assert.throws(() => decodeFrame(src, 65, 1, 260, PixelFormats.XRGB8888), invalidArgument);
    assert.throws(() => decodeFrame(src, 64, 1, 255, PixelFormats.XRGB8888), invalidArgument);
    assert.throws(() => decodeFrame(src, 16, 1, 32, PixelFormats.RGB565, { dst: new Uint8Array(47) }), invalidArgument);
    assert.throws(() => decodeFrame(src, 16, 1, 32, 7 as PixelFormat), invalidArgument);
    assert.throws(() => decodeFrame(src, 16, 1, 64, PixelFormats.XRGB8888, { gray: true, dst: src.subarray(0, 16) }), invalidArgument);
  });
});

describe('rgbToGray', () => {
  it('matches BT.601 gray within 1, on random images', () => {
    fc.assert(
      fc.property(imageArb(40, fc.constant(3)), ({ data }) => {
        assertWithin(rgbToGray(data), refGray(data), 1, 'gray');
      }),
    );
  });

  it('keeps black, white and pure grays exact and rounds the primaries as OpenCV', () => {
    const rgb = Uint8Array.from([0, 0, 0, 255, 255, 255, 128, 128, 128, 255, 0, 0, 0, 255, 0, 0, 0, 255]);
    assert.deepEqual([...rgbToGray(rgb)], [0, 255, 128, 76, 150, 29]);
  });

  it('covers the SIMD blocks and the remainder (lengths around multiples of 16)', () => {
    for (const pixels of [0, 1, 15, 16, 17, 31, 32, 33, 1000]) {
      const rgb = Uint8Array.from({ length: pixels * 3 }, (_, i) => (i * 97 + 13) & 0xff);
      assertWithin(rgbToGray(rgb, new Uint8Array(pixels)), refGray(rgb), 1, `${pixels} pixels`);
    }
  });

  it('writes into the array it is given and returns it', () => {
    const dst = new Uint8Array(2);
    assert.equal(rgbToGray(new Uint8Array(6).fill(200), dst), dst);
    assert.deepEqual([...dst], [200, 200]);
  });
});

describe('resizeArea', () => {
  it('matches the area-average definition within 1 and the exact rational mean exactly, shrinking or growing', () => {
    fc.assert(
      fc.property(imageArb(24), sizeArb(24), (img, size) => {
        const out = resizeArea(img.data, img.width, img.height, img.channels, new Uint8Array(size.width * size.height * img.channels), size.width, size.height);
        assertWithin(out, refArea(img.data, img.width, img.height, img.channels, size.width, size.height), 1, 'area vs float');
        assert.deepEqual(out, refAreaExact(img.data, img.width, img.height, img.channels, size.width, size.height));
      }),
      { numRuns: 300 },
    );
  });

  it('is a plain box average for integer factors, and the identity at the same size', () => {
    const src = Uint8Array.from([0, 10, 20, 30, 1, 3, 5, 7]); // 4 × 2, one channel
    assert.deepEqual([...resizeArea(src, 4, 2, 1, new Uint8Array(2), 2, 1)], [4, 16]); // 14/4 = 3.5 → 4, 62/4 = 15.5 → 16
    fc.assert(
      fc.property(imageArb(20), (img) => {
        const out = resizeArea(img.data, img.width, img.height, img.channels, new Uint8Array(img.data.length), img.width, img.height);
        assert.deepEqual(out, img.data);
      }),
    );
  });

  it('shrinks a console frame to 84 × 84 like the reference', () => {
    const [w, h] = [256, 224];
    const src = Uint8Array.from({ length: w * h }, (_, i) => ((i % w) * 7 + Math.floor(i / w) * 3) & 0xff);
    assertWithin(resizeArea(src, w, h, 1, new Uint8Array(84 * 84), 84, 84), refArea(src, w, h, 1, 84, 84), 1, 'frame');
  });

  it('is exact on either side of 2^24 source pixels, where sums outgrow 32 bits and division changes method', () => {
    // Rows of one value each: every output pixel is then the exact mean of its rows, as for a one-column image.
    const w = 65535;
    for (const h of [256, 258]) {
      const column = Uint8Array.from({ length: h }, (_, y) => (y * 37 + 11) & 0xff);
      const src = new Uint8Array(w * h);
      for (let y = 0; y < h; y++) src.fill(column[y], y * w, (y + 1) * w);
      const [dw, dh] = [5, 3];
      const expected = [...refAreaExact(column, 1, h, 1, 1, dh)].flatMap((v) => new Array<number>(dw).fill(v));
      assert.deepEqual([...resizeArea(src, w, h, 1, new Uint8Array(dw * dh), dw, dh)], expected, `${w} × ${h}`);
    }
  });

  it('handles rows wider than its stack scratch (heap fallback)', () => {
    const [w, h] = [1500, 3]; // 1500 × 3 channels = 4500 accumulators
    const src = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 31) & 0xff);
    assertWithin(resizeArea(src, w, h, 3, new Uint8Array(7 * 2 * 3), 7, 2), refArea(src, w, h, 3, 7, 2), 1, 'wide');
  });
});

describe('resizeBilinear', () => {
  it('matches the centre-aligned bilinear definition within 1', () => {
    fc.assert(
      fc.property(imageArb(24), sizeArb(24), (img, size) => {
        const out = resizeBilinear(img.data, img.width, img.height, img.channels, new Uint8Array(size.width * size.height * img.channels), size.width, size.height);
        assertWithin(out, refBilinear(img.data, img.width, img.height, img.channels, size.width, size.height), 1, 'bilinear');
      }),
      { numRuns: 300 },
    );
  });

  it('is the identity at the same size and keeps constant images constant', () => {
    fc.assert(
      fc.property(imageArb(20), sizeArb(30), fc.integer({ min: 0, max: 255 }), (img, size, v) => {
        assert.deepEqual(resizeBilinear(img.data, img.width, img.height, img.channels, new Uint8Array(img.data.length), img.width, img.height), img.data);
        const flat = new Uint8Array(img.data.length).fill(v);
        const out = new Uint8Array(size.width * size.height * img.channels);
        for (const kernel of [resizeBilinear, resizeArea]) {
          kernel(flat, img.width, img.height, img.channels, out, size.width, size.height);
          assert.ok(out.every((x) => x === v), kernel.name);
        }
      }),
    );
  });

  it('handles outputs wider than one tile of taps', () => {
    const src = Uint8Array.from({ length: 40 * 2 }, (_, i) => (i * 53) & 0xff);
    assertWithin(resizeBilinear(src, 40, 2, 1, new Uint8Array(1100 * 3), 1100, 3), refBilinear(src, 40, 2, 1, 1100, 3), 1, 'wide');
  });

  it('resize() picks the kernel by name', () => {
    const src = Uint8Array.from({ length: 6 * 6 }, (_, i) => i * 7);
    const a = resize(src, 6, 6, 1, new Uint8Array(9), 3, 3, 'area');
    const b = resize(src, 6, 6, 1, new Uint8Array(9), 3, 3, 'bilinear');
    assert.deepEqual(a, resizeArea(src, 6, 6, 1, new Uint8Array(9), 3, 3));
    assert.deepEqual(b, resizeBilinear(src, 6, 6, 1, new Uint8Array(9), 3, 3));
    assert.throws(() => resize(src, 6, 6, 1, new Uint8Array(9), 3, 3, 'cubic' as never), { code: 'INVALID_ARGUMENT' });
  });
});

describe('maxPool', () => {
  it('is the elementwise maximum, into a new array, into a given one, or in place', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }).chain((n) => fc.tuple(fc.uint8Array({ minLength: n, maxLength: n }), fc.uint8Array({ minLength: n, maxLength: n }))), ([a, b]) => {
        const expected = Uint8Array.from(a, (v, i) => Math.max(v, b[i]));
        assert.deepEqual(maxPool(a, b), expected);
        assert.deepEqual(maxPool(a, b, new Uint8Array(a.length)), expected);
        const a2 = a.slice();
        assert.deepEqual(maxPool(a2, b, a2), expected);
        const b2 = b.slice();
        assert.deepEqual(maxPool(a, b2, b2), expected);
        const same = a.slice();
        assert.deepEqual(maxPool(same, same, same), a);
      }),
    );
  });
});

describe('invalid arguments are typed errors', () => {
  const invalid = (fn: () => unknown, why: string) =>
    assert.throws(fn, (e: unknown) => e instanceof ArgumentError && e instanceof RetroError && e.code === 'INVALID_ARGUMENT', why);

  it('wrong lengths, types, sizes and overlapping memory are rejected', () => {
    const rgb = new Uint8Array(12);
    invalid(() => rgbToGray(rgb, new Uint8Array(3)), 'dst too short for src');
    invalid(() => rgbToGray(new Uint8Array(10)), 'src not a multiple of 3');
    invalid(() => rgbToGray(new Float32Array(12) as never, new Uint8Array(4)), 'float src');
    invalid(() => rgbToGray([1, 2, 3] as never, new Uint8Array(1)), 'plain array');
    const shared = new Uint8Array(16);
    invalid(() => rgbToGray(shared.subarray(0, 12), shared.subarray(8, 12)), 'dst overlapping src');

    const src = new Uint8Array(4 * 4);
    invalid(() => resizeArea(src, 4, 4, 1, new Uint8Array(5), 2, 2), 'dst length');
    invalid(() => resizeArea(src, 4, 3, 1, new Uint8Array(4), 2, 2), 'src length');
    invalid(() => resizeArea(src, 0, 4, 1, new Uint8Array(4), 2, 2), 'zero width');
    invalid(() => resizeArea(src, 4, 4, 1, new Uint8Array(0), 0, 2), 'zero output width');
    invalid(() => resizeArea(src, 4.5, 4, 1, new Uint8Array(4), 2, 2), 'fractional width');
    invalid(() => resizeArea(src, -4, -4, 1, new Uint8Array(4), 2, 2), 'negative size');
    invalid(() => resizeBilinear(new Uint8Array(5 * 4 * 4), 4, 4, 5, new Uint8Array(5 * 4), 2, 2), 'five channels');
    invalid(() => resizeBilinear(src, 4, 4, 1, src.subarray(0, 4), 2, 2), 'dst inside src');
    invalid(() => resizeArea(src, NaN, 4, 1, new Uint8Array(4), 2, 2), 'NaN');
    invalid(() => resizeArea(src, '4' as never, 4, 1, new Uint8Array(4), 2, 2), 'string size');

    invalid(() => maxPool(new Uint8Array(3), new Uint8Array(4)), 'different lengths');
    const buf = new Uint8Array(8);
    invalid(() => maxPool(buf.subarray(0, 4), new Uint8Array(4), buf.subarray(2, 6)), 'partial overlap with a');
  });

  it('accepts Buffers', () => {
    const rgb = Buffer.from([255, 255, 255]);
    assert.deepEqual([...rgbToGray(rgb)], [255]);
  });
});
