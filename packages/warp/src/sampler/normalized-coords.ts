import { ArgumentError, checkBoolean, checkInteger, checkOptions, defineOp } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkMap } from '../internal/checks';

/** Options of {@link toNormalizedCoords} and {@link fromNormalizedCoords}. */
export interface NormalizedCoordsOptions {
  /** Image height `H` in pixels, an integer >= 1 (>= 2 with `alignCorners`). Required. */
  readonly height: number;
  /** Image width `W` in pixels, an integer >= 1 (>= 2 with `alignCorners`). Required. */
  readonly width: number;
  /**
   * PyTorch's `align_corners`. `true`: -1 and 1 are the centres of the corner pixels; `false` (default,
   * PyTorch's default): -1 and 1 are the outer edges of the corner pixels.
   */
  readonly alignCorners?: boolean;
}

function readOptions(op: string, options: NormalizedCoordsOptions): [number, number, boolean] {
  if (options === undefined) {
    throw new ArgumentError({
      op,
      argument: 'options',
      expected: '{ height, width, alignCorners? }',
      actual: 'undefined',
    });
  }
  const {
    height,
    width,
    alignCorners = false,
  } = checkOptions(options, ['height', 'width', 'alignCorners'], { op });
  checkBoolean(alignCorners, { op, arg: 'alignCorners' });
  const min = alignCorners ? 2 : 1;
  checkInteger(height, { op, arg: 'height', min: min });
  checkInteger(width, { op, arg: 'width', min: min });
  return [height, width, alignCorners];
}

/**
 * Pixel coordinates to PyTorch `grid_sample`'s normalised [-1, 1] coordinates.
 *
 * `alignCorners: true`: `x_n = 2x / (W-1) - 1`; `false` (default): `x_n = (2x + 1) / W - 1`;
 * y likewise with `H`.
 *
 * @param coords - float32 `[B, H', W', 2]`, (x, y) in pixels, pixel centres at integers
 * @param options - `{ height, width, alignCorners = false }`, the size of the image the coordinates index
 * @returns float32 `[B, H', W', 2]` normalised (x, y)
 * @throws ShapeError, DTypeError for the tensor; ArgumentError for the options
 * @example
 * ```ts
 * toNormalizedCoords(tf.tensor4d([0, 0], [1, 1, 1, 2]), { height: 4, width: 4 }); // (-0.75, -0.75)
 * ```
 */
export const toNormalizedCoords = defineOp(
  'toNormalizedCoords',
  (coords: tf.Tensor4D, options: NormalizedCoordsOptions): tf.Tensor4D => {
    checkMap(coords, ['B', null, null, 2], 'toNormalizedCoords', 'coords');
    const [h, w, align] = readOptions('toNormalizedCoords', options);
    const size = align ? [w - 1, h - 1] : [w, h];
    const offset = align ? 0 : 1;
    // x_n = (2x + offset) / size - 1
    return tf.sub(tf.div(tf.add(tf.mul(coords, 2), offset), tf.tensor1d(size)), 1) as tf.Tensor4D;
  },
);

/**
 * PyTorch `grid_sample`'s normalised [-1, 1] coordinates to pixel coordinates (the inverse of
 * {@link toNormalizedCoords}).
 *
 * `alignCorners: true`: `x = (x_n + 1)(W-1) / 2`; `false` (default): `x = ((x_n + 1) W - 1) / 2`;
 * y likewise with `H`.
 *
 * @param coords - float32 `[B, H', W', 2]`, normalised (x, y)
 * @param options - `{ height, width, alignCorners = false }`
 * @returns float32 `[B, H', W', 2]`, (x, y) in pixels
 * @throws ShapeError, DTypeError for the tensor; ArgumentError for the options
 * @example
 * ```ts
 * const grid = fromNormalizedCoords(torchGrid, { height: 192, width: 640, alignCorners: false });
 * const out = bilinearSample(image, grid); // torch.nn.functional.grid_sample(image, torchGrid)
 * ```
 */
export const fromNormalizedCoords = defineOp(
  'fromNormalizedCoords',
  (coords: tf.Tensor4D, options: NormalizedCoordsOptions): tf.Tensor4D => {
    checkMap(coords, ['B', null, null, 2], 'fromNormalizedCoords', 'coords');
    const [h, w, align] = readOptions('fromNormalizedCoords', options);
    const size = align ? [w - 1, h - 1] : [w, h];
    const offset = align ? 0 : 1;
    // x = ((x_n + 1) size - offset) / 2
    return tf.div(tf.sub(tf.mul(tf.add(coords, 1), tf.tensor1d(size)), offset), 2) as tf.Tensor4D;
  },
);
