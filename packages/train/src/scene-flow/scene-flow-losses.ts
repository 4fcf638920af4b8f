import { ArgumentError, checkShape, shapeBindings } from '@genoise/core';
import { edgeAwareSmoothness, photometricLoss } from '@genoise/losses';
import {
  backproject,
  bilinearSample,
  disparityWarp,
  invertIntrinsics,
  meshgrid,
  project,
} from '@genoise/warp';
import * as tf from '@tensorflow/tfjs-core';
import { untracked } from '../internal/untracked';

/** What {@link sceneFlowGeometry} returns (all `[B, H, W, *]`, owned by the caller). */
export interface SceneFlowGeometry {
  /** Frame-1 points `P = D K^-1 [x, y, 1]` with `D = fx · baseline / (d · W)`, `[B, H, W, 3]`. */
  readonly points: tf.Tensor4D;
  /** `P + s`, the points at time 2 in the (static) camera's frame, `[B, H, W, 3]`. */
  readonly moved: tf.Tensor4D;
  /** Where the moved points project, `K (P + s)`, in pixels, `[B, H, W, 2]`. */
  readonly coords: tf.Tensor4D;
  /** The optical flow the scene flow induces, `coords - (x, y)`, `[B, H, W, 2]`. */
  readonly flow: tf.Tensor4D;
}

/**
 * The 3-D geometry of a disparity and scene-flow estimate (self-mono-sf's `pixel2pts_ms`,
 * `pts2pixel_ms` and `projectSceneFlow2Flow`): depth from the disparity, `D = fx · b / max(d · W, 1e-3)`
 * (`d` a fraction of the map's width `W`), points `P = D · K^-1 [x, y, 1]`, moved points `P + s`, their
 * projection `p2 = K (P + s)` and the induced optical flow `p2 - p`. Differentiable in every input.
 *
 * @param disparity - `[B, H, W, 1]`, frame 1's disparity as a fraction of the width
 * @param sceneFlow - `[B, H, W, 3]`, (dX, dY, dZ) in scene units, camera frame
 * @param K - `[B, 3, 3]`, intrinsics in pixels at this map's resolution
 * @param baseline - the stereo baseline in scene units, > 0
 * @returns {@link SceneFlowGeometry}
 * @throws ShapeError when the shapes disagree; ArgumentError for a non-positive baseline
 * @see Hur & Roth 2020, Self-Supervised Monocular Scene Flow Estimation (`utils/sceneflow_util.py`)
 */
export function sceneFlowGeometry(
  disparity: tf.Tensor4D,
  sceneFlow: tf.Tensor4D,
  K: tf.Tensor3D,
  baseline: number,
): SceneFlowGeometry {
  const op = 'sceneFlowGeometry';
  const dims = shapeBindings();
  checkShape(disparity, ['B', 'H', 'W', 1], { op, arg: 'disparity', bindings: dims });
  checkShape(sceneFlow, ['B', 'H', 'W', 3], { op, arg: 'sceneFlow', bindings: dims });
  checkShape(K, ['B', 3, 3], { op, arg: 'K', bindings: dims });
  if (!(typeof baseline === 'number' && baseline > 0 && Number.isFinite(baseline)))
    throw new ArgumentError({
      op,
      argument: 'baseline',
      expected: 'a positive number',
      actual: String(baseline),
    });
  return tf.tidy(() => {
    const [batch, height, width] = disparity.shape;
    const depth = depthFromDisparity(disparity, K, baseline);
    const points = backproject(depth, invertIntrinsics(K));
    const moved = tf.add(points, sceneFlow) as tf.Tensor4D;
    const { coords } = project(moved, K);
    const flow = tf.sub(coords, meshgrid(batch, height, width)) as tf.Tensor4D;
    return { points, moved, coords, flow };
  });
}

/** `fx · baseline / max(d · W, 1e-3)`: depth `[B, H, W, 1]` of a width-fraction disparity at its own resolution. */
export function depthFromDisparity(disparity: tf.Tensor4D, K: tf.Tensor3D, baseline: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, , width] = disparity.shape;
    const fx = tf.reshape(tf.slice(K, [0, 0, 0], [batch, 1, 1]), [batch, 1, 1, 1]);
    return tf.div(tf.mul(fx, baseline), tf.maximum(tf.mul(disparity, width), 1e-3)) as tf.Tensor4D;
  });
}

