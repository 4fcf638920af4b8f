import { ArgumentError, checkInteger, describeValue, ShapeError } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { yieldToEventLoop } from '../internal/validate';

/** Options of {@link extractFeatures}. */
export interface ExtractFeaturesOptions {
  /** Examples per encoder call, a positive integer. Default 256. */
  readonly batchSize?: number;
}

function checkFunction(value: unknown, argument: string): void {
  if (typeof value !== 'function') {
    throw new ArgumentError({
      op: 'extractFeatures',
      argument,
      expected: 'a function',
      actual: describeValue(value),
    });
  }
}

/**
 * Runs a frozen encoder over a dataset in batches and stacks the outputs:
 * `F = concat_b encoder(images(indices_b))`, `indices_b = [b·batchSize, …, min((b+1)·batchSize, count) - 1]`.
 * Each batch (loading and encoding) runs in its own tidy scope, so only the feature rows survive; the
 * function awaits the event loop between batches (`tf.nextFrame`: `requestAnimationFrame` in a browser,
 * `setImmediate` in Node) so a page stays responsive.
 *
 * @param encoder - maps images `[B, H, W, C]` to features `[B, F]` (synchronous; it must not dispose its input)
 * @param images - returns the images `[B, H, W, C]` of the given example indices
 * @param count - the number of examples, a positive integer
 * @param options - `{ batchSize = 256 }`
 * @returns a promise of `[count, F]` features, owned by the caller
 * @throws ArgumentError when `encoder` or `images` is not a function or a size is out of range;
 *   ShapeError when the encoder returns something other than `[B, F]` for a batch of B
 * @example
 * ```ts
 * const features = await extractFeatures((x) => model.predict(x) as tf.Tensor2D, (idx) => dataset.images(idx), 10000);
 * ```
 * @see Kolesnikov, Zhai and Beyer, "Revisiting Self-Supervised Visual Representation Learning", CVPR 2019
 */
export async function extractFeatures(
  encoder: (images: tf.Tensor4D) => tf.Tensor2D,
  images: (indices: number[]) => tf.Tensor4D,
  count: number,
  options: ExtractFeaturesOptions = {},
): Promise<tf.Tensor2D> {
  const op = 'extractFeatures';
  const { batchSize = 256 } = options;
  checkFunction(encoder, 'encoder');
  checkFunction(images, 'images');
  checkInteger(count, { op, arg: 'count', min: 1 });
  checkInteger(batchSize, { op, arg: 'batchSize', min: 1 });
  const parts: tf.Tensor2D[] = [];
  try {
    for (let start = 0; start < count; start += batchSize) {
      const indices = Array.from({ length: Math.min(batchSize, count - start) }, (_, i) => start + i);
      const features = tf.tidy(() => {
        const output = encoder(images(indices));
        const width = parts[0]?.shape[1];
        if (
          !(output instanceof tf.Tensor) ||
          output.rank !== 2 ||
          output.shape[0] !== indices.length ||
          (width !== undefined && output.shape[1] !== width)
        ) {
          const got = output instanceof tf.Tensor ? `[${output.shape.join(',')}]` : typeof output;
          throw new ShapeError({
            op,
            argument: 'encoder',
            expected: `[${indices.length},${width ?? 'F'}]`,
            actual: got,
            message: `${op}: 'encoder' returned ${got} for a batch of ${indices.length} images starting at ${start}; expected [${indices.length},${width ?? 'F'}].`,
          });
        }
        return output;
      });
      parts.push(features);
      if (start + batchSize < count) await yieldToEventLoop();
    }
    return parts.length === 1 ? tf.clone(parts[0]!) : (tf.concat(parts, 0) as tf.Tensor2D);
  } finally {
    tf.dispose(parts);
  }
}
