/**
 * The optical-flow colour wheel of the Middlebury benchmark (Baker et al. 2011, `flowToColor` in their
 * `colorcode.cpp`): hue is the direction of (u, v), saturation the magnitude over the largest one shown.
 * The wheel has 55 colours in six arcs (red-yellow 15, yellow-green 6, green-cyan 4, cyan-blue 11,
 * blue-magenta 13, magenta-red 6), interpolated linearly; a flow of zero is white and a flow at the
 * largest magnitude the wheel's full colour. The studio's own small copy for drawing; the page switches
 * to `@genoise/eval`'s when that package exports one.
 */
const ARCS: readonly (readonly [number, (t: number) => [number, number, number]])[] = [
  [15, (t) => [255, 255 * t, 0]], // red -> yellow
  [6, (t) => [255 - 255 * t, 255, 0]], // yellow -> green
  [4, (t) => [0, 255, 255 * t]], // green -> cyan
  [11, (t) => [0, 255 - 255 * t, 255]], // cyan -> blue
  [13, (t) => [255 * t, 0, 255]], // blue -> magenta
  [6, (t) => [255, 0, 255 - 255 * t]], // magenta -> red
];

/** The 55 wheel colours, `[r, g, b]` in [0, 255]. */
export const FLOW_WHEEL: readonly (readonly [number, number, number])[] = ARCS.flatMap(([n, colour]) =>
  Array.from({ length: n }, (_, i) => colour(i / n)),
);

/**
 * The colour of one flow vector, `[r, g, b]` bytes: `rad = |(u, v)| / maxMagnitude`, angle
 * `atan2(-v, -u) / pi` picks a wheel position; inside the unit disc the colour fades to white towards
 * zero flow (`1 - rad (1 - c)`), beyond it is darkened (`0.75 c`), as the Middlebury code does.
 */
export function flowColor(u: number, v: number, maxMagnitude: number): [number, number, number] {
  if (!Number.isFinite(u) || !Number.isFinite(v)) return [0, 0, 0];
  const scale = maxMagnitude > 0 ? maxMagnitude : 1;
  const [x, y] = [u / scale, v / scale];
  const rad = Math.sqrt(x * x + y * y);
  const n = FLOW_WHEEL.length;
  const a = Math.atan2(-y, -x) / Math.PI; // (-1, 1]
  const fk = ((a + 1) / 2) * (n - 1); // 0 .. n-1
  const k0 = Math.floor(fk);
  const k1 = (k0 + 1) % n;
  const f = fk - k0;
  const out: [number, number, number] = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    const col = ((1 - f) * FLOW_WHEEL[k0]![c]! + f * FLOW_WHEEL[k1]![c]!) / 255;
    const shaded = rad <= 1 ? 1 - rad * (1 - col) : col * 0.75;
    out[c] = Math.round(255 * shaded);
  }
  return out;
}

/** The largest finite flow magnitude in a `[H, W, 2]` map (1 when all are zero), to scale the wheel. */
export function maxFlowMagnitude(flow: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i + 1 < flow.length; i += 2) {
    const m = Math.hypot(flow[i]!, flow[i + 1]!);
    if (Number.isFinite(m) && m > max) max = m;
  }
  return max > 0 ? max : 1;
}

/** RGBA bytes of a `[H, W, 2]` flow map through the colour wheel. */
export function flowToRgba(
  flow: ArrayLike<number>,
  maxMagnitude = maxFlowMagnitude(flow),
): Uint8ClampedArray {
  const pixels = flow.length / 2;
  const out = new Uint8ClampedArray(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    const [r, g, b] = flowColor(flow[2 * p]!, flow[2 * p + 1]!, maxMagnitude);
    out[4 * p] = r;
    out[4 * p + 1] = g;
    out[4 * p + 2] = b;
    out[4 * p + 3] = 255;
  }
  return out;
}

/** RGBA bytes of the wheel itself, `size` x `size`: the key that says which colour is which direction. */
export function flowWheelRgba(size: number): Uint8ClampedArray {
  const flow = new Float32Array(size * size * 2);
  const centre = (size - 1) / 2;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      flow[2 * (y * size + x)] = (x - centre) / centre;
      flow[2 * (y * size + x) + 1] = (y - centre) / centre;
    }
  const rgba = flowToRgba(flow, 1);
  for (let p = 0; p < size * size; p++) {
    if (Math.hypot(flow[2 * p]!, flow[2 * p + 1]!) > 1) rgba.fill(255, 4 * p, 4 * p + 3); // white outside
  }
  return rgba;
}