/**
 * Disocclusion by forward splatting (self-mono-sf's `_adaptive_disocc_detection`): every pixel of the
 * *other* frame pushes a unit of mass along its flow `flowFromOther`, spread bilinearly over the four
 * pixels around where it lands; a pixel that receives more than 0.5 is seen from the other frame
 * (1), else disoccluded (0). When fewer than half the pixels of an image are kept the image's mask is
 * all ones (the paper's adaptive fallback, here per image rather than per batch). No gradient.
 *
 * @param flowFromOther - `[B, H, W, 2]`, the other frame's flow into this one, in pixels
 * @returns `[B, H, W, 1]` float 0/1, 1 = visible from the other frame
 * @throws ShapeError when `flowFromOther` is not `[B, H, W, 2]`
 */
export function disocclusionMask(flowFromOther: tf.Tensor4D): tf.Tensor4D {
  checkShape(flowFromOther, ['B', 'H', 'W', 2], { op: 'disocclusionMask', arg: 'flowFromOther' });
  const [batch, height, width] = flowFromOther.shape;
  const pixels = batch * height * width;
  return tf.tidy(() =>
    untracked(() => {
      const coords = tf.add(meshgrid(batch, height, width), flowFromOther);
      const [x, y] = tf.split(tf.reshape(coords, [pixels, 2]), 2, 1).map((t) => tf.reshape(t, [pixels]));
      const x0 = tf.floor(x!);
      const y0 = tf.floor(y!);
      const fx = tf.sub(x!, x0);
      const fy = tf.sub(y!, y0);
      const image = tf.floor(tf.div(tf.range(0, pixels, 1, 'float32'), height * width)); // the pixel's image index
      const parts: tf.Tensor[] = [];
      const ids: tf.Tensor[] = [];
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const xc = tf.add(x0, dx);
        const yc = tf.add(y0, dy);
        const wx = dx === 0 ? tf.sub(1, fx) : fx;
        const wy = dy === 0 ? tf.sub(1, fy) : fy;
        const inside = tf.logicalAnd(
          tf.logicalAnd(tf.greaterEqual(xc, 0), tf.lessEqual(xc, width - 1)),
          tf.logicalAnd(tf.greaterEqual(yc, 0), tf.lessEqual(yc, height - 1)),
        );
        const target = tf.cast(tf.add(tf.mul(image, height * width), tf.add(tf.mul(yc, width), xc)), 'int32');
        parts.push(tf.mul(tf.mul(wx, wy), tf.cast(inside, 'float32')));
        ids.push(tf.where(inside, target, tf.fill([pixels], pixels, 'int32')));
      }
      const mass = tf.unsortedSegmentSum(tf.concat(parts), tf.concat(ids) as tf.Tensor1D, pixels + 1);
      const seen = tf.cast(
        tf.greater(tf.reshape(tf.slice(mass, [0], [pixels]), [batch, height, width, 1]), 0.5),
        'float32',
      );
      const enough = tf.greaterEqual(tf.mean(seen, [1, 2, 3], true), 0.5); // [B, 1, 1, 1]
      return tf.where(tf.broadcastTo(enough, seen.shape), seen, tf.onesLike(seen)) as tf.Tensor4D;
    }),
  );
}

/**
 * The left pixels whose right-view match `x - d · W` lies inside the right image (1), as a mask without
 * gradient, `[B, H, W, 1]`. Stands in for self-mono-sf's stereo disocclusion (forward splatting of the
 * right disparity), which needs the network run on the mirrored right images too: two more passes.
 */
export function stereoInViewMask(disparity: tf.Tensor4D): tf.Tensor4D {
  const [batch, height, width] = disparity.shape;
  return tf.tidy(() =>
    untracked(() => {
      const x = tf.slice(meshgrid(batch, height, width), [0, 0, 0, 0], [-1, -1, -1, 1]);
      return tf.cast(tf.greaterEqual(tf.sub(x, tf.mul(disparity, width)), -0.5), 'float32') as tf.Tensor4D;
    }),
  );
}

/**
 * Masked means of the two halves of a batch, summed: `Σ_h Σ(v·m)_h / max(Σ m_h, 1)`. The losses run
 * both directions (frame 1 -> 2 and 2 -> 1) as one batch of `2B`; self-mono-sf adds the two directions'
 * masked means (`img_diff1[occ].mean() + img_diff2[occ].mean()`).
 */
export function halvesMaskedMean(values: tf.Tensor4D, mask: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const [a, b] = tf.split(tf.mul(values, mask), 2, 0);
    const [ma, mb] = tf.split(mask, 2, 0);
    const mean = (v: tf.Tensor, m: tf.Tensor) => tf.div(tf.sum(v), tf.maximum(tf.sum(m), 1));
    return tf.add(mean(a!, ma!), mean(b!, mb!)) as tf.Scalar;
  });
}

