import { createKey, foldIn, normalValues } from '@genoise/core';
import { type SyntheticFlow, syntheticFlow } from '@genoise/data';
import { flowToColor, type MaskAgreement, maskAgreement } from '@genoise/eval';
import { forwardBackwardOcclusion } from '@genoise/warp';
import * as tf from '@tensorflow/tfjs-core';

/** What the flow view shows: synthetic pairs of this size from this seed. */
export interface FlowViewSettings {
  readonly height: number;
  readonly width: number;
  readonly pairs: number;
  readonly seed: number;
}

export const DEFAULT_FLOW_VIEW: FlowViewSettings = { height: 64, width: 128, pairs: 4, seed: 0 };

/** Synthetic flow pair `index` of `@genoise/data` (two independently moving objects), from `foldIn(createKey(seed), index)`. */
export function flowPair(settings: FlowViewSettings, index: number): SyntheticFlow {
  return syntheticFlow(foldIn(createKey(settings.seed), index), {
    height: settings.height,
    width: settings.width,
    objects: 6,
    movingObjects: 2,
  });
}

/** All `settings.pairs` pairs ({@link flowPair}). */
export function flowPairs(settings: FlowViewSettings): SyntheticFlow[] {
  return Array.from({ length: settings.pairs }, (_, i) => flowPair(settings, i));
}

/**
 * The backward flow (frame 2 -> frame 1) from the forward flow, by z-buffered splatting: every frame-1
 * pixel is carried to `x + flow(x)` and spreads `-flow(x)` to the four pixels around it with bilinear
 * weights; where several surfaces land on one frame-2 pixel, only those within `tolerance` (relative) of
 * the nearest frame-1 depth count (the nearer surface hides the others). Frame-2 pixels no frame-1 pixel
 * reaches (surfaces disoccluded in frame 2) are filled from their neighbours. It uses the forward flow and
 * frame 1's depth only, never the occlusion map, so the forward-backward check that reads it is a fair
 * test against the true occlusion. (`@genoise/data` renders the forward flow only; an exact backward
 * flow needs the renderer.)
 *
 * @param flow - `[H, W, 2]` forward flow, pixels
 * @param depth - `[H, W]` frame-1 depth
 * @returns `[H, W, 2]` backward flow
 */
export function splatBackwardFlow(
  flow: Float32Array,
  depth: Float32Array,
  height: number,
  width: number,
  tolerance = 0.03,
): Float32Array {
  const n = height * width;
  const nearest = new Float32Array(n).fill(Number.POSITIVE_INFINITY);
  const visit = (apply: (target: number, weight: number, source: number) => void) => {
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const source = y * width + x;
        const u = flow[2 * source]!;
        const v = flow[2 * source + 1]!;
        if (!Number.isFinite(u) || !Number.isFinite(v) || !(depth[source]! > 0)) continue;
        const tx = x + u;
        const ty = y + v;
        const x0 = Math.floor(tx);
        const y0 = Math.floor(ty);
        for (const [xx, yy, w] of [
          [x0, y0, (1 - (tx - x0)) * (1 - (ty - y0))],
          [x0 + 1, y0, (tx - x0) * (1 - (ty - y0))],
          [x0, y0 + 1, (1 - (tx - x0)) * (ty - y0)],
          [x0 + 1, y0 + 1, (tx - x0) * (ty - y0)],
        ] as const) {
          if (xx < 0 || yy < 0 || xx >= width || yy >= height || w <= 1e-6) continue;
          apply(yy * width + xx, w, source);
        }
      }
  };
  visit((target, _, source) => {
    nearest[target] = Math.min(nearest[target]!, depth[source]!);
  });
  const sum = new Float64Array(2 * n);
  const weight = new Float64Array(n);
  visit((target, w, source) => {
    if (depth[source]! > nearest[target]! * (1 + tolerance)) return;
    sum[2 * target] = sum[2 * target]! - w * flow[2 * source]!;
    sum[2 * target + 1] = sum[2 * target + 1]! - w * flow[2 * source + 1]!;
    weight[target] = weight[target]! + w;
  });
  const out = new Float32Array(2 * n);
  let filled = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (weight[i]! > 0) {
      out[2 * i] = sum[2 * i]! / weight[i]!;
      out[2 * i + 1] = sum[2 * i + 1]! / weight[i]!;
      filled[i] = 1;
    }
  }
  // Holes take the mean of their filled 8-neighbours, growing inwards until none is left.
  for (let round = 0; round < height + width; round++) {
    const next = Uint8Array.from(filled);
    let missing = 0;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (filled[i]) continue;
        let count = 0;
        let su = 0;
        let sv = 0;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            const yy = y + dy;
            if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
            const j = yy * width + xx;
            if (!filled[j]) continue;
            su += out[2 * j]!;
            sv += out[2 * j + 1]!;
            count++;
          }
        if (count === 0) {
          missing++;
          continue;
        }
        out[2 * i] = su / count;
        out[2 * i + 1] = sv / count;
        next[i] = 1;
      }
    filled = next;
    if (missing === 0) break;
  }
  return out;
}

