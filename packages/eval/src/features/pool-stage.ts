import { checkDType, checkInteger, checkOptions, defineOp, ShapeError } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link poolStage}. */
export interface PoolStageOptions {
  /** About how many features to keep per example, a positive integer. Default 2048. */
  readonly targetFeatures?: number;
}

const OP = 'poolStage';

/**
 * The side g of the pooling grid {@link poolStage} uses for an `[H, W, C]` map:
 * `g = clamp(round(sqrt(targetFeatures / C)), 1, min(H, W))`, so `g · g · C ≈ targetFeatures`.
 *
 * @param height - H of the map
 * @param width - W of the map
 * @param channels - C of the map
 * @param targetFeatures - the feature budget per example
 * @returns g, an integer in `[1, min(H, W)]`
 * @example
 * ```ts
 * poolGridSize(14, 14, 32, 2048); // 8 (8 · 8 · 32 = 2048)
 * ```
 */
export function poolGridSize(
  height: number,
  width: number,
  channels: number,
  targetFeatures: number,
): number {
  const g = Math.round(Math.sqrt(targetFeatures / channels));
  return Math.min(Math.max(g, 1), height, width);
}

/**
 * `[g, n]` averaging matrix of adaptive pooling along one axis of length n: row i averages the indices
 * `[floor(i·n/g), ceil((i+1)·n/g))`, as PyTorch's `AdaptiveAvgPool2d` does.
 */
function adaptiveWeights(n: number, g: number): tf.Tensor2D {
  const values = new Float32Array(g * n);
  for (let i = 0; i < g; i++) {
    const start = Math.floor((i * n) / g);
    const end = Math.ceil(((i + 1) * n) / g);
    for (let j = start; j < end; j++) values[i * n + j] = 1 / (end - start);
  }
  return tf.tensor2d(values, [g, n]);
}

/**
 * Pools one stage's feature map to a g×g grid and flattens it, so stages of different resolutions give
 * comparable feature counts for layer-wise probes:
 * `y[b, (i·g + j)·C + c] = mean_{h ∈ R_i, w ∈ R'_j} x[b, h, w, c]`, with adaptive bins
 * `R_i = [floor(i·H/g), ceil((i+1)·H/g))` (and `R'_j` likewise over W; neighbouring bins may overlap
 * by one pixel when g does not divide the size, exactly as PyTorch's `AdaptiveAvgPool2d`) and
 * `g = clamp(round(sqrt(targetFeatures / C)), 1, min(H, W))` ({@link poolGridSize}). Computed as two
 * matrix products with the separable averaging matrices. A rank-2 input `[B, D]` (a stage that is
 * already a vector) is returned as a copy.
 *
 * @param map - a stage's activations `[B, H, W, C]` float32, or features `[B, D]`
 * @param options - `{ targetFeatures = 2048 }`
 * @returns `[B, g·g·C]` (or `[B, D]`), owned by the caller; row-major over (i, j, c)
 * @throws ShapeError when `map` is neither rank 4 nor rank 2; DTypeError when not float32;
 *   ArgumentError when `targetFeatures` is not a positive integer
 * @example
 * ```ts
 * const pooled = poolStage(tf.ones([2, 14, 14, 32]), { targetFeatures: 2048 }); // [2, 2048], g = 8
 * ```
 * @see Zhang, Isola and Efros, "Colorful Image Colorization", ECCV 2016 (layer-wise linear probes)
 * @see Goyal et al., "Scaling and Benchmarking Self-Supervised Visual Representation Learning", ICCV 2019
 */
export const poolStage = defineOp(OP, (map: tf.Tensor, options?: PoolStageOptions): tf.Tensor2D => {
  const { targetFeatures = 2048 } = checkOptions(options, ['targetFeatures'], { op: OP });
  checkDType(map, ['float32'], { op: OP, arg: 'map' });
  checkInteger(targetFeatures, { op: OP, arg: 'targetFeatures', min: 1 });
  if (map.rank === 2) return tf.clone(map) as tf.Tensor2D;
  if (map.rank !== 4) {
    throw new ShapeError({
      op: OP,
      argument: 'map',
      expected: '[B,H,W,C] or [B,D]',
      actual: `[${map.shape.join(',')}]`,
      message: `${OP}: 'map' has shape [${map.shape.join(',')}] (rank ${map.rank}) but expected [B,H,W,C] (a stage's map) or [B,D] (features).`,
    });
  }
  const [b, h, w, c] = map.shape as [number, number, number, number];
  const g = poolGridSize(h, w, c, targetFeatures);
  // Along W: [B, H, C, W] · Aw^T [W, g] -> [B, H, C, g_j].
  const alongW = tf.matMul(
    tf.reshape(tf.transpose(map, [0, 1, 3, 2]), [b * h * c, w]),
    adaptiveWeights(w, g),
    false,
    true,
  );
  // Along H: [B, C, g_j, H] · Ah^T [H, g] -> [B, C, g_j, g_i].
  const alongH = tf.matMul(
    tf.reshape(tf.transpose(tf.reshape(alongW, [b, h, c, g]), [0, 2, 3, 1]), [b * c * g, h]),
    adaptiveWeights(h, g),
    false,
    true,
  );
  // [B, C, g_j, g_i] -> [B, g_i, g_j, C] -> [B, g·g·C].
  return tf.reshape(tf.transpose(tf.reshape(alongH, [b, c, g, g]), [0, 3, 2, 1]), [b, g * g * c]);
});