/** `sqrt(Σ_c x² + 1e-12)` over the channels, `[B, H, W, 1]`: a Euclidean norm whose gradient is finite at 0. */
function safeNorm(x: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => tf.sqrt(tf.add(tf.sum(tf.square(x), 3, true), 1e-12)) as tf.Tensor4D);
}

/** Plain means of the two halves, summed (`x1.mean() + x2.mean()`). */
function halvesMean(values: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mul(tf.mean(values), 2) as tf.Scalar);
}

/** `[a; b] -> [b; a]` along the batch: the other direction's tensor for each example. */
function swapHalves<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => {
    const [a, b] = tf.split(x, 2, 0);
    return tf.concat([b!, a!], 0) as T;
  });
}

/** One loss level's inputs, both directions stacked along the batch (`2B`): first `[frame 1; frame 2]`. */
export interface SceneFlowLevel {
  /** Left images `[l1; l2]` and right images `[r1; r2]` at this level's resolution, `[2B, h, w, 3]`. */
  readonly left: tf.Tensor4D;
  readonly right: tf.Tensor4D;
  /** Disparities `[d1; d2]` (frame 1's from (l1, l2), frame 2's from (l2, l1)), fractions of the width, `[2B, h, w, 1]`. */
  readonly disparity: tf.Tensor4D;
  /** Scene flows `[s_f; s_b]` (1 -> 2 of frame 1's points, 2 -> 1 of frame 2's), `[2B, h, w, 3]`. */
  readonly sceneFlow: tf.Tensor4D;
  /** Intrinsics at this level's resolution, `[2B, 3, 3]`. */
  readonly K: tf.Tensor3D;
}

/** Loss weights of {@link sceneFlowLevelLoss}. */
export interface SceneFlowLossWeights {
  /** SSIM share of the photometric loss. Default 0.85. */
  readonly alpha?: number;
  /** Disparity smoothness (second order, edge weight 10), before the `2^level` division. Default 0.1. */
  readonly disparitySmoothness?: number;
  /** 3-D point reconstruction. Default 0.2. */
  readonly pointWeight?: number;
  /** 3-D smoothness (divided by `||P||`), before the `2^level` division. Default 200. */
  readonly sceneFlowSmoothness?: number;
}

/** The per-level terms, scalars owned by the caller. */
export interface SceneFlowLevelTerms {
  /** `photometric(l, r~) + disparitySmoothness · S2(d) / 2^level`, both frames. */
  readonly disparity: tf.Scalar;
  /** `photometric(l1, l2~) + pointWeight · points + sceneFlowSmoothness · S3 / 2^level`, both directions. */
  readonly sceneFlow: tf.Scalar;
  readonly stereoPhotometric: tf.Scalar;
  readonly flowPhotometric: tf.Scalar;
  readonly points: tf.Scalar;
  readonly smoothness3d: tf.Scalar;
  /** Share of pixels kept by the scene-flow occlusion mask. */
  readonly visible: tf.Scalar;
}

/**
 * self-mono-sf's losses at one level (`Loss_SceneFlow_SelfSup.depth_loss_left_img` and
 * `sceneflow_loss`), both frames and both directions at once. With `pe = alpha (1 - SSIM)/2 + (1 - alpha) L1`,
 * `S2` the edge-aware second-order smoothness (`exp(-10 mean_c |dI|)` weights, mean over channels):
 *
 * - disparity: `L_d = Σ_frames mean_{O_d}(pe(l, r(x - d W))) + disparitySmoothness · mean S2(d) / 2^level`,
 *   `O_d` = {@link stereoInViewMask};
 * - scene flow: with `P = sceneFlowGeometry(d, s)`, `p2 = K (P + s)`, `O` = {@link disocclusionMask} of
 *   the other direction's induced flow times `O_d`:
 *   `L_sf = Σ_dirs [ mean_O(pe(l1, l2(p2))) + pointWeight · mean_O(||P + s - P_2(p2)|| / ||P||)
 *   + sceneFlowSmoothness · mean(S2(s) / ||P||) / 2^level ]`, `P_2` the other frame's points.
 *
 * @param level - see {@link SceneFlowLevel} (`2B` stacked)
 * @param levelIndex - the loss level, 0 finest (smoothness divided by `2^levelIndex`)
 * @param baseline - stereo baseline in scene units
 * @param weights - see {@link SceneFlowLossWeights}
 * @returns {@link SceneFlowLevelTerms}
 * @see Hur & Roth 2020, Self-Supervised Monocular Scene Flow Estimation (`losses.py`)
 */
