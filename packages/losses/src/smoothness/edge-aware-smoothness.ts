import {
  ArgumentError,
  checkBoolean,
  checkNumber,
  checkOptions,
  defineOp,
  shapeBindings,
} from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { PixelReduced, Reduction } from '../common/reduction';

import { checkMap, checkMinSize } from '../internal/image-checks';
import { checkReduction, reducePixels } from '../internal/reduce';

/** Options of {@link edgeAwareSmoothness}. */
export interface EdgeAwareSmoothnessOptions<R extends Reduction = Reduction> {
  /** `1` (default): first differences (Monodepth2); `2`: second differences (ARFlow / UnFlow style). */
  readonly order?: 1 | 2;
  /** Divide `disp` by its per-image mean (plus `1e-7`) first, as Monodepth2 does. Default `true`. */
  readonly normalize?: boolean;
  /** The edge sensitivity `lambda` in `exp(-lambda mean_c |dI|)`, `>= 0`. Default `1` (Monodepth2; ARFlow uses 10). */
  readonly edgeWeight?: number;
  /** `'mean'` (default) or `'sum'` of the per-pixel map, or `'none'` for the `[B, H, W, 1]` map. */
  readonly reduction?: R;
}

const OP = 'edgeAwareSmoothness';

/** Monodepth2's `disp.mean(2, 3) + 1e-7` floor, so zero disparity normalises to 0, not NaN. */
const NORMALIZE_EPSILON = 1e-7;

/**
 * `x[..., begin : begin + count, ...]` along `axis` (1 = rows, 2 = columns) of `[B, H, W, C]`, taken on a
 * rank-3 (`[B, H, W*C]`) or rank-2 (`[B*H, W*C]`) view: tfjs 4.22 wasm copies a rank-4 slice one pixel
 * at a time, a rank-2/3 one row at a time.
 */
function along(x: tf.Tensor4D, axis: 1 | 2, begin: number, count: number): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  if (axis === 1) {
    const rows = tf.slice(tf.reshape(x, [b, h, w * c]), [0, begin, 0], [-1, count, -1]);
    return tf.reshape(rows, [b, count, w, c]);
  }
  const columns = tf.slice(tf.reshape(x, [b * h, w * c]), [0, begin * c], [-1, count * c]);
  return tf.reshape(columns, [b, h, count, c]);
}

/** Zero padding of `[B, H, W, 1]` by `[before, after]` along `axis`, on a rank-3 view (fast on wasm). */
function padAxis(x: tf.Tensor4D, axis: 1 | 2, before: number, after: number): tf.Tensor4D {
  const [b, h, w] = x.shape;
  const padding: [number, number][] = [
    [0, 0],
    [0, 0],
    [0, 0],
  ];
  padding[axis] = [before, after];
  const padded = tf.pad(tf.reshape(x, [b, h, w]), padding);
  return tf.reshape(padded, [b, axis === 1 ? h + before + after : h, axis === 2 ? w + before + after : w, 1]);
}

/** The forward difference `x[i+1] - x[i]` along `axis`: one shorter. */
function forwardDifference(x: tf.Tensor4D, axis: 1 | 2): tf.Tensor4D {
  const n = x.shape[axis];
  return tf.sub(along(x, axis, 1, n - 1), along(x, axis, 0, n - 1));
}

/**
 * One axis' weighted penalty, placed on a full-size `[B, H, W, 1]` map and scaled by `n / (n - k)`
 * (`k` = order), so the map's mean is the mean over the `n - k` differences, as Monodepth2 and ARFlow
 * average them.
 */
function axisTerm(
  disp: tf.Tensor4D,
  image: tf.Tensor4D,
  axis: 1 | 2,
  order: 1 | 2,
  edgeWeight: number,
): tf.Tensor4D {
  const n = disp.shape[axis];
  const imageGradient = tf.mean(tf.abs(forwardDifference(image, axis)), 3, true); // [.., n-1, ..]
  const weight = tf.exp(tf.mul(imageGradient, -edgeWeight)) as tf.Tensor4D;
  let penalty: tf.Tensor4D;
  let padBefore: number;
  if (order === 1) {
    // |d(i+1) - d(i)| exp(-l mean_c |I(i+1) - I(i)|), at i = 0 .. n-2.
    penalty = tf.mul(tf.mean(tf.abs(forwardDifference(disp, axis)), 3, true), weight);
    padBefore = 0;
  } else {
    // |d(i-1) - 2 d(i) + d(i+1)| exp(-l mean_c |I(i+1) - I(i)|), at i = 1 .. n-2.
    const second = forwardDifference(forwardDifference(disp, axis), axis);
    penalty = tf.mul(tf.mean(tf.abs(second), 3, true), along(weight, axis, 1, n - 2));
    padBefore = 1;
  }
  return tf.mul(padAxis(penalty, axis, padBefore, order - padBefore), n / (n - order)) as tf.Tensor4D;
}

