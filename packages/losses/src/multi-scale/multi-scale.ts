import {
  ArgumentError,
  checkDType,
  checkOptions,
  checkShape,
  defineOp,
  resizeBilinear,
  ShapeError,
  shapeBindings,
} from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link multiScale}. */
export interface MultiScaleOptions {
  /** One finite weight `>= 0` per scale, with a positive sum. Default: all 1 (the plain mean over scales). */
  readonly weights?: readonly number[];
}

/** The per-scale loss of {@link multiScale}: the upsampled prediction `[B, H, W, C]` and the scale index. */
export type ScaleLoss = (upsampled: tf.Tensor4D, scale: number) => tf.Tensor;

const OP = 'multiScale';

const multiScaleOp = defineOp(
  OP,
  (
    predictions: readonly tf.Tensor[],
    size: readonly [number, number],
    lossFn: ScaleLoss,
    options: MultiScaleOptions | undefined,
  ): tf.Scalar => {
    checkOptions(options, ['weights'], { op: OP });
    if (!Array.isArray(predictions) || predictions.length === 0) {
      throw new ArgumentError({
        op: OP,
        argument: 'predictions',
        expected: 'a non-empty array of [B,h,w,C] tensors',
        actual: Array.isArray(predictions) ? 'an empty array' : String(predictions),
      });
    }
    const dims = shapeBindings();
    predictions.forEach((p, i) => {
      // Sizes differ between scales; B and C must agree.
      checkShape(p, ['B', null, null, 'C'], { op: OP, arg: `predictions[${i}]`, bindings: dims });
      checkDType(p, ['float32'], { op: OP, arg: `predictions[${i}]` });
    });
    if (
      !Array.isArray(size) ||
      size.length !== 2 ||
      !size.every((s) => Number.isInteger(s) && (s as number) >= 1)
    ) {
      throw new ArgumentError({
        op: OP,
        argument: 'size',
        expected: '[H, W], two positive integers',
        actual: Array.isArray(size) ? `[${size.join(',')}]` : String(size),
      });
    }
    if (typeof lossFn !== 'function') {
      throw new ArgumentError({ op: OP, argument: 'lossFn', expected: 'a function', actual: typeof lossFn });
    }
    const weights = options?.weights ?? predictions.map(() => 1);
    if (
      !Array.isArray(weights) ||
      weights.length !== predictions.length ||
      !weights.every((w) => typeof w === 'number' && Number.isFinite(w) && w >= 0) ||
      !(weights.reduce((a, b) => a + b, 0) > 0)
    ) {
      throw new ArgumentError({
        op: OP,
        argument: 'weights',
        expected: `${predictions.length} finite numbers >= 0 with a positive sum (one per scale)`,
        actual: Array.isArray(weights) ? `[${weights.join(',')}]` : String(weights),
      });
    }
    const [height, width] = size;
    const total = weights.reduce((a, b) => a + b, 0);
    let sum: tf.Tensor = tf.scalar(0);
    predictions.forEach((prediction, scale) => {
      const upsampled = resizeBilinear(prediction as tf.Tensor4D, [height, width]); // [B, H, W, C]
      const loss = lossFn(upsampled, scale);
      if (!(loss instanceof tf.Tensor) || loss.rank !== 0) {
        throw new ShapeError({
          op: OP,
          argument: 'lossFn',
          expected: 'a scalar tensor',
          actual:
            loss instanceof tf.Tensor ? `shape [${loss.shape.join(',')}] at scale ${scale}` : typeof loss,
          message: `${OP}: 'lossFn' returned ${loss instanceof tf.Tensor ? `shape [${loss.shape.join(',')}]` : typeof loss} at scale ${scale} but must return a scalar tensor (reduce it, e.g. with reduction 'mean').`,
        });
      }
      sum = tf.add(sum, tf.mul(loss, (weights[scale] as number) / total));
    });
    return sum as tf.Scalar;
  },
);

/**
 * Monodepth2's full-resolution multi-scale loss: each scale's prediction is upsampled to the input
 * resolution with bilinear interpolation, the loss is computed there, and the per-scale losses are
 * averaged with `weights`: `L = sum_s w_s lossFn(up(pred_s), s) / sum_s w_s`.
 *
 * The upsampling uses half-pixel centres (PyTorch's `F.interpolate(mode='bilinear',
 * align_corners=False)`, as Monodepth2), built from gathers with constant indices, so the gradient is
 * right (tfjs 4.22's `ResizeBilinearGrad` ignores `halfPixelCenters` on cpu and fails on wasm for
 * non-square sizes). A prediction already at `[H, W]` is passed through unchanged. With the default
 * weights the result is the mean over scales, Monodepth2's `total_loss /= num_scales`; scale-dependent
 * terms (its smoothness `1e-3 / 2^s`, computed on the native-resolution disparity) belong in `lossFn`,
 * which receives the scale index.
 *
 * @param predictions - S >= 1 float32 `[B, h_s, w_s, C]` predictions (e.g. disparities, finest first);
 *   `B` and `C` equal across scales
 * @param size - `[H, W]`, the input resolution
 * @param lossFn - `(upsampled [B, H, W, C], scale) => tf.Scalar`; it runs inside this op's tidy scope
 * @param options - `weights` (default all 1)
 * @returns a `tf.Scalar`, the weighted mean of the per-scale losses
 * @throws ShapeError when a prediction is not `[B, h, w, C]`, `B` or `C` differ between scales, or
 *   `lossFn` returns a non-scalar
 * @throws DTypeError when a prediction is not float32
 * @throws ArgumentError for an empty list, a bad `size`, a non-function `lossFn`, or bad `weights`
 * @example
 * ```ts
 * // disps: [B, H/2^s, W/2^s, 1] for s = 0..3; warp(disp) reconstructs the target from a source view.
 * const loss = multiScale(disps, [H, W], (disp) => photometricLoss(warp(disp), target));
 * ```
 * @see Godard, Mac Aodha, Firman, Brostow, "Digging Into Self-Supervised Monocular Depth Estimation" (Monodepth2), ICCV 2019, https://arxiv.org/abs/1806.01260
 */
export function multiScale(
  predictions: readonly tf.Tensor[],
  size: readonly [number, number],
  lossFn: ScaleLoss,
  options?: MultiScaleOptions,
): tf.Scalar {
  return multiScaleOp(predictions, size, lossFn, options);
}