/**
 * 1 where the forward flow carries the pixel into frame 2's image (`x + u` in `[0, W-1]`, `y + v` in
 * `[0, H-1]`), 0 where it leaves the view: the forward-backward check cannot see those (the backward
 * flow is sampled with border padding), so UnFlow masks them separately.
 */
export function inViewMask(flow: ArrayLike<number>, height: number, width: number): Float32Array {
  const out = new Float32Array(height * width);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const tx = x + flow[2 * i]!;
      const ty = y + flow[2 * i + 1]!;
      out[i] = tx >= 0 && tx <= width - 1 && ty >= 0 && ty <= height - 1 ? 1 : 0;
    }
  return out;
}

/** The knobs of the forward-backward check the page exposes. */
export interface FlowCheckSettings {
  /** UnFlow's relative tolerance (default 0.01). */
  readonly alpha1: number;
  /** UnFlow's absolute tolerance in squared pixels (default 0.5). */
  readonly alpha2: number;
  /** Standard deviation, in pixels, of Gaussian noise added to both flows (an imperfect estimate), keyed. */
  readonly noise: number;
  readonly noiseSeed: number;
}

export const DEFAULT_FLOW_CHECK: FlowCheckSettings = { alpha1: 0.01, alpha2: 0.5, noise: 0, noiseSeed: 0 };

/** What the flow view draws for one pair. */
export interface FlowCheck {
  /** `[H, W, 2]` the forward and backward flows the check read (noise included). */
  readonly forward: Float32Array;
  readonly backward: Float32Array;
  /** `[H, W]` 1 where `forwardBackwardOcclusion` marks the pixel occluded. */
  readonly mask: Float32Array;
  /** `[H, W]` 1 where the true flow stays in view ({@link inViewMask}). */
  readonly inView: Float32Array;
  /** Against the renderer's occlusion map, over all pixels (`@genoise/eval`'s `maskAgreement`). */
  readonly agreement: MaskAgreement;
  /** The same over the pixels whose true flow stays in view (occlusion by other surfaces only); undefined when none does. */
  readonly inViewAgreement: MaskAgreement | undefined;
}

/**
 * UnFlow's forward-backward check (`@genoise/warp`'s `forwardBackwardOcclusion`) on a pair's forward
 * flow and its splatted backward flow ({@link splatBackwardFlow}), with optional keyed noise on both, and
 * its agreement with the renderer's occlusion map.
 */
