import { ArgumentError, ShapeError } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { key, randomImages, tinyTrunk } from '../../test/helpers';
import { classificationLoss } from '../classification/classification-loss';
import { assembleTiles } from './assemble-tiles';
import { jigsawNetwork } from './jigsaw-network';
import { jigsawTask } from './jigsaw-task';

describe('jigsawNetwork', () => {
  it('encodes the 9 tiles with one shared trunk and outputs one logit per permutation', async () => {
    const trunk = tinyTrunk([3, 3, 1]); // conv 3x3 valid -> [1, 1, 4] -> 4 features per tile
    const network = jigsawNetwork({ trunk, classes: 5, hidden: [6] });
    // trunk kernel + bias, hidden kernel + bias, logits kernel + bias: the trunk is not copied 9 times
    expect(network.trainableWeights).toHaveLength(6);
    const x = randomImages(1, [2, 9, 9, 1]);
    const permutations = [
      [0, 1, 2, 3, 4, 5, 6, 7, 8],
      [8, 7, 6, 5, 4, 3, 2, 1, 0],
    ];
    const { inputs, targets } = jigsawTask(key(0), x, { permutations, tileSize: 3 });
    const logits = network.apply(inputs) as tf.Tensor;
    expect(logits.shape).toEqual([2, 5]);
    const loss = classificationLoss(logits as tf.Tensor2D, targets);
    expect(Number.isFinite((await loss.data())[0])).toBe(true);
    tf.dispose([x, inputs, targets, logits, loss]);
    network.dispose();
  });

  it('refuses a bad trunk or class count', () => {
    expect(() => jigsawNetwork({ trunk: 3 as never, classes: 10 })).toThrow(ArgumentError);
    expect(() => jigsawNetwork({ trunk: tinyTrunk([3, 3, 1]), classes: 1 })).toThrow(
      "jigsawNetwork: 'classes' is 1 but expected an integer >= 2.",
    );
    expect(() => assembleTiles(tf.zeros([1, 8, 2, 2, 1]))).toThrow(ShapeError);
  });

  it('leaks nothing when applied', async () => {
    const network = jigsawNetwork({ trunk: tinyTrunk([3, 3, 1]), classes: 4 });
    const x = tf.tidy(() => tf.reshape(randomImages(2, [18, 3, 3, 1]), [2, 9, 3, 3, 1]));
    await expectNoLeaks(() => tf.tidy(() => network.apply(x) as tf.Tensor));
    x.dispose();
    network.dispose();
  });
});
