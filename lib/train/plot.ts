import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { renderAsync } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { ArgumentError } from '../errors.ts';

/** One line of a chart. Points whose step or value is null, NaN or infinite are left out. */
export interface PlotSeries {
  name: string;
  points: { step: number; value: number | null }[];
}

/** A constant drawn as a horizontal dashed line with its own legend entry, such as a random policy's mean return. */
export interface PlotBaseline {
  name: string;
  value: number;
}

/** What {@link renderLineChart} draws. */
export interface LineChartOptions {
  title: string;
  /** A line under the title, e.g. the game and seed. Replaced by "no episodes finished yet" when there is no data. */
  subtitle?: string;
  xTitle: string;
  yTitle: string;
  series: PlotSeries[];
  baselines?: PlotBaseline[];
  /** Size of the whole PNG in pixels, title and legend included. Defaults 800 × 450. */
  width?: number;
  height?: number;
  /**
   * Exponential moving average weight in [0, 1), as TensorBoard's smoothing slider (0.6 there by default). Above 0,
   * each series is drawn twice: the raw points as a faint line and the smoothed ones as a solid line over it.
   */
  smoothing?: number;
}

const EMPTY_SUBTITLE = 'no episodes finished yet';
const FONT = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';
const BASELINE_DASH = [6, 4];
const SOLID = [1, 0];

interface Row {
  name: string;
  step: number;
  value: number;
  /** 'raw' or 'smoothed': which of the two lines of a smoothed series the row belongs to. */
  layer: 'raw' | 'smoothed';
  /** The only point of its series: a line would draw nothing, so it gets a dot. */
  alone: boolean;
}

/**
 * TensorBoard's smoothing: an EMA started at zero and divided by (1 - weight^n), so the first points are not pulled
 * toward zero nor toward the first value alone.
 */
function smooth(values: number[], weight: number): number[] {
  let ema = 0;
  let debias = 1;
  return values.map((v) => {
    ema = ema * weight + (1 - weight) * v;
    debias *= weight;
    return ema / (1 - debias);
  });
}

/**
 * An explicit scale domain where Vega's own would be empty or a single value (no points, one point, one baseline),
 * which leaves an axis blank or labelled with one long number; undefined lets Vega fit the data.
 */
function domainOf(values: number[], whenEmpty: [number, number]): { domain: [number, number] } | Record<string, never> {
  if (values.length === 0) return { domain: whenEmpty };
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min < max) return {};
  const pad = Math.max(1, Math.abs(min) * 0.1);
  return { domain: [min - pad, max + pad] };
}

function validate(options: LineChartOptions): void {
  const { width = 800, height = 450, smoothing = 0 } = options;
  for (const [field, size] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(size) || size < 100 || size > 8000) {
      throw new ArgumentError('INVALID_ARGUMENT', `chart ${field} must be an integer from 100 to 8000 pixels, got ${size}`, { field });
    }
  }
  if (!(smoothing >= 0 && smoothing < 1)) {
    throw new ArgumentError('INVALID_ARGUMENT', `chart smoothing must be in [0, 1), got ${smoothing}`, { field: 'smoothing' });
  }
}

/**
 * The Vega-Lite spec {@link renderLineChart} draws: paste it into the Vega editor to restyle a chart by hand.
 * Series lines are solid and baselines dashed, under one legend.
 */
