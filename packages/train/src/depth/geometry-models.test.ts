import { createKey } from '@genoise/core';
import { syntheticSequence } from '@genoise/data';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { defaultTrainConfig, resolveTrainConfig } from '../config/train-config';
import { depthSettings } from './depth-options';
import { buildGeometryModels, disparitiesOf } from './geometry-models';

/** Whether a model has batch-normalisation layers (models' BatchNorm layers carry moving statistics). */
const hasBatchNorm = (model: { weights: readonly { originalName: string }[] }) =>
  model.weights.some((w) => w.originalName.endsWith('/moving_mean'));

describe('geometry models of the monocular recipes', () => {
  it('Monodepth2 has a batch-normalised poseNet (its ResNet-18 pose encoder), SfMLearner a plain PoseCNN', () => {
    for (const [name, expected] of [
      ['monodepth2', true],
      ['sfmlearner', false],
    ] as const) {
      const config = defaultTrainConfig(name);
      expect(config.method['poseNet']).toMatchObject({ batchNorm: expected });
      const models = buildGeometryModels(depthSettings(config, 'frame-triplets'), createKey(0));
      expect(hasBatchNorm(models.pose!)).toBe(expected);
      models.dispose();
    }
  });

  it("the depth head's initial disparity sits mid-sigmoid on a synthetic frame, not saturated", async () => {
    // At the default size: a sigmoid pinned near 0 or 1 passes almost no gradient (the collapse seen
    // before the fix ended there). He-normal head, zero bias: the initial logits stay within a few units.
    const config = defaultTrainConfig('monodepth2');
    const settings = depthSettings(config, 'frame-triplets');
    const { height, width } = settings;
    const frame = syntheticSequence(createKey(3), { height, width, samples: 1, frames: 1 });
    const models = buildGeometryModels(settings, createKey(0));
    const before = tf.memory().numTensors;
    const image = tf.tensor4d(frame.images, [1, height, width, 3]);
    const outputs = disparitiesOf(models.depth.predict(image) as tf.Tensor[]);
    expect(outputs).toHaveLength(settings.scales);
    for (const d of outputs) {
      const values = Array.from(await d.data()).sort((a, b) => a - b);
      expect(values[0]!).toBeGreaterThan(0.02);
      expect(values[values.length - 1]!).toBeLessThan(0.98);
      const median = values[values.length >> 1]!;
      expect(median).toBeGreaterThan(0.2);
      expect(median).toBeLessThan(0.8);
    }
    tf.dispose([image, ...outputs]);
    expect(tf.memory().numTensors).toBe(before);
    models.dispose();
  });

  it('poseNet.batchNorm must be a boolean', () => {
    expect(() =>
      resolveTrainConfig({ method: { name: 'monodepth2', poseNet: { batchNorm: 'yes' } } } as never),
    ).toThrow(`resolveTrainConfig: 'method.poseNet.batchNorm' is "yes" but expected true or false.`);
  });
});
