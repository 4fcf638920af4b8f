import {
  bernoulliValues,
  checkBoolean,
  checkImages,
  checkOptions,
  defineOp,
  foldIn,
  type Key,
  normalValues,
  permutationValues,
  splitKey,
} from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkChoice, checkNumber, checkTaskKey } from '../internal/checks';

/** The corruptions of a denoising autoencoder. */
export type Corruption = 'masking' | 'gaussian' | 'salt-and-pepper';

/** Options of {@link denoisingTask}. */
export interface DenoisingTaskOptions {
  /** `'masking'` (default): set components to 0; `'salt-and-pepper'`: set them to 0 or 1; `'gaussian'`: add noise. */
  readonly corruption?: Corruption;
  /**
   * The corrupted fraction of components for masking and salt-and-pepper (default 0.25), in [0, 1];
   * the noise standard deviation for `'gaussian'` (default 0.1), `>= 0`.
   */
  readonly level?: number;
  /**
   * `'fixed'` (default, Vincent et al. 2010): exactly `round(level * H * W * C)` components per image,
   * chosen at random; `'bernoulli'` (the SdA tutorial): each component independently with probability `level`.
   */
  readonly sampling?: 'fixed' | 'bernoulli';
  /** Clip Gaussian-corrupted values to [0, 1]. Default false (the paper's isotropic noise is not clipped). */
  readonly clip?: boolean;
}

/** What {@link denoisingTask} builds. */
export type DenoisingTask = {
  /** `[B, H, W, C]` corrupted images. */
  readonly inputs: tf.Tensor4D;
  /** `[B, H, W, C]` the clean images (a copy): reconstruct these, not the inputs. */
  readonly targets: tf.Tensor4D;
  /** `[B, H, W, C]` 1 where a component was corrupted (all 1 for `'gaussian'`), for emphasised losses. */
  readonly corrupted: tf.Tensor4D;
};

const OP = 'denoisingTask';

/**
 * The denoising autoencoder's task (Vincent et al. 2008): corrupt each image and ask for the clean one.
 * Masking noise sets a fraction `level` of the components (pixels times channels) to 0; salt-and-pepper
 * sets them to 0 or 1 with equal probability; Gaussian noise adds `level * z`, `z ~ N(0, 1)`. Corrupted
 * components are chosen per image from `foldIn(key, b)`, so a sample's corruption does not depend on
 * the batch size.
 *
 * @param key - the corruption's key
 * @param images - float32 `[B, H, W, C]` in [0, 1]
 * @param options - `corruption` (`'masking'`), `level` (0.25, or 0.1 for Gaussian), `sampling` (`'fixed'`), `clip` (false)
 * @returns `{ inputs, targets, corrupted }`, see {@link DenoisingTask}
 * @throws ShapeError/DTypeError for bad images; ArgumentError for bad options
 * @example
 * ```ts
 * const { inputs, targets } = denoisingTask(createKey(0), images, { corruption: 'masking', level: 0.3 });
 * const loss = reconstructionCrossEntropy(decoder.apply(encoder.apply(inputs)) as tf.Tensor, targets);
 * ```
 * @see Vincent, Larochelle, Bengio, Manzagol 2008, Extracting and composing robust features with denoising autoencoders; Vincent et al. 2010 (JMLR), section 4.2
 */
export const denoisingTask = defineOp(
  OP,
  (key: Key, images: tf.Tensor, options?: DenoisingTaskOptions): DenoisingTask => {
    checkTaskKey(OP, key);
    const opts = checkOptions(options, ['corruption', 'level', 'sampling', 'clip'], { op: OP });
    const corruption = checkChoice(OP, 'corruption', opts.corruption ?? 'masking', [
      'masking',
      'gaussian',
      'salt-and-pepper',
    ] as const);
    const sampling = checkChoice(OP, 'sampling', opts.sampling ?? 'fixed', ['fixed', 'bernoulli'] as const);
    const level = checkNumber(OP, 'level', opts.level ?? (corruption === 'gaussian' ? 0.1 : 0.25), {
      min: 0,
      max: corruption === 'gaussian' ? Number.POSITIVE_INFINITY : 1,
    });
    const clip = opts.clip ?? false;
    checkBoolean(clip, { op: OP, arg: 'clip' });
    const dims = checkImages(images, { op: OP, arg: 'images', channels: [1, 2, 3, 4] });
    const [B, H, W, C] = [dims.get('B')!, dims.get('H')!, dims.get('W')!, dims.get('C')!];
    const x = images as tf.Tensor4D;
    const size = H * W * C;
    const shape: [number, number, number, number] = [B, H, W, C];

    if (corruption === 'gaussian') {
      const noise = new Float32Array(B * size);
      for (let b = 0; b < B; b++) noise.set(normalValues(foldIn(key, b), size, 0, level), b * size);
      const noisy = tf.add(x, tf.tensor4d(noise, shape));
      return {
        inputs: (clip ? tf.clipByValue(noisy, 0, 1) : noisy) as tf.Tensor4D,
        targets: tf.clone(x),
        corrupted: tf.ones(shape) as tf.Tensor4D,
      };
    }
    const hit = new Float32Array(B * size); // 1 where corrupted
    const salt = new Float32Array(B * size); // the value written there (0 or 1)
    for (let b = 0; b < B; b++) {
      const [chooseKey, valueKey] = splitKey(foldIn(key, b)) as [Key, Key];
      if (sampling === 'fixed') {
        const count = Math.round(level * size);
        const order = permutationValues(chooseKey, size);
        for (let i = 0; i < count; i++) hit[b * size + order[i]!] = 1;
      } else {
        hit.set(bernoulliValues(chooseKey, size, level), b * size);
      }
      if (corruption === 'salt-and-pepper') salt.set(bernoulliValues(valueKey, size, 0.5), b * size);
    }
    const mask = tf.tensor4d(hit, shape);
    const kept = tf.mul(x, tf.sub(1, mask));
    const inputs = corruption === 'masking' ? kept : tf.add(kept, tf.mul(mask, tf.tensor4d(salt, shape)));
    return { inputs: inputs as tf.Tensor4D, targets: tf.clone(x), corrupted: mask };
  },
);
