import { createKey } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../src/config/train-config';
import { syntheticDepthData } from '../src/depth/synthetic-depth-data';
import { syntheticFlowPairs } from '../src/flow/flow-data';
import { createMethod } from '../src/loop/fit';
import type { MethodData } from '../src/method/method';
import { METHODS } from '../src/method/registry';
import { syntheticStereoVideoData } from '../src/scene-flow/scene-flow-data';
import { blobs, colourBlobs } from './golden/golden-runs';

/** The smallest run of a method; sizes only options the method has (read from its spec). */
function tinyConfig(name: string) {
  const options = METHODS.find((m) => m.name === name)!.options as Record<string, unknown>;
  const representation = 'encoder' in options;
  const contrastive = 'projection' in options;
  return resolveTrainConfig({
    batchSize: representation ? 4 : 2,
    steps: 1,
    method:
      !contrastive && representation
        ? {
            name,
            encoder: { name: 'small-convnet', widths: [4, 8] },
            ...('hidden' in options ? { hidden: [8] } : {}),
            ...('permutations' in options ? { permutations: 10 } : {}),
            ...('decoderWidths' in options ? { decoderWidths: [8, 8, 8] } : {}),
          }
        : representation
          ? {
              name,
              encoder: { name: 'small-convnet', widths: [4, 8] },
              projection: { hiddenDim: 8, outputDim: 8 },
              ...('predictorHiddenDim' in options ? { predictorHiddenDim: 8 } : {}),
              ...('queueSize' in options ? { queueSize: 8 } : {}),
            }
          : 'network' in options || 'flowNet' in options
            ? {
                name,
                height: 32,
                width: 32,
                poolSize: 2,
                samples: 1,
                ['network' in options ? 'network' : 'flowNet']:
                  'network' in options
                    ? { levels: 2, finestLevel: 1, maxDisplacement: 1, widths: [4, 4], estimatorWidths: [4] }
                    : { levels: 2, finestLevel: 2, maxDisplacement: 2, widths: [4, 4], estimatorWidths: [4] },
                levelWeights: [1, 1],
              }
            : {
                name,
                height: 32,
                width: 32,
                poolSize: 2,
                samples: 1,
                scales: 1,
                depthNet: { encoderWidths: [4, 4, 4, 4, 4], decoderWidths: [4, 4, 4, 4, 4] },
                ...('poseNet' in options ? { poseNet: { widths: [4, 4, 4, 4, 4] } } : {}),
              },
  });
}

const weightsOf = async (models: readonly { model: { weights: { read(): tf.Tensor }[] } }[]) =>
  Promise.all(models.flatMap(({ model }) => model.weights.map(async (w) => [...(await w.read().data())])));

// What the loop, checkpoints and evaluation rely on, for every registered method.
describe.each(METHODS.map((spec) => [spec.name, spec] as const))(
  '%s keeps the method contract',
  (name, spec) => {
    it('builds named models from the init key, gives a batch and a finite scalar loss, and frees everything', {
      timeout: 300_000,
    }, async () => {
      const before = tf.memory().numTensors;
      const config = tinyConfig(name);
      const data: MethodData =
        spec.task === 'scene-flow'
          ? syntheticStereoVideoData(Object.assign({}, config.method, { seed: 0, batchSize: 2 }) as never)
          : spec.task === 'flow'
            ? syntheticFlowPairs(config)
            : spec.task !== 'representation'
              ? syntheticDepthData(config)
              : spec.imageChannels === 3
                ? colourBlobs(8)
                : blobs(8);
      const method = await createMethod(config, data);
      expect(method.name).toBe(name);
      const modelNames = method.models.map((m) => m.name);
      expect(modelNames.length).toBeGreaterThan(0);
      expect(new Set(modelNames).size).toBe(modelNames.length);
      // The encoder that evaluation probes is one of the checkpointed models, for representation methods only.
      if (spec.task === 'representation') {
        expect(method.models.map((m) => m.model)).toContain(method.encoder);
        // Evaluation feeds the data's images (through encoderInput when the method has one) to the encoder.
        const features = tf.tidy(() => {
          const images = (data as ReturnType<typeof blobs>).images([0, 1, 2]);
          const input = method.encoderInput ? method.encoderInput(images) : images;
          return method.encoder!.predict(input) as tf.Tensor;
        });
        expect(features.shape[0]).toBe(3);
        expect(features.rank).toBe(2);
        features.dispose();
      } else expect(method.encoder).toBeUndefined();
      // What the optimizer updates is held by the checkpointed models.
      const variables = method.trainableVariables();
      expect(variables.length).toBeGreaterThan(0);
      const held = new Set(method.models.flatMap(({ model }) => model.weights.map((w) => w.read().id)));
      for (const v of variables) expect(held.has(v.id)).toBe(true);

      // Same config, same weights.
      const twin = await createMethod(config, data);
      expect(await weightsOf(twin.models)).toEqual(await weightsOf(method.models));
      twin.dispose();

      const batch = method.batch(data as never, [0, 1], createKey(1), 0);
      const tensors = Object.values(batch as Record<string, tf.Tensor>);
      expect(tensors.length).toBeGreaterThan(0);
      // One example per index, or a fixed number per index (RotNet's four rotations of each image).
      for (const t of tensors) {
        expect(t.shape[0]! % 2).toBe(0);
        expect(t.shape[0]).toBeGreaterThan(0);
      }
      // The caller owns the loss and its terms (scalars), as trainStep does.
      const { loss, terms } = tf.tidy(() => {
        const result = method.loss(batch as never, 0);
        const named: Record<string, tf.Scalar> = { ...result.terms };
        return { loss: result.loss, terms: named };
      });
      expect(loss.shape).toEqual([]);
      expect(Number.isFinite((await loss.data())[0])).toBe(true);
      for (const t of Object.values(terms)) expect(t.shape).toEqual([]);
      tf.dispose([loss, batch, ...Object.values(terms)]);
      method.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  },
);
