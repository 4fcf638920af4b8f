import { ShapeError } from '@genoise/core';
import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { key, randomImages } from '../../test/helpers';
import { AB_BIN_COUNT } from './ab-bins';
import { colorizationTask } from './colorization-task';
import { rgbToLab } from './lab';
import { softEncodeAb } from './soft-encode-ab';

describe('colorizationTask', () => {
  it('gives L / 100 as input and the soft-encoded ab as target', async () => {
    const x = randomImages(1, [2, 3, 4, 3]);
    const { inputs, targets, ab, colorful } = colorizationTask(key(0), x);
    expect(Array.from(await colorful.data())).toEqual([1, 1]);
    expect(inputs.shape).toEqual([2, 3, 4, 1]);
    expect(targets.shape).toEqual([2, 3, 4, AB_BIN_COUNT]);
    const lab = rgbToLab(x);
    const L = tf.div(tf.slice(lab, [0, 0, 0, 0], [-1, -1, -1, 1]), 100);
    await expectTensorClose(inputs, L);
    await expectTensorClose(ab, tf.slice(lab, [0, 0, 0, 1], [-1, -1, -1, 2]));
    await expectTensorClose(targets, softEncodeAb(ab));
    tf.dispose([x, inputs, targets, ab, colorful, lab, L]);
  });

  it('flags near-grey images (no |a| or |b| above 5) as not colourful', async () => {
    const x = tf.tensor4d([0.5, 0.5, 0.5, 0.2, 0.21, 0.2, 0.9, 0.2, 0.1, 0.5, 0.5, 0.5], [2, 1, 2, 3]);
    const task = colorizationTask(key(0), x);
    expect(Array.from(await task.colorful.data())).toEqual([0, 1]);
    tf.dispose([x, task.inputs, task.targets, task.ab, task.colorful]);
  });

  it('wants colour images, and leaks nothing', async () => {
    const grey = tf.zeros([1, 4, 4, 1]);
    expect(() => colorizationTask(key(0), grey)).toThrow(ShapeError);
    expect(() => colorizationTask(key(0), grey)).toThrow(
      "colorizationTask: 'images' has 1 channels (shape [1,4,4,1]) but expected 3.",
    );
    const x = randomImages(2, [1, 2, 2, 3]);
    await expectNoLeaks(() => colorizationTask(key(0), x));
    tf.dispose([grey, x]);
  });
});
