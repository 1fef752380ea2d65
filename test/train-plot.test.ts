import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { lineChartSpec, renderLineChart, writeLineChart } from '../lib/train/plot.ts';
import type { LineChartOptions } from '../lib/train/plot.ts';

const root = mkdtempSync(join(tmpdir(), 'plot-test-'));
after(() => rmSync(root, { recursive: true, force: true }));

const learningCurve = Array.from({ length: 50 }, (_, i) => ({ step: (i + 1) * 2048, value: -21 + i * 0.6 + (i % 3) - 1 }));
const base: LineChartOptions = { title: 'Pong, PPO', xTitle: 'environment steps', yTitle: 'episode return', series: [] };

function decode(png: Buffer): PNG {
  return PNG.sync.read(png);
}

function distinctColours(png: PNG): number {
  const seen = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4) seen.add(png.data.readUInt32BE(i));
  return seen.size;
}

/** The series' data rows of the spec. */
function rows(options: LineChartOptions): Record<string, unknown>[] {
  return (lineChartSpec(options) as unknown as { data: { values: Record<string, unknown>[] } }).data.values;
}

describe('renderLineChart', () => {
  it('renders a PNG of the requested size with a white background and drawn content', async () => {
    for (const [width, height] of [
      [undefined, undefined],
      [333, 217],
    ]) {
      const png = decode(await renderLineChart({ ...base, series: [{ name: 'return', points: learningCurve }], width, height }));
      assert.deepEqual([png.width, png.height], [width ?? 800, height ?? 450]);
      assert.equal(png.data.readUInt32BE(0), 0xffffffff, 'top-left pixel is opaque white');
      assert.ok(distinctColours(png) > 20, 'lines, text and antialiasing give many colours');
    }
  });

  it('draws different series differently', async () => {
    const a = await renderLineChart({ ...base, series: [{ name: 'return', points: learningCurve }] });
    const b = await renderLineChart({ ...base, series: [{ name: 'return', points: learningCurve.map((p) => ({ ...p, value: -p.value })) }] });
    assert.notDeepEqual(decode(a).data, decode(b).data);
  });

  it('renders a chart saying no episodes finished when there is no data', async () => {
    for (const series of [[], [{ name: 'return', points: [] }], [{ name: 'return', points: [{ step: 1, value: null }] }]]) {
      const options = { ...base, series, baselines: [{ name: 'random policy baseline', value: -20.3 }] };
      const spec = lineChartSpec(options) as { title: { subtitle?: string } };
      assert.equal(spec.title.subtitle, 'no episodes finished yet');
      const png = decode(await renderLineChart(options));
      assert.deepEqual([png.width, png.height], [800, 450]);
      assert.ok(distinctColours(png) > 20);
    }
    assert.equal((lineChartSpec({ ...base, subtitle: 'seed 1', series: [{ name: 'r', points: learningCurve }] }) as { title: { subtitle?: string } }).title.subtitle, 'seed 1');
  });

  it('drops null and non-finite points and dots a series of one point', async () => {
    const options: LineChartOptions = {
      ...base,
      series: [
        { name: 'return', points: [{ step: 1, value: 2 }, { step: 2, value: null }, { step: 3, value: NaN }, { step: Infinity, value: 1 }, { step: 4, value: 3 }] },
        { name: 'lone', points: [{ step: 2, value: 5 }] },
      ],
    };
    const data = rows(options);
    assert.deepEqual(
      data.map((r) => [r.name, r.step, r.value]),
      [
        ['return', 1, 2],
        ['return', 4, 3],
        ['lone', 2, 5],
      ],
    );
    assert.deepEqual(
      data.filter((r) => r.alone).map((r) => r.name),
      ['lone'],
    );
    const png = decode(await renderLineChart({ ...options, series: [options.series[1]] }));
    assert.ok(distinctColours(png) > 20);
  });

  it('smooths with a debiased EMA drawn over the raw line', async () => {
    const points = [
      { step: 3, value: 4 },
      { step: 1, value: 0 },
      { step: 2, value: 2 },
    ];
    const smoothed = rows({ ...base, series: [{ name: 'r', points }], smoothing: 0.5 }).filter((r) => r.layer === 'smoothed').map((r) => r.value);
    // Sorted by step, 0, 2, 4: ema 0, 1, 2.5 divided by 1 - 0.5^n (0.5, 0.75, 0.875).
    assert.deepEqual(smoothed, [0, 1 / 0.75, 2.5 / 0.875]);
    const raw = await renderLineChart({ ...base, series: [{ name: 'return', points: learningCurve }] });
    const withEma = await renderLineChart({ ...base, series: [{ name: 'return', points: learningCurve }], smoothing: 0.8 });
    assert.notDeepEqual(decode(raw).data, decode(withEma).data);
  });

  it('draws baselines dashed under the same legend as the series', async () => {
    const options = { ...base, series: [{ name: 'return', points: learningCurve }], baselines: [{ name: 'random policy baseline', value: -20.3 }] };
    const spec = lineChartSpec(options) as unknown as { layer: { mark: { type: string }; encoding: { strokeDash?: { scale: { domain: string[]; range: number[][] } } } }[] };
    const rule = spec.layer.find((l) => l.mark.type === 'rule');
    assert.deepEqual(rule?.encoding.strokeDash?.scale.domain, ['return', 'random policy baseline']);
    assert.deepEqual(rule?.encoding.strokeDash?.scale.range, [
      [1, 0],
      [6, 4],
    ]);
    const without = await renderLineChart({ ...options, baselines: [] });
    assert.notDeepEqual(decode(await renderLineChart(options)).data, decode(without).data);
  });

  it('rejects a smoothing outside [0, 1) and sizes out of range', async () => {
    for (const bad of [{ smoothing: 1 }, { smoothing: -0.1 }, { smoothing: NaN }, { width: 10 }, { height: 100.5 }]) {
      await assert.rejects(renderLineChart({ ...base, ...bad }), { code: 'INVALID_ARGUMENT' });
    }
  });
});

describe('writeLineChart', () => {
  it('writes the PNG atomically, creating the directory and leaving no temporary file', async () => {
    const dir = join(root, 'nested', 'charts');
    const path = join(dir, 'return.png');
    await writeLineChart(path, { ...base, series: [{ name: 'return', points: learningCurve }] });
    await writeLineChart(path, { ...base, series: [{ name: 'return', points: learningCurve.slice(0, 10) }] });
    assert.deepEqual(readdirSync(dir), ['return.png']);
    const png = decode(readFileSync(path));
    assert.deepEqual([png.width, png.height], [800, 450]);
  });
});
