import { ArgumentError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { seededTensor } from '../../test/helpers';
import { bilinearSample } from './bilinear-sample';
import { fromNormalizedCoords, toNormalizedCoords } from './normalized-coords';

describe('toNormalizedCoords / fromNormalizedCoords', () => {
  it('follows grid_sample: corner centres at ±1 with alignCorners, corner edges at ±1 without', async () => {
    // W = 4, H = 3: pixels (0, 0), (3, 2), (1, 1).
    const px = tf.tensor4d([0, 0, 3, 2, 1, 1], [1, 1, 3, 2]);
    const aligned = toNormalizedCoords(px, { height: 3, width: 4, alignCorners: true });
    await expectTensorClose(aligned, [
      [
        [
          [-1, -1],
          [1, 1],
          [-1 / 3, 0],
        ],
      ],
    ]);
    const halfPixel = toNormalizedCoords(px, { height: 3, width: 4 }); // alignCorners false
    await expectTensorClose(halfPixel, [
      [
        [
          [-0.75, -2 / 3],
          [0.75, 2 / 3],
          [-0.25, 0],
        ],
      ],
    ]);
    // The pixel edges -0.5 and W - 0.5 are ±1 without alignCorners.
    const edges = toNormalizedCoords(tf.tensor4d([-0.5, -0.5, 3.5, 2.5], [1, 1, 2, 2]), {
      height: 3,
      width: 4,
    });
    await expectTensorClose(edges, [
      [
        [
          [-1, -1],
          [1, 1],
        ],
      ],
    ]);
    tf.dispose([px, aligned, halfPixel, edges]);
  });

  it('round-trips for both conventions', async () => {
    const coords = seededTensor<tf.Rank.R4>(1, [2, 3, 4, 2], -2, 9);
    for (const alignCorners of [true, false]) {
      const options = { height: 5, width: 8, alignCorners };
      const back = fromNormalizedCoords(toNormalizedCoords(coords, options), options);
      await expectTensorClose(back, coords, { rtol: 1e-5, atol: 1e-5 });
      back.dispose();
    }
    coords.dispose();
  });

  it("reproduces torch.nn.functional.grid_sample's values on a 2x2 image", async () => {
    // image [[1, 2], [3, 4]]; torch grid_sample(image, grid, align_corners=...) at grid points
    // (-1, -1) and (0.5, 0) gives 0.25 and 3.0 with align_corners=False, 1.0 and 2.75 with True
    // (zeros padding). Derived from PyTorch's unnormalize: x = ((x_n + 1) W - 1) / 2, resp. (x_n + 1)(W - 1) / 2.
    const image = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const grid = tf.tensor4d([-1, -1, 0.5, 0], [1, 1, 2, 2]);
    const expected = { false: [0.25, 3], true: [1, 2.75] };
    for (const alignCorners of [false, true]) {
      const px = fromNormalizedCoords(grid, { height: 2, width: 2, alignCorners });
      const out = bilinearSample(image, px);
      await expectTensorClose(out, Float32Array.from(expected[`${alignCorners}`]));
      tf.dispose([px, out]);
    }
    tf.dispose([image, grid]);
  });

  it('does not leak and validates its options', async () => {
    const coords = tf.zeros([1, 2, 2, 2]) as tf.Tensor4D;
    await expectNoLeaks(() => toNormalizedCoords(coords, { height: 2, width: 2 }));
    await expectNoLeaks(() => fromNormalizedCoords(coords, { height: 2, width: 2, alignCorners: true }));
    expect(() => toNormalizedCoords(coords, { height: 1, width: 4, alignCorners: true })).toThrow(
      "toNormalizedCoords: 'height' is 1 but expected an integer >= 2.",
    );
    expect(() => fromNormalizedCoords(coords, undefined as never)).toThrow(ArgumentError);
    expect(() =>
      toNormalizedCoords(tf.zeros([2, 2, 2]) as unknown as tf.Tensor4D, { height: 2, width: 2 }),
    ).toThrow(/rank 3.*add a batch dimension/);
    expect(() => toNormalizedCoords(coords, { height: 2, width: 2, alignCorners: 1 as never })).toThrow(
      "toNormalizedCoords: 'alignCorners' is 1 but expected true or false.",
    );
    coords.dispose();
  });
});
