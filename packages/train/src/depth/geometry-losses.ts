import { foldIn, type Key, resizeBilinear } from '@genoise/core';
import { edgeAwareSmoothness, leftRightConsistency, minReprojection, photometricLoss } from '@genoise/losses';
import { disparityToDepth } from '@genoise/models';
import { disparityWarp, inverseWarp } from '@genoise/warp';
import * as tf from '@tensorflow/tfjs-core';
import type { StereoConsistency } from './depth-options';

/** A loss and its named terms (each a scalar), all owned by the caller. */
export interface GeometryLoss {
  readonly loss: tf.Scalar;
  readonly terms: Readonly<Record<string, tf.Scalar>>;
}

/**
 * Upsamples a coarse map to `[H, W]` bilinearly with half-pixel centres, as Monodepth2's
 * `F.interpolate(..., align_corners=False)` (its full-resolution multi-scale: every scale's disparity is
 * compared at the input resolution). Core's `resizeBilinear`, whose gradient is right where tfjs 4.22's
 * `ResizeBilinearGrad` is not (it ignores `halfPixelCenters`, and on cpu transposes non-square maps).
 */
export function upsampleTo(map: tf.Tensor4D, height: number, width: number): tf.Tensor4D {
  if (map.shape[1] === height && map.shape[2] === width) return map;
  return resizeBilinear(map, [height, width]);
}

/** Area-downsamples an image by `2^scale` (the image a coarse disparity's smoothness is weighted by). */
export function downsampleImage(image: tf.Tensor4D, scale: number): tf.Tensor4D {
  if (scale === 0) return image;
  const f = 2 ** scale;
  return tf.avgPool(image, f, f, 'valid');
}

/** Options of {@link stereoLoss}. */
export interface StereoLossOptions {
  /** SSIM share of the photometric loss. Default 0.85. */
  readonly alpha?: number;
  /** Smoothness weight at full scale (scale s: `/ 2^s`). Default 0.1. */
  readonly smoothness?: number;
  /** Left-right consistency weight. Default 1. */
  readonly leftRightWeight?: number;
  /** Which terms; see {@link StereoConsistency}. Default `'lr'`. */
  readonly consistency?: StereoConsistency;
}

/**
 * Monodepth's stereo training loss (Godard et al. 2017) with full-resolution multi-scale: for each scale
 * s the left and right disparities (fractions of the width) are upsampled to the input size and, in
 * pixels (`d * W`), used to reconstruct the left view from the right (`disparityWarp` `'toLeft'`,
 * border padding) and the right from the left (`'toRight'`):
 * `L_s = ap(left~, left) + ap(right~, right) + smoothness / 2^s (S(d_l, left_s) + S(d_r, right_s)) + leftRightWeight (|d_l - d_r(x - d_l)| + |d_r - d_l(x + d_r)|)`,
 * `ap` = {@link photometricLoss} (alpha 0.85), `S` = edge-aware first-order smoothness of the disparity at
 * its own scale (not normalised, as Monodepth), the consistency on width fractions; the loss is the mean
 * over scales. `'no-lr'` drops the consistency term. `'naive'` is the paper's naive sampling: only the
 * right view is synthesised, by sampling the left image with the predicted (channel 0) map,
 * `L_s = ap(left(x + d), right) + smoothness / 2^s S(d, right_s)`, so the map the network learns is the
 * right view's disparity although it sees the left image (no right disparity, no consistency).
 *
 * @param disparities - depthNet `'left-right'` outputs, finest first, `[B, H/2^s, W/2^s, 2]`: channel 0 left, 1 right
 * @param left - `[B, H, W, 3]`
 * @param right - `[B, H, W, 3]`
 * @returns `{ loss, terms: { appearance, smoothness, consistency } }` (terms summed over views, mean over
 *   scales; `consistency` only for `'lr'`)
 * @see Godard, Mac Aodha, Brostow, "Unsupervised Monocular Depth Estimation with Left-Right Consistency", CVPR 2017
 */
