import { mocoV2Views } from '@genoise/augment';
import { splitKey } from '@genoise/core';
import type { Dataset } from '@genoise/data';
import { MemoryQueue, mocoLoss } from '@genoise/losses';
import { cloneModel, emaUpdate, trainableVariables } from '@genoise/models';
import * as tf from '@tensorflow/tfjs-core';
import type { MethodSpec } from '../method/method-spec';
import { buildBackbone } from './representation/backbone';
import {
  checkRepresentation,
  integerOption,
  numberOption,
  REPRESENTATION_DEFAULTS,
  REPRESENTATION_OPTIONS,
  type RepresentationOptions,
  representationIdentity,
  type TwoViews,
  twoViews,
  viewRecipeOptions,
} from './representation/representation-options';

/** MoCo's options: the shared encoder, head and views, the InfoNCE temperature, the queue and the momentum. */
export interface MocoOptions extends RepresentationOptions {
  readonly name: 'moco';
  /** InfoNCE temperature. Default 0.2 (MoCo v2). */
  readonly temperature: number;
  /** Keys in the queue, K. Default 4096 (CIFAR-scale). */
  readonly queueSize: number;
  /** Key-encoder EMA momentum. Default 0.99 (small data; 0.999 in the paper). */
  readonly momentum: number;
}

/**
 * MoCo (v2 recipe; the method is named `moco` since genoise implements v2 only, and augment's
 * `mocoV2Views` names the recipe's version): queries from the online encoder + head, keys from a momentum
 * copy (EMA), InfoNCE against a queue of past keys; each step's keys are enqueued after the update.
 *
 * @see He et al. 2020, "Momentum Contrast for Unsupervised Visual Representation Learning"; Chen et al. 2020 (v2)
 */
export const moco: MethodSpec<MocoOptions, Dataset> = {
  name: 'moco',
  summary: 'MoCo v2: momentum key encoder, InfoNCE against a queue of past keys',
  paper:
    'He et al. 2020, Momentum Contrast; Chen et al. 2020, Improved Baselines with Momentum Contrastive Learning',
  task: 'representation',
  data: 'images',
  defaults: { ...REPRESENTATION_DEFAULTS, steps: 1000 },
  options: { ...REPRESENTATION_OPTIONS, temperature: 0.2, queueSize: 4096, momentum: 0.99 },
  validate(config) {
    checkRepresentation(config);
    numberOption(config.method.temperature, 'method.temperature', Number.MIN_VALUE);
    integerOption(config.method.queueSize, 'method.queueSize');
    numberOption(config.method.momentum, 'method.momentum', 0, 1);
  },
  identity: (options) => [representationIdentity(options), options.queueSize],
  async create({ config, data, key }) {
    const options = config.method;
    const [kModel, kQueue] = splitKey(key, 2);
    const { encoder, projector } = buildBackbone(options, data.imageShape, kModel!);
    const keyEncoder = await cloneModel(encoder);
    const keyProjector = await cloneModel(projector);
    const recipe = mocoV2Views(viewRecipeOptions(options, data.imageShape));
    let queue = new MemoryQueue({ size: options.queueSize, dim: options.projection.outputDim, key: kQueue! });
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
      batch: (images, indices, viewKey) => twoViews(recipe, images, indices, viewKey),
      loss({ view1, view2 }: TwoViews) {
        const q = projector.apply(encoder.apply(view1, { training: true }) as tf.Tensor, {
          training: true,
        }) as tf.Tensor2D;
        // mocoLoss stops the key's gradient; the key encoder's variables are not optimised either.
        const k = keyProjector.apply(keyEncoder.apply(view2, { training: true }) as tf.Tensor, {
          training: true,
        }) as tf.Tensor2D;
        pendingKeys?.dispose();
        pendingKeys = tf.keep(tf.clone(k));
        return { loss: mocoLoss(q, k, queue, { temperature: options.temperature }) };
      },
      afterStep() {
        emaUpdate(keyEncoder, encoder, options.momentum);
        emaUpdate(keyProjector, projector, options.momentum);
        if (pendingKeys) {
          queue.enqueue(pendingKeys);
          pendingKeys.dispose();
          pendingKeys = undefined;
        }
      },
      state: {
        async save() {
          const s = await queue.state();
          return [
            { name: 'queue', shape: [queue.size, queue.dim], values: s.data, meta: { pointer: s.pointer } },
          ];
        },
        restore(state) {
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
      },
      dispose() {
        pendingKeys?.dispose();
        queue.dispose();
        for (const m of [encoder, projector, keyEncoder, keyProjector]) m.dispose();
      },
    };
  },
};
