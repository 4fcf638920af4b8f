import { splitKey } from '@genoise/core';
import { MemoryQueue, mocoLoss } from '@genoise/losses';
import { cloneModel, emaUpdate, trainableVariables } from '@genoise/models';
import * as tf from '@tensorflow/tfjs-core';
import { buildBackbone } from './build-encoder';
import type { MethodContext, TrainingMethod } from './method';

/**
 * MoCo v2: queries from the online encoder + head, keys from a momentum copy (EMA, `moco.momentum`),
 * InfoNCE against a queue of `moco.queueSize` past keys; each step's keys are enqueued after the update.
 *
 * @see He et al. 2020, "Momentum Contrast for Unsupervised Visual Representation Learning"; Chen et al. 2020 (v2)
 */
export async function moco({ config, imageShape, key }: MethodContext): Promise<TrainingMethod> {
  const [kModel, kQueue] = splitKey(key, 2);
  const { encoder, projector } = buildBackbone(config, imageShape, kModel!);
  const keyEncoder = await cloneModel(encoder);
  const keyProjector = await cloneModel(projector);
  let queue = new MemoryQueue({
    size: config.moco.queueSize,
    dim: config.projection.outputDim,
    key: kQueue!,
  });
  let pendingKeys: tf.Tensor2D | undefined;
  return {
    name: 'moco',
    encoder,
    models: [
      { name: 'encoder', model: encoder },
      { name: 'projector', model: projector },
      { name: 'keyEncoder', model: keyEncoder },
      { name: 'keyProjector', model: keyProjector },
    ],
    trainableVariables: () => trainableVariables(encoder, projector),
    loss(view1, view2) {
      const q = projector.apply(encoder.apply(view1, { training: true }) as tf.Tensor, {
        training: true,
      }) as tf.Tensor2D;
      // mocoLoss stops the key's gradient; the key encoder's variables are not optimised either.
      const k = keyProjector.apply(keyEncoder.apply(view2, { training: true }) as tf.Tensor, {
        training: true,
      }) as tf.Tensor2D;
      pendingKeys?.dispose();
      pendingKeys = tf.keep(tf.clone(k));
      return mocoLoss(q, k, queue, { temperature: config.temperature });
    },
    afterStep() {
      emaUpdate(keyEncoder, encoder, config.moco.momentum);
      emaUpdate(keyProjector, projector, config.moco.momentum);
      if (pendingKeys) {
        queue.enqueue(pendingKeys);
        pendingKeys.dispose();
        pendingKeys = undefined;
      }
    },
    async extraState() {
      const s = await queue.state();
      return [
        { name: 'queue', shape: [queue.size, queue.dim], values: s.data, meta: { pointer: s.pointer } },
      ];
    },
    restoreExtraState(state) {
      const s = state.find((e) => e.name === 'queue');
      if (!s) return;
      const restored = MemoryQueue.restore({
        data: s.values,
        pointer: s.meta?.['pointer'] ?? 0,
        size: s.shape[0]!,
        dim: s.shape[1]!,
      });
      queue.dispose();
      queue = restored;
    },
    dispose() {
      pendingKeys?.dispose();
      queue.dispose();
      for (const m of [encoder, projector, keyEncoder, keyProjector]) m.dispose();
    },
  };
}