export function stereoLoss(
  disparities: readonly tf.Tensor4D[],
  left: tf.Tensor4D,
  right: tf.Tensor4D,
  options: StereoLossOptions = {},
): GeometryLoss {
  const { alpha = 0.85, smoothness = 0.1, leftRightWeight = 1, consistency = 'lr' } = options;
  const [, height, width] = left.shape;
  const perScale = disparities.map((disparity, s) =>
    tf.tidy(() => {
      const [dl, dr] = tf.split(disparity, 2, 3) as [tf.Tensor4D, tf.Tensor4D];
      const leftFull = upsampleTo(dl, height, width); // fraction of the width
      const leftPixels = tf.mul(leftFull, width) as tf.Tensor4D;
      if (consistency === 'naive') {
        // Monodepth's naive sampling (Godard et al. 2017, fig. 3): the right view is synthesised by
        // sampling the left (input) image, so the predicted map is the disparity of the right view's
        // pixels: right(x) ~ left(x + d(x)). Read as the left disparity, it is misaligned at every edge.
        const rightEst = disparityWarp(left, leftPixels, { direction: 'toRight', padding: 'border' });
        return [
          photometricLoss(rightEst, right, { alpha }),
          tf.div(edgeAwareSmoothness(dl, downsampleImage(right, s), { normalize: false }), 2 ** s),
        ] as tf.Scalar[];
      }
      const leftEst = disparityWarp(right, leftPixels, { direction: 'toLeft', padding: 'border' });
      const rightFull = upsampleTo(dr, height, width);
      const rightPixels = tf.mul(rightFull, width) as tf.Tensor4D;
      const rightEst = disparityWarp(left, rightPixels, { direction: 'toRight', padding: 'border' });
      const appearance = tf.add(
        photometricLoss(leftEst, left, { alpha }),
        photometricLoss(rightEst, right, { alpha }),
      );
      const smooth = tf.add(
        edgeAwareSmoothness(dl, downsampleImage(left, s), { normalize: false }),
        edgeAwareSmoothness(dr, downsampleImage(right, s), { normalize: false }),
      );
      const out = [appearance, tf.div(smooth, 2 ** s)] as tf.Scalar[];
      if (consistency === 'lr') {
        const rightInLeft = disparityWarp(rightFull, leftPixels, { direction: 'toLeft', padding: 'border' });
        const leftInRight = disparityWarp(leftFull, rightPixels, { direction: 'toRight', padding: 'border' });
        out.push(
          tf.add(leftRightConsistency(leftFull, rightInLeft), leftRightConsistency(rightFull, leftInRight)),
        );
      }
      return out;
    }),
  );
  const n = disparities.length;
  const mean = (i: number) => tf.tidy(() => tf.div(tf.addN(perScale.map((t) => t[i]!)), n) as tf.Scalar);
  const terms: Record<string, tf.Scalar> = { appearance: mean(0), smoothness: mean(1) };
  if (consistency === 'lr') terms['consistency'] = mean(2);
  tf.dispose(perScale.flat());
  const loss = tf.tidy(
    () =>
      tf.addN([
        terms['appearance']!,
        tf.mul(terms['smoothness']!, smoothness),
        ...(terms['consistency'] ? [tf.mul(terms['consistency'], leftRightWeight)] : []),
      ]) as tf.Scalar,
  );
  return { loss, terms };
}

/** Options of {@link monocularLoss}. */
export interface MonocularLossOptions {
  /**
   * `'min-automask'`: Monodepth2's per-pixel minimum with auto-masking; `'min'`: the minimum without the
   * auto-mask (Monodepth2's ablation); `'mean'`: SfMLearner's mean over sources.
   */
  readonly reprojection: 'min-automask' | 'min' | 'mean';
  /** SSIM share of the photometric loss. Default 0.85. */
  readonly alpha?: number;
  /** Smoothness weight at full scale (scale s: `/ 2^s`), on mean-normalised disparity. Default 1e-3. */
  readonly smoothness?: number;
  /** Depth range of `disparityToDepth`. Defaults 0.1 and 100. */
  readonly minDepth?: number;
  readonly maxDepth?: number;
  /** Key of the auto-mask tie-break noise (folded with the scale). */
  readonly key?: Key;
}