export function sceneFlowLevelLoss(
  level: SceneFlowLevel,
  levelIndex: number,
  baseline: number,
  weights: SceneFlowLossWeights = {},
): SceneFlowLevelTerms {
  const { alpha = 0.85, disparitySmoothness = 0.1, pointWeight = 0.2, sceneFlowSmoothness = 200 } = weights;
  const { left, right, disparity, sceneFlow, K } = level;
  const op = 'sceneFlowLevelLoss';
  const dims = shapeBindings();
  checkShape(left, ['B', 'H', 'W', 3], { op, arg: 'left', bindings: dims });
  checkShape(right, ['B', 'H', 'W', 3], { op, arg: 'right', bindings: dims });
  checkShape(disparity, ['B', 'H', 'W', 1], { op, arg: 'disparity', bindings: dims });
  checkShape(sceneFlow, ['B', 'H', 'W', 3], { op, arg: 'sceneFlow', bindings: dims });
  checkShape(K, ['B', 3, 3], { op, arg: 'K', bindings: dims });
  if (left.shape[0] % 2 !== 0)
    throw new ArgumentError({
      op,
      argument: 'left',
      message: `${op}: the batch stacks both directions, so it must be even; got ${left.shape[0]}.`,
    });
  return tf.tidy(() => {
    const width = left.shape[2];
    const scale = 2 ** levelIndex;
    // Disparity: left from right through the left disparity.
    const inView = stereoInViewMask(disparity);
    const leftFromRight = disparityWarp(right, tf.mul(disparity, width) as tf.Tensor4D, {
      direction: 'toLeft',
      padding: 'border',
    });
    const stereoPhotometric = halvesMaskedMean(
      photometricLoss(leftFromRight, left, { alpha, reduction: 'none' }),
      inView,
    );
    const disparitySmooth = tf.div(
      halvesMean(
        edgeAwareSmoothness(disparity, left, {
          order: 2,
          normalize: false,
          edgeWeight: 10,
          reduction: 'none',
        }),
      ),
      scale,
    );
    const disparityLoss = tf.add(
      stereoPhotometric,
      tf.mul(disparitySmooth, disparitySmoothness),
    ) as tf.Scalar;
    // Scene flow: frame 1 from frame 2 through the points and their motion, both directions.
    const { points, moved, coords, flow } = sceneFlowGeometry(disparity, sceneFlow, K, baseline);
    const visible = tf.mul(disocclusionMask(swapHalves(flow)), inView) as tf.Tensor4D;
    const other = swapHalves(left);
    const warped = bilinearSample(other, coords, { padding: 'border' });
    const flowPhotometric = halvesMaskedMean(
      photometricLoss(warped, left, { alpha, reduction: 'none' }),
      visible,
    );
    const norm = tf.add(safeNorm(points), 1e-8);
    const otherPoints = bilinearSample(swapHalves(points), coords, { padding: 'border' });
    const pointError = tf.div(safeNorm(tf.sub(moved, otherPoints)), norm) as tf.Tensor4D;
    const pointsTerm = halvesMaskedMean(pointError, visible);
    const smooth3d = tf.div(
      halvesMean(
        tf.div(
          edgeAwareSmoothness(sceneFlow, left, {
            order: 2,
            normalize: false,
            edgeWeight: 10,
            reduction: 'none',
          }),
          norm,
        ),
      ),
      scale,
    );
    const sceneFlowLoss = tf.addN([
      flowPhotometric,
      tf.mul(pointsTerm, pointWeight),
      tf.mul(smooth3d, sceneFlowSmoothness),
    ]) as tf.Scalar;
    return {
      disparity: disparityLoss,
      sceneFlow: sceneFlowLoss,
      stereoPhotometric,
      flowPhotometric,
      points: pointsTerm,
      smoothness3d: smooth3d as tf.Scalar,
      visible: untracked(() => tf.mean(visible) as tf.Scalar),
    };
  });
}

/**
 * self-mono-sf's dynamic balance of the two level-weighted sums: with `m = max(L_sf, L_d)` (no
 * gradient), `L = L_sf · m / L_sf + L_d · m / L_d`, so each part contributes gradients as if it were as
 * large as the larger; `'static'` is the plain sum `L_sf + L_d`.
 */
export function balanceLosses(
  sceneFlow: tf.Scalar,
  disparity: tf.Scalar,
  balance: 'dynamic' | 'static',
): tf.Scalar {
  return tf.tidy(() => {
    if (balance === 'static') return tf.add(sceneFlow, disparity) as tf.Scalar;
    const [fw, dw] = [sceneFlow, disparity].map((part) =>
      untracked(() => {
        const m = tf.maximum(sceneFlow, disparity);
        return tf.div(m, tf.maximum(part, 1e-12)) as tf.Scalar;
      }),
    );
    return tf.add(tf.mul(sceneFlow, fw!), tf.mul(disparity, dw!)) as tf.Scalar;
  });
}