export async function checkFlowPair(
  pair: SyntheticFlow,
  backward: Float32Array,
  settings: FlowCheckSettings = DEFAULT_FLOW_CHECK,
): Promise<FlowCheck> {
  const { height, width } = pair;
  const size = height * width * 2;
  const noisy = (values: Float32Array, stream: number) => {
    if (settings.noise <= 0) return values;
    const z = normalValues(foldIn(createKey(settings.noiseSeed), stream), size, 0, settings.noise);
    return Float32Array.from(values, (v, i) => v + z[i]!);
  };
  const forward = noisy(pair.flow, 0);
  const back = noisy(backward, 1);
  const shape: [number, number, number, number] = [1, height, width, 1];
  const inView = inViewMask(pair.flow, height, width);
  const mask = tf.tidy(() =>
    forwardBackwardOcclusion(
      tf.tensor4d(forward, [1, height, width, 2]),
      tf.tensor4d(back, [1, height, width, 2]),
      { alpha1: settings.alpha1, alpha2: settings.alpha2 },
    ),
  );
  const truth = tf.tensor4d(pair.occlusion, shape);
  const valid = tf.tensor4d(inView, shape);
  try {
    const [values, agreement, inViewAgreement] = await Promise.all([
      mask.data() as Promise<Float32Array>,
      maskAgreement(mask, truth),
      inView.some((v) => v === 1) ? maskAgreement(mask, truth, { valid }) : undefined,
    ]);
    return { forward, backward: back, mask: values, inView, agreement, inViewAgreement };
  } finally {
    tf.dispose([mask, truth, valid]);
  }
}

/** The largest finite flow length in a `[H, W, 2]` map (1 when all are zero): one colour scale for several maps. */
export function maxFlowMagnitude(flow: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i + 1 < flow.length; i += 2) {
    const m = Math.hypot(flow[i]!, flow[i + 1]!);
    if (Number.isFinite(m) && m > max) max = m;
  }
  return max > 0 ? max : 1;
}

/**
 * RGBA bytes of a predicted occlusion mask over the true one: white where both mark the pixel, orange
 * where only the prediction does (a false alarm), blue where only the truth does (missed), dark where
 * neither; pixels outside `inView` (when given) are faded towards grey.
 *
 * @param mask - `[H, W]` predicted, set above 0.5
 * @param truth - `[H, W]` true, set above 0.5
 * @param inView - `[H, W]` 1 where the pixel's flow stays in view ({@link inViewMask}); default all
 */
export function maskComparisonRgba(
  mask: ArrayLike<number>,
  truth: ArrayLike<number>,
  inView?: ArrayLike<number>,
): Uint8ClampedArray {
  const out = new Uint8ClampedArray(mask.length * 4);
  for (let i = 0; i < mask.length; i++) {
    const p = mask[i]! > 0.5;
    const t = truth[i]! > 0.5;
    let rgb: [number, number, number] =
      p && t ? [255, 255, 255] : p ? [247, 103, 7] : t ? [28, 126, 214] : [33, 37, 41];
    if (inView !== undefined && inView[i]! < 0.5)
      rgb = rgb.map((v) => Math.round(0.45 * v + 0.55 * 134)) as [number, number, number];
    out.set([...rgb, 255], 4 * i);
  }
  return out;
}

/** RGBA bytes of a `[H, W, 2]` flow through `@genoise/eval`'s `flowToColor` (Middlebury wheel), saturated at `maxMagnitude` px. */
export async function flowImage(
  flow: Float32Array,
  height: number,
  width: number,
  maxMagnitude: number,
): Promise<Uint8ClampedArray> {
  const rgb = tf.tidy(() => flowToColor(tf.tensor4d(flow, [1, height, width, 2]), { maxMagnitude }));
  const values = await rgb.data();
  rgb.dispose();
  const out = new Uint8ClampedArray(height * width * 4);
  for (let p = 0; p < height * width; p++) {
    for (let c = 0; c < 3; c++) out[4 * p + c] = Math.round(255 * values[3 * p + c]!);
    out[4 * p + 3] = 255;
  }
  return out;
}

/** RGBA bytes of the colour wheel itself, `size` x `size` (white outside the unit disc): the key to the flow colours. */
export async function flowWheelImage(size: number): Promise<Uint8ClampedArray> {
  const flow = new Float32Array(size * size * 2);
  const centre = (size - 1) / 2;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      flow[2 * (y * size + x)] = (x - centre) / centre;
      flow[2 * (y * size + x) + 1] = (y - centre) / centre;
    }
  const rgba = await flowImage(flow, size, size, 1);
  for (let p = 0; p < size * size; p++)
    if (Math.hypot(flow[2 * p]!, flow[2 * p + 1]!) > 1) rgba.fill(255, 4 * p, 4 * p + 3);
  return rgba;
}
