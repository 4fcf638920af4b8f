import { checkImages, checkOptions, defineOp, type Key, randintValues, ShapeError } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkChoice, checkTaskKey } from '../internal/checks';
import { rotateQuarterTurns } from './rotate90';

/** Options of {@link rotationTask}. */
export interface RotationTaskOptions {
  /**
   * `'all'` (default, as RotNet trains): all four rotations of every image, `4B` inputs;
   * `'random'`: one rotation per image drawn from the key, `B` inputs.
   */
  readonly mode?: 'all' | 'random';
}

/** What {@link rotationTask} builds. */
export type RotationTask = {
  /** `[4B, H, H, C]` (`'all'`) or `[B, H, H, C]` (`'random'`) rotated images. */
  readonly inputs: tf.Tensor4D;
  /** `[4B]` or `[B]` int32 labels: the number of quarter turns, 0..3 (0, 90, 180, 270 degrees). */
  readonly targets: tf.Tensor1D;
};

const OP = 'rotationTask';

/**
 * RotNet's pretext task: rotate each image by 0, 90, 180 and 270 degrees (counter-clockwise, see
 * {@link rotate90}) and label it with the number of quarter turns. In `'all'` mode the batch holds all
 * four rotations of every image, image-major (`inputs[4b + k]` is image `b` turned `k` times), as the
 * authors' loader does; `'random'` draws one rotation per image from `key` instead.
 *
 * @param key - the key of the `'random'` mode's labels (unused, but checked, in `'all'` mode)
 * @param images - float32 `[B, H, H, C]`, square (a quarter turn must keep the shape to batch)
 * @param options - `mode` (default `'all'`)
 * @returns `{ inputs, targets }`, see {@link RotationTask}
 * @throws ShapeError for non-square or non-batched images; ArgumentError for a bad key or mode
 * @example
 * ```ts
 * const { inputs, targets } = rotationTask(createKey(0), images); // [4B, H, H, C], [4B]
 * const loss = classificationLoss(network.apply(inputs) as tf.Tensor2D, targets);
 * ```
 * @see Gidaris, Singh, Komodakis 2018, https://arxiv.org/abs/1803.07728
 */
export const rotationTask = defineOp(
  OP,
  (key: Key, images: tf.Tensor, options?: RotationTaskOptions): RotationTask => {
    checkTaskKey(OP, key);
    checkOptions(options, ['mode'], { op: OP });
    const mode = checkChoice(OP, 'mode', options?.mode ?? 'all', ['all', 'random'] as const);
    const dims = checkImages(images, { op: OP, arg: 'images', channels: [1, 2, 3, 4] });
    const [B, H, W, C] = [dims.get('B')!, dims.get('H')!, dims.get('W')!, dims.get('C')!];
    if (H !== W) {
      throw new ShapeError({
        op: OP,
        argument: 'images',
        expected: 'square images [B,H,H,C]',
        actual: `[${images.shape.join(',')}]`,
        message: `${OP}: 'images' has shape [${images.shape.join(',')}] but expected square images [B,H,H,C]; crop or resize to a square first.`,
      });
    }
    const x = images as tf.Tensor4D;
    const all = tf.reshape(
      tf.stack(
        [0, 1, 2, 3].map((k) => rotateQuarterTurns(x, k)),
        1,
      ),
      [4 * B, H, W, C],
    );
    if (mode === 'all') {
      const labels = new Int32Array(4 * B);
      for (let i = 0; i < 4 * B; i++) labels[i] = i % 4;
      return { inputs: all as tf.Tensor4D, targets: tf.tensor1d(labels, 'int32') };
    }
    const labels = randintValues(key, B, 0, 4);
    const rows = new Int32Array(B);
    for (let b = 0; b < B; b++) rows[b] = 4 * b + labels[b]!;
    return {
      inputs: tf.gather(all, tf.tensor1d(rows, 'int32')) as tf.Tensor4D,
      targets: tf.tensor1d(labels, 'int32'),
    };
  },
);
