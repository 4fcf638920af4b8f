import {
  ArgumentError,
  checkNumber,
  checkOneOf,
  checkOptions,
  defineOp,
  ShapeError,
  shapeBindings,
} from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

import { checkMap } from '../internal/image-checks';
import { splitMoments, ssimFromMoments, stackMoments } from '../internal/ssim-map';

/** What {@link ssim} returns: the mean SSIM per image, or the SSIM map. */
export type SSIMOutput = 'mean' | 'map';

/** Options of {@link ssim}. */
export interface SSIMOptions<O extends SSIMOutput = SSIMOutput> {
  /** Side of the square Gaussian window, an odd integer >= 1. Default `11`. */
  readonly windowSize?: number;
  /** Standard deviation of the Gaussian window, in pixels, `> 0`. Default `1.5`. */
  readonly sigma?: number;
  /** The dynamic range `L` of the pixel values. Default `1` (images in [0, 1]; use 255 for 8-bit values). */
  readonly dataRange?: number;
  /** `K1` in `C1 = (K1 L)^2`. Default `0.01`. */
  readonly k1?: number;
  /** `K2` in `C2 = (K2 L)^2`. Default `0.03`. */
  readonly k2?: number;
  /** `'mean'` (default): the mean SSIM per image, `[B]`; `'map'`: the `[B, H-w+1, W-w+1, C]` map. */
  readonly output?: O;
}

/** The tensor {@link ssim} returns for an {@link SSIMOutput}. */
export type SSIMResult<O extends SSIMOutput> = O extends 'map' ? tf.Tensor4D : tf.Tensor1D;

const OP = 'ssim';

/** The normalised 1-D Gaussian `g_i ~ exp(-(i - r)^2 / (2 sigma^2))`, `i = 0 .. size-1`, `r = (size-1)/2`. */
export function gaussianWindow(size: number, sigma: number): Float32Array {
  const radius = (size - 1) / 2;
  const weights = Array.from({ length: size }, (_, i) =>
    Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)),
  );
  const total = weights.reduce((a, b) => a + b, 0);
  return Float32Array.from(weights, (w) => w / total);
}

const ssimOp = defineOp(OP, (x: tf.Tensor, y: tf.Tensor, options: SSIMOptions | undefined) => {
  checkOptions(options, ['windowSize', 'sigma', 'dataRange', 'k1', 'k2', 'output'], { op: OP });
  const {
    windowSize = 11,
    sigma = 1.5,
    dataRange = 1,
    k1 = 0.01,
    k2 = 0.03,
    output = 'mean',
  } = options ?? {};
  const dims = shapeBindings();
  checkMap(x, { op: OP, arg: 'x', bindings: dims });
  checkMap(y, { op: OP, arg: 'y', bindings: dims });
  if (!Number.isInteger(windowSize) || windowSize < 1 || windowSize % 2 === 0) {
    throw new ArgumentError({
      op: OP,
      argument: 'windowSize',
      expected: 'an odd integer >= 1',
      actual: String(windowSize),
    });
  }
  checkNumber(sigma, { op: OP, arg: 'sigma', min: 0, exclusiveMin: true });
  checkNumber(dataRange, { op: OP, arg: 'dataRange', min: 0, exclusiveMin: true });
  checkNumber(k1, { op: OP, arg: 'k1', min: 0, exclusiveMin: true });
  checkNumber(k2, { op: OP, arg: 'k2', min: 0, exclusiveMin: true });
  checkOneOf(output, ['mean', 'map'], { op: OP, arg: 'output' });
  const [, height, width, channels] = x.shape as [number, number, number, number];
  if (height < windowSize || width < windowSize) {
    throw new ShapeError({
      op: OP,
      argument: 'x',
      expected: `H >= ${windowSize} and W >= ${windowSize}`,
      actual: `[${x.shape.join(',')}]`,
      message: `${OP}: 'x' has shape [${x.shape.join(',')}] but H and W must be at least windowSize = ${windowSize} (the window is applied without padding).`,
    });
  }

  // The separable Gaussian window as two depthwise passes, 'valid': [5B, H-w+1, W-w+1, C].
  const stacked = stackMoments(x, y); // [5B, H, W, C]
  const g = gaussianWindow(windowSize, sigma);
  const depth = channels;
  const tiled = new Float32Array(windowSize * depth);
  for (let i = 0; i < windowSize; i++) tiled.fill(g[i] as number, i * depth, (i + 1) * depth);
  const rowFilter = tf.tensor4d(tiled, [1, windowSize, depth, 1]);
  const columnFilter = tf.tensor4d(tiled, [windowSize, 1, depth, 1]);
  const filtered = tf.depthwiseConv2d(
    tf.depthwiseConv2d(stacked, rowFilter, 1, 'valid'),
    columnFilter,
    1,
    'valid',
  );
  const [muX, muY, xx, yy, xy] = splitMoments(filtered) as [
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
  ];
  const map = ssimFromMoments(muX, muY, xx, yy, xy, (k1 * dataRange) ** 2, (k2 * dataRange) ** 2);
  return output === 'map' ? map : tf.mean(map, [1, 2, 3]);
});

/**
 * The structural similarity index (SSIM) of Wang et al. 2004 with a Gaussian window, as
 * `skimage.metrics.structural_similarity(gaussian_weights=True)`, `tf.image.ssim` and `pytorch_msssim`
 * compute it: a similarity in [-1, 1], 1 for identical images (not a loss; `ssimLoss` is the training loss).
 *
 * With `w` the normalised `windowSize x windowSize` Gaussian (`sigma`), applied without padding,
 * `mu_x = w * x`, `s_x = w * x^2 - mu_x^2`, `s_xy = w * (xy) - mu_x mu_y` and
 * `SSIM = ((2 mu_x mu_y + C1)(2 s_xy + C2)) / ((mu_x^2 + mu_y^2 + C1)(s_x + s_y + C2))`,
 * `C1 = (k1 L)^2`, `C2 = (k2 L)^2`. Channels are treated independently.
 *
 * @param x - float32 `[B, H, W, C]` images, `H, W >= windowSize`
 * @param y - float32 `[B, H, W, C]`, the same shape
 * @param options - `windowSize` (11), `sigma` (1.5), `dataRange` (1), `k1` (0.01), `k2` (0.03),
 *   `output` (`'mean'`)
 * @returns for `'mean'`, `[B]`: the SSIM map averaged over its valid pixels and channels per image;
 *   for `'map'`, the `[B, H-windowSize+1, W-windowSize+1, C]` map over the valid window positions
 * @throws ShapeError when an input is not `[B, H, W, C]`, the shapes differ, or an image is smaller than the window
 * @throws DTypeError when an input is not float32
 * @throws ArgumentError for an even or non-integer `windowSize`, a non-positive `sigma`, `dataRange`,
 *   `k1` or `k2`, or an unknown `output`
 * @example
 * ```ts
 * const clean = uniform(createKey(0), [4, 32, 32, 3]);
 * const noisy = tf.clipByValue(tf.add(clean, normal(createKey(1), [4, 32, 32, 3], { std: 0.1 })), 0, 1);
 * const score = ssim(noisy, clean); // [4], each below 1
 * ```
 * @see Wang, Bovik, Sheikh, Simoncelli, "Image Quality Assessment: From Error Visibility to Structural Similarity", IEEE TIP 2004
 */
export function ssim<O extends SSIMOutput = 'mean'>(
  x: tf.Tensor,
  y: tf.Tensor,
  options?: SSIMOptions<O>,
): SSIMResult<O> {
  return ssimOp(x, y, options) as SSIMResult<O>;
}
