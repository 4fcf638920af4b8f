import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Options of {@link BatchNorm}, a tfjs-layers layer (plus the usual `name`). */
export interface BatchNormOptions {
  /**
   * Moving-average momentum `m` of the statistics: `moving <- m * moving + (1 - m) * batch`.
   * Default 0.9 (PyTorch's `momentum=0.1`; Keras uses 0.99, too slow for runs of a few hundred steps).
   */
  readonly momentum?: number;
  /** Added to the variance before the square root. Default 1e-5 (PyTorch). */
  readonly epsilon?: number;
  /** Layer name, unique within a model. Default: tfjs-layers' automatic `batch_norm_<n>`. */
  readonly name?: string;
}

/** tfjs-layers' base layer arguments (`name`, `trainable`, `dtype`, ...), used when deserializing. */
type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

interface BatchStatistics {
  mean?: tf.Tensor;
  variance?: tf.Tensor;
}

/**
 * Per-channel mean of `x` over every axis but the last, as `[1, C]`: `mean_c = (1/N) sum_i x_ic`.
 *
 * Rank-4 `[B, H, W, C]`: an average pool with one window per image (`[1, B*H, W, C]` pooled by
 * `[H, W]`, giving `[B, C]`), then a `[1, B] x [B, C]` product. Other ranks: `[1, N] x [N, C]`. On
 * wasm a matrix product whose right operand is a fresh `[N, C]` activation repacks it every call
 * (about 22 ms for 6.4 M values), while the channel-last pool reads it once (about 5 ms); on cpu both
 * are plain loops.
 */
function channelMean(x: tf.Tensor, channels: number): tf.Tensor2D {
  if (x.rank === 4) {
    const [batch, height, width] = x.shape as [number, number, number, number];
    const rows = tf.reshape(x, [1, batch * height, width, channels]) as tf.Tensor4D;
    const perImage = tf.reshape(tf.avgPool(rows, [height, width], [height, width], 'valid'), [
      batch,
      channels,
    ]);
    return tf.matMul(tf.fill([1, batch], 1 / batch), perImage);
  }
  const count = x.size / channels;
  return tf.matMul(tf.fill([1, count], 1 / count), tf.reshape(x, [count, channels]));
}

/**
 * Normalises over every axis but the last in training mode, with a closed-form backward pass whose
 * reductions are {@link channelMean} (fast on wasm, where `tile`, `sum` over leading axes and `moments`
 * are slow); keeps the batch mean and variance through `stats` for the moving-average update.
 */
function normaliseInTraining(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
  stats: BatchStatistics,
): tf.Tensor {
  const channels = x.shape[x.rank - 1]!;
  const count = x.size / channels;
  const forward = tf.customGrad((input, scale, offset, save) => {
    const x4 = input as tf.Tensor;
    const mean = channelMean(x4, channels); // [1, C]
    const centred = tf.sub(tf.reshape(x4, [count, channels]), mean); // [N, C]
    const variance = channelMean(tf.reshape(tf.square(centred), x.shape), channels); // [1, C]
    const inverseStd = tf.rsqrt(tf.add(variance, epsilon)); // [1, C]
    const normalised = tf.mul(centred, inverseStd); // [N, C]
    const output = tf.add(tf.mul(normalised, scale as tf.Tensor), offset as tf.Tensor);
    (save as tf.GradSaveFunc)([normalised, tf.mul(inverseStd, scale as tf.Tensor)]);
    stats.mean = tf.keep(tf.reshape(mean, [channels]));
    stats.variance = tf.keep(tf.reshape(variance, [channels]));
    return {
      value: tf.reshape(output, x.shape),
      // dx = g/sigma * (dy - mean(dy) - xhat * mean(dy * xhat)); dgamma = sum(dy * xhat); dbeta = sum(dy)
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xHat, gain] = saved as [tf.Tensor, tf.Tensor]; // [N, C], [1, C]
        const dyFlat = tf.reshape(dy, [count, channels]);
        const meanDy = channelMean(dy, channels); // [1, C]
        const meanDyXHat = channelMean(tf.reshape(tf.mul(dyFlat, xHat), x.shape), channels); // [1, C]
        const dx = tf.mul(tf.sub(tf.sub(dyFlat, meanDy), tf.mul(xHat, meanDyXHat)), gain);
        return [
          tf.reshape(dx, x.shape),
          tf.reshape(tf.mul(meanDyXHat, count), [channels]),
          tf.reshape(tf.mul(meanDy, count), [channels]),
        ];
      },
    };
  });
  return forward(x, gamma, beta);
}