export function lineChartSpec(options: LineChartOptions): TopLevelSpec {
  validate(options);
  const { width = 800, height = 450, smoothing = 0 } = options;
  const baselines = (options.baselines ?? []).filter((b) => Number.isFinite(b.value));

  const rows: Row[] = [];
  for (const series of options.series) {
    const points = series.points
      .filter((p): p is { step: number; value: number } => Number.isFinite(p.step) && Number.isFinite(p.value))
      .sort((a, b) => a.step - b.step);
    const alone = points.length === 1;
    for (const p of points) rows.push({ name: series.name, step: p.step, value: p.value, layer: 'raw', alone });
    if (smoothing > 0) {
      const smoothed = smooth(points.map((p) => p.value), smoothing);
      points.forEach((p, i) => rows.push({ name: series.name, step: p.step, value: smoothed[i], layer: 'smoothed', alone }));
    }
  }
  const empty = rows.length === 0;
  const subtitle = empty ? EMPTY_SUBTITLE : options.subtitle;

  // Series and baselines share one legend: colour and dash are both keyed on the name, which Vega-Lite merges.
  const names = [...new Set([...options.series.map((s) => s.name), ...baselines.map((b) => b.name)])];
  const baselineNames = new Set(baselines.map((b) => b.name));
  const legendKey = {
    color: { field: 'name', type: 'nominal', title: null, scale: { domain: names } },
    strokeDash: {
      field: 'name',
      type: 'nominal',
      title: null,
      scale: { domain: names, range: names.map((n) => (baselineNames.has(n) ? BASELINE_DASH : SOLID)) },
    },
  } as const;

  const x = {
    field: 'step',
    type: 'quantitative',
    title: options.xTitle,
    scale: { zero: false, nice: true, ...domainOf(rows.map((r) => r.step), [0, 1]) },
    // Steps are whole numbers, so no fractional ticks. SI prefixes keep millions of steps short ("1.5M"); below
    // 1000 they would turn 0.5 into "500m".
    axis: { tickMinStep: 1, labelExpr: "abs(datum.value) >= 1000 ? format(datum.value, '~s') : format(datum.value, '~g')" },
  } as const;
  const y = {
    field: 'value',
    type: 'quantitative',
    title: options.yTitle,
    scale: { zero: false, nice: true, ...domainOf([...rows.map((r) => r.value), ...baselines.map((b) => b.value)], [0, 1]) },
  } as const;

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width,
    height,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 12,
    background: 'white',
    data: { values: rows },
    title: { text: options.title, ...(subtitle ? { subtitle } : {}), anchor: 'start', offset: 12 },
    config: {
      font: FONT,
      title: { fontSize: 18, fontWeight: 'bold', subtitleFontSize: 13, subtitleColor: '#555' },
      axis: {
        titleFontSize: 14,
        labelFontSize: 12,
        titleFontWeight: 'normal',
        gridColor: '#e6e6e6',
        tickColor: '#888',
        domainColor: '#888',
      },
      legend: {
        labelFontSize: 13,
        labelLimit: 0,
        // Otherwise the legend takes its opacity from the first layer, the faint raw line when smoothing.
        symbolOpacity: 1,
        symbolType: 'stroke',
        symbolStrokeWidth: 2.5,
        symbolSize: 300,
        orient: 'bottom',
        direction: 'horizontal',
      },
      view: { stroke: '#bbb' },
    },
    layer: [
      {
        transform: [{ filter: "datum.layer === 'raw'" }],
        mark: { type: 'line', strokeWidth: smoothing > 0 ? 1 : 2, opacity: smoothing > 0 ? 0.25 : 1, clip: true },
        encoding: { x, y, ...legendKey },
      },
      // Empty unless smoothing: rows of the 'smoothed' layer exist only then.
      {
        transform: [{ filter: "datum.layer === 'smoothed'" }],
        mark: { type: 'line', strokeWidth: 2.5, clip: true },
        encoding: { x, y, ...legendKey },
      },
      {
        transform: [{ filter: "datum.alone && datum.layer === 'raw'" }],
        mark: { type: 'point', filled: true, size: 60, opacity: 1 },
        encoding: { x, y, color: legendKey.color },
      },
      {
        data: { values: baselines },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { y: { field: 'value', type: 'quantitative' }, ...legendKey },
      },
    ],
  } satisfies TopLevelSpec;
}

/**
 * Draws series of (step, value) points as a PNG line chart: a Vega-Lite spec, laid out by Vega, rendered by resvg
 * with the system's fonts on a white background. Rendering runs off the main thread.
 *
 * ```ts
 * const png = await renderLineChart({
 *   title: 'Pong, PPO', xTitle: 'environment steps', yTitle: 'episode return',
 *   series: [{ name: 'return', points: [{ step: 2048, value: -21 }, { step: 4096, value: -19 }] }],
 *   baselines: [{ name: 'random policy', value: -20.7 }],
 *   smoothing: 0.6,
 * });
 * ```
 *
 * @returns the PNG file's bytes, `width` × `height` pixels.
 * @throws ArgumentError `INVALID_ARGUMENT` for a size outside 100..8000 or a smoothing outside [0, 1).
 */
export async function renderLineChart(options: LineChartOptions): Promise<Buffer> {
  const vegaSpec = compile(lineChartSpec(options)).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  // Vega's autosize 'fit' with contains 'padding' makes the SVG exactly width × height, title and legend included.
  const image = await renderAsync(svg, {
    background: 'white',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    logLevel: 'off',
  });
  return image.asPng();
}

/**
 * {@link renderLineChart} to a file, atomically: the PNG is written beside `path` and renamed over it, so a viewer
 * refreshing the file during training never sees half an image. Creates the parent directory.
 */
export async function writeLineChart(path: string, options: LineChartOptions): Promise<void> {
  const png = await renderLineChart(options);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, png);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