const edgeAwareSmoothnessOp = defineOp(
  OP,
  (disp: tf.Tensor, image: tf.Tensor, options: EdgeAwareSmoothnessOptions | undefined) => {
    checkOptions(options, ['order', 'normalize', 'edgeWeight', 'reduction'], { op: OP });
    const { order = 1, normalize = true, edgeWeight = 1, reduction = 'mean' } = options ?? {};
    const dims = shapeBindings();
    checkMap(disp, { op: OP, arg: 'disp', bindings: dims, channels: 'K' });
    checkMap(image, { op: OP, arg: 'image', bindings: dims });
    if (order !== 1 && order !== 2) {
      throw new ArgumentError({ op: OP, argument: 'order', expected: '1 or 2', actual: String(order) });
    }
    checkBoolean(normalize, { op: OP, arg: 'normalize' });
    checkNumber(edgeWeight, { op: OP, arg: 'edgeWeight', min: 0 });
    checkMinSize(OP, 'disp', disp, order + 1, `order ${order} differences along both axes`);
    checkReduction(OP, reduction);

    const field = normalize
      ? (tf.div(disp, tf.add(tf.mean(disp, [1, 2, 3], true), NORMALIZE_EPSILON)) as tf.Tensor4D)
      : disp;
    const map = tf.add(
      axisTerm(field, image, 2, order, edgeWeight),
      axisTerm(field, image, 1, order, edgeWeight),
    ) as tf.Tensor4D; // [B, H, W, 1]
    return reducePixels(map, reduction);
  },
);

/**
 * Edge-aware smoothness of a disparity (or any `[B, H, W, K]` field such as flow): differences of the
 * field are penalised, less where the image has edges.
 *
 * With `d = disp / (mean_{H,W,K}(disp) + 1e-7)` per image when `normalize` (else `disp`),
 * `w_x(i) = exp(-lambda mean_c |I(i+1) - I(i)|)` along x (`w_y` likewise) and `mean_K` over the field's
 * channels:
 * - `order: 1` (Monodepth2's `get_smooth_loss`):
 *   `L = mean_x( |d(x+1) - d(x)| w_x(x) ) + mean_y( |d(y+1) - d(y)| w_y(y) )`;
 * - `order: 2` (second differences, as ARFlow's `smooth_grad_2nd` with UnFlow's second-order stencil
 *   `[1, -2, 1]` along each axis): `L = mean_x( |d(x-1) - 2 d(x) + d(x+1)| w_x(x) ) + mean_y(...)`,
 *   the weight taken at the forward image difference of the centre pixel. ARFlow halves this sum
 *   and uses `lambda = 10`.
 *
 * Each mean runs over the positions where its difference exists (`W - order` columns, `H - order`
 * rows). The `'none'` map holds each pixel's x and y terms (0 where the difference does not exist),
 * scaled by `W / (W - order)` and `H / (H - order)`, so that `'mean'` is exactly the mean of the map and
 * equals the formula above. Zero disparity gives 0 with zero gradient (no NaN).
 *
 * @param disp - float32 `[B, H, W, K]` (Monodepth2: `K = 1` disparity), `H, W >= order + 1`
 * @param image - float32 `[B, H, W, C]` in [0, 1], the image the field belongs to
 * @param options - `order` (1), `normalize` (true), `edgeWeight` (1), `reduction` (`'mean'`)
 * @returns a `tf.Scalar`, or for `'none'` the `[B, H, W, 1]` per-pixel penalty
 * @throws ShapeError when `disp` or `image` is not `[B, H, W, *]`, their `B, H, W` differ, or the map is too small
 * @throws DTypeError when an input is not float32
 * @throws ArgumentError for an `order` other than 1 or 2, a non-boolean `normalize`, a negative
 *   `edgeWeight`, or an unknown `reduction`
 * @example
 * ```ts
 * const disp = depthNet.predict(target); // [B, H, W, 1]
 * // Monodepth2: 1e-3 / 2^scale times this, per scale.
 * const smooth = edgeAwareSmoothness(disp, target); // tf.Scalar
 * const flowSmooth = edgeAwareSmoothness(flow, frame1, { order: 2, normalize: false, edgeWeight: 10 });
 * ```
 * @see Godard, Mac Aodha, Firman, Brostow, "Digging Into Self-Supervised Monocular Depth Estimation" (Monodepth2), ICCV 2019, https://arxiv.org/abs/1806.01260
 * @see Meister, Hur, Roth, "UnFlow", AAAI 2018, https://arxiv.org/abs/1711.07837
 * @see Liu et al., "Learning by Analogy: Reliable Supervision from Transformations for Unsupervised Optical Flow Estimation" (ARFlow), CVPR 2020, https://arxiv.org/abs/2003.13045
 */
export function edgeAwareSmoothness<R extends Reduction = 'mean'>(
  disp: tf.Tensor,
  image: tf.Tensor,
  options?: EdgeAwareSmoothnessOptions<R>,
): PixelReduced<R> {
  return edgeAwareSmoothnessOp(disp, image, options) as PixelReduced<R>;
}