/**
 * Batch normalisation over every axis but the last (channels), as a tfjs-layers layer with the same
 * weights as Keras' `BatchNormalization` (`gamma`, `beta`, `moving_mean`, `moving_variance`).
 *
 * Training mode (`model.apply(x, { training: true })`): `y = gamma * (x - mu_B) / sqrt(var_B + eps) + beta`
 * with the batch statistics, and the moving statistics are updated in place:
 * `moving_mean <- m * moving_mean + (1 - m) * mu_B`,
 * `moving_variance <- m * moving_variance + (1 - m) * var_B * N / (N - 1)` (unbiased, as PyTorch).
 * Inference (`predict`, or `apply` without `training`): the moving statistics replace the batch ones.
 *
 * Why not `tf.layers.batchNormalization`: its backward pass in tfjs 4.22 tiles the scale to the full
 * activation shape and reduces with `sum`/`moments` over the leading axes, which on wasm cost more than
 * the convolutions around them; this layer's closed-form gradient reduces with a channel-last average pool. Its
 * class name for serialization is `GenoiseBatchNorm`: call {@link registerLayers} before loading a
 * saved model with plain `tf.loadLayersModel` (genoise's `loadModel` and `cloneModel` do it).
 *
 * @example
 * ```ts
 * registerLayers();
 * const bn = new BatchNorm({ momentum: 0.9 });
 * const y = bn.apply(tf.randomNormal([8, 4, 4, 16]), { training: true }) as tf.Tensor; // [8, 4, 4, 16]
 * ```
 * @see Ioffe & Szegedy, "Batch Normalization", ICML 2015, https://arxiv.org/abs/1502.03167
 */
export class BatchNorm extends tfl.layers.Layer {
  /** Serialization class name (also the prefix of default layer names, so it must be a valid tensor name). */
  static readonly className = 'GenoiseBatchNorm';
  readonly momentum: number;
  readonly epsilon: number;
  private gamma: tfl.LayerVariable | undefined;
  private beta: tfl.LayerVariable | undefined;
  private movingMean: tfl.LayerVariable | undefined;
  private movingVariance: tfl.LayerVariable | undefined;

  /** @param options - see {@link BatchNormOptions}; other tfjs-layers layer arguments pass through */
  constructor({ momentum = 0.9, epsilon = 1e-5, ...layerArgs }: BatchNormOptions & LayerArgs = {}) {
    super(layerArgs);
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.supportsMasking = true;
  }

  /** Creates the four `[C]` weights from the input's last dimension. */
  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const channels = shape[shape.length - 1];
    if (channels == null) {
      throw new Error(`BatchNorm: the last (channel) dimension must be known, got [${shape.join(',')}]`);
    }
    const zeros = tfl.initializers.zeros();
    const ones = tfl.initializers.ones();
    this.gamma = this.addWeight('gamma', [channels], 'float32', ones, undefined, true);
    this.beta = this.addWeight('beta', [channels], 'float32', zeros, undefined, true);
    this.movingMean = this.addWeight('moving_mean', [channels], 'float32', zeros, undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [channels], 'float32', ones, undefined, false);
    this.built = true;
  }

  /** Normalises `inputs`; `kwargs.training` selects batch statistics (and updates the moving ones). */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { [key: string]: unknown }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const gamma = this.gamma!.read();
    const beta = this.beta!.read();
    if (kwargs['training'] !== true) {
      return tf.tidy(() => {
        const scale = tf.mul(gamma, tf.rsqrt(tf.add(this.movingVariance!.read(), this.epsilon))); // [C]
        const shift = tf.sub(beta, tf.mul(this.movingMean!.read(), scale)); // [C]
        return tf.add(tf.mul(x, scale), shift);
      });
    }
    const stats: BatchStatistics = {};
    const y = normaliseInTraining(x, gamma, beta, this.epsilon, stats);
    this.updateMovingStatistics(stats, x.size / x.shape[x.rank - 1]!);
    return y;
  }

  private updateMovingStatistics(stats: BatchStatistics, count: number): void {
    const { mean, variance } = stats;
    if (mean === undefined || variance === undefined) return;
    const m = this.momentum;
    const bessel = count > 1 ? count / (count - 1) : 1;
    tf.tidy(() => {
      this.movingMean!.write(tf.add(tf.mul(this.movingMean!.read(), m), tf.mul(mean, 1 - m)));
      this.movingVariance!.write(
        tf.add(tf.mul(this.movingVariance!.read(), m), tf.mul(variance, (1 - m) * bessel)),
      );
    });
    tf.dispose([mean, variance]);
  }

  /** The layer's configuration for `toJSON`/serialization: momentum and epsilon. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon };
  }
}
