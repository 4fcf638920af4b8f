/** Matplotlib's tab10, one colour per Fashion-MNIST class. */
export const CLASS_COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
] as const;

/** Maps `[N, 2]` points into a `size` x `size` box with a margin; returns pixel positions `[N, 2]`. */
export function fitPoints(points: Float32Array, size: number, margin = 12): Float32Array {
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < points.length; i += 2) {
    minX = Math.min(minX, points[i]!);
    maxX = Math.max(maxX, points[i]!);
    minY = Math.min(minY, points[i + 1]!);
    maxY = Math.max(maxY, points[i + 1]!);
  }
  const span = Math.max(maxX - minX, maxY - minY, 1e-9);
  const scale = (size - 2 * margin) / span;
  const offsetX = (size - (maxX - minX) * scale) / 2;
  const offsetY = (size - (maxY - minY) * scale) / 2;
  const out = new Float32Array(points.length);
  for (let i = 0; i < points.length; i += 2) {
    out[i] = offsetX + (points[i]! - minX) * scale;
    out[i + 1] = size - (offsetY + (points[i + 1]! - minY) * scale); // y up
  }
  return out;
}

/** Index of the point nearest to `(x, y)`, or -1 for no points. */
export function nearestPoint(pixels: Float32Array, x: number, y: number): number {
  let best = -1;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let i = 0; i < pixels.length / 2; i++) {
    const d = (pixels[2 * i]! - x) ** 2 + (pixels[2 * i + 1]! - y) ** 2;
    if (d < bestDistance) {
      bestDistance = d;
      best = i;
    }
  }
  return best;
}

/** An SVG polyline path for a series, with the y range padded; `smooth` is an exponential moving average. */
export function linePath(values: readonly number[], width: number, height: number, smooth = 0): string {
  if (values.length === 0) return '';
  const series: number[] = [];
  let ema = values[0]!;
  for (const v of values) {
    ema = smooth * ema + (1 - smooth) * v;
    series.push(ema);
  }
  const min = Math.min(...series);
  const max = Math.max(...series);
  const span = max - min || 1;
  const step = series.length > 1 ? width / (series.length - 1) : 0;
  return series
    .map(
      (v, i) =>
        `${i === 0 ? 'M' : 'L'}${(i * step).toFixed(1)},${(height - 4 - ((v - min) / span) * (height - 8)).toFixed(1)}`,
    )
    .join(' ');
}