/**
 * The monocular view-synthesis loss of Monodepth2 (`'min-automask'`) or of the SfMLearner baseline
 * (`'mean'`), with full-resolution multi-scale: each scale's disparity is upsampled to the input size,
 * turned into depth (`disparityToDepth`, 0.1 to 100), and every source frame is warped into the target
 * (`inverseWarp` with the predicted `srcTransTgt`, border padding);
 * `L_s = reduce_j pe(warp_j, target) + smoothness / 2^s S(d_s / mean(d_s), target_s)`, where `reduce` is
 * the per-pixel minimum over sources with pixels masked out where an unwarped source matches better
 * (`minReprojection` with `identityLosses`), or the mean over sources; the loss is the mean over scales.
 *
 * @param disparities - depthNet `'left'` outputs, finest first, `[B, H/2^s, W/2^s, 1]` in [0, 1]
 * @param target - `[B, H, W, 3]`
 * @param sources - the source frames, each `[B, H, W, 3]`
 * @param poses - `srcTransTgt` per source, `[B, 4, 4]`
 * @param K - `[B, 3, 3]` intrinsics in pixels at the input size
 * @returns `{ loss, terms: { reprojection, smoothness, automask } }`; `automask` is the share of pixels kept at full scale (1 for `'min'` and `'mean'`)
 * @see Godard et al., "Digging Into Self-Supervised Monocular Depth Estimation", ICCV 2019; Zhou et al., "Unsupervised Learning of Depth and Ego-Motion from Video", CVPR 2017
 */
export function monocularLoss(
  disparities: readonly tf.Tensor4D[],
  target: tf.Tensor4D,
  sources: readonly tf.Tensor4D[],
  poses: readonly tf.Tensor3D[],
  K: tf.Tensor3D,
  options: MonocularLossOptions,
): GeometryLoss {
  const { reprojection, alpha = 0.85, smoothness = 1e-3, minDepth = 0.1, maxDepth = 100, key } = options;
  const [, height, width] = target.shape;
  const identity =
    reprojection === 'min-automask'
      ? sources.map((source) => photometricLoss(source, target, { alpha, reduction: 'none' }))
      : [];
  const reprojectionTerms: tf.Scalar[] = [];
  const smoothTerms: tf.Scalar[] = [];
  let automask: tf.Scalar = tf.scalar(1);
  disparities.forEach((disparity, s) => {
    const [r, sm] = tf.tidy(() => {
      const { depth } = disparityToDepth(upsampleTo(disparity, height, width), { minDepth, maxDepth });
      const losses = sources.map(
        (source, j) =>
          photometricLoss(inverseWarp(source, depth, poses[j]!, K, { padding: 'border' }).warped, target, {
            alpha,
            reduction: 'none',
          }) as tf.Tensor4D,
      );
      let r: tf.Scalar;
      if (reprojection === 'min') {
        const result = minReprojection(losses);
        r = result.loss;
        tf.dispose(result.mask);
      } else if (reprojection === 'min-automask') {
        const result = minReprojection(losses, {
          identityLosses: identity,
          ...(key ? { key: foldIn(key, s) } : {}),
        });
        r = result.loss;
        if (s === 0) {
          automask.dispose();
          automask = tf.keep(tf.mean(result.mask) as tf.Scalar);
        }
      } else {
        r = tf.mean(tf.stack(losses)) as tf.Scalar;
      }
      const sm = tf.div(edgeAwareSmoothness(disparity, downsampleImage(target, s)), 2 ** s) as tf.Scalar;
      return [r, sm];
    });
    reprojectionTerms.push(r);
    smoothTerms.push(sm);
  });
  tf.dispose(identity);
  const terms = {
    reprojection: tf.tidy(() => tf.div(tf.addN(reprojectionTerms), disparities.length) as tf.Scalar),
    smoothness: tf.tidy(() => tf.div(tf.addN(smoothTerms), disparities.length) as tf.Scalar),
    automask,
  };
  tf.dispose([...reprojectionTerms, ...smoothTerms]);
  const loss = tf.tidy(() => tf.add(terms.reprojection, tf.mul(terms.smoothness, smoothness)) as tf.Scalar);
  return { loss, terms };
}
