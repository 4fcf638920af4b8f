import { foldIn, type Key } from '@genoise/core';
import { type FlowNet, flowNet } from '@genoise/models';
import * as tf from '@tensorflow/tfjs-core';
import { stepsOf, type TrainConfig } from '../config/train-config';
import { checkFramePairData, type FramePairData, flowDataSettings, flowRunKeys } from '../flow/flow-data';
import {
  checkUnflow,
  UNFLOW_DEFAULTS,
  UNFLOW_OPTIONS,
  type UnflowOptions,
  unflowIdentity,
  unflowScheduledWeights,
} from '../flow/flow-options';
import { photometricAugment } from '../flow/photometric-augment';
import { unflowLoss } from '../flow/unflow-loss';
import type { Method } from '../method/method';
import type { MethodSpec } from '../method/method-spec';

export type { UnflowOptions } from '../flow/flow-options';

/** UnFlow's batch: the frames the losses compare and the (augmented) frames the network sees. */
export interface UnflowBatch extends tf.NamedTensorMap {
  readonly frame1: tf.Tensor4D;
  readonly frame2: tf.Tensor4D;
  readonly input1: tf.Tensor4D;
  readonly input2: tf.Tensor4D;
}

/** A training or trained flow method: a {@link Method} with its network and options, for evaluation. */
export interface FlowMethod extends Method<FramePairData, UnflowBatch> {
  readonly net: FlowNet;
  readonly options: UnflowOptions;
}

function unflowMethod(config: TrainConfig<UnflowOptions>, data: FramePairData, key: Key): FlowMethod {
  const options = config.method;
  checkFramePairData(flowDataSettings(config), data, 'unflow');
  const net = flowNet({
    inputShape: [options.height, options.width, 3],
    levels: options.flowNet.levels,
    finestLevel: options.flowNet.finestLevel,
    maxDisplacement: options.flowNet.maxDisplacement,
    widths: [...options.flowNet.widths],
    estimatorWidths: [...options.flowNet.estimatorWidths],
    key,
  });
  const lossOptions = {
    levelWeights: options.levelWeights,
    censusRadii: options.censusRadii,
    dataTerm: options.dataTerm,
    census: options.census,
    occlusion: options.occlusion,
  };
  const { totalSteps } = stepsOf(config, data.size, 'unflow');
  return {
    name: 'unflow',
    net,
    options,
    models: net.models,
    trainableVariables: () => net.trainableVariables(),
    batch(pairs, indices, stepKey) {
      const { frame1, frame2 } = pairs.examples(indices);
      const [input1, input2] = photometricAugment(frame1, frame2, stepKey, options.augment);
      return { frame1, frame2, input1, input2 };
    },
    loss({ frame1, frame2, input1, input2 }, step) {
      // One shared network, one batch of 2B: (I1, I2) gives the forward flows, (I2, I1) the backward ones.
      const flows = net.apply(tf.concat([input1, input2], 0), tf.concat([input2, input1], 0), {
        training: true,
      });
      const halves = flows.map((f) => tf.split(f, 2, 0) as [tf.Tensor4D, tf.Tensor4D]);
      const result = unflowLoss(
        halves.map((h) => h[0]),
        halves.map((h) => h[1]),
        frame1,
        frame2,
        { ...lossOptions, ...unflowScheduledWeights(options, step, totalSteps) },
      );
      for (const t of Object.values(result.terms)) tf.keep(t);
      return result;
    },
    dispose: () => net.dispose(),
  };
}

/**
 * UnFlow (Meister, Hur & Roth 2018): unsupervised optical flow from frame pairs. One shared PWC-style
 * network (`@genoise/models`' `flowNet`) runs on `(I1, I2)` and `(I2, I1)`, giving forward and
 * backward flow at several scales; the loss ({@link unflowLoss}) is, per scale and direction, the census
 * data term masked by the forward-backward occlusion check (no gradient through the mask), second-order
 * smoothness and the forward-backward consistency term, weighted per level; photometric augmentation
 * ({@link photometricAugment}) is applied to the network's input only.
 *
 * The defaults are UnFlow's census term and weights with two changes to its schedule: the first half of
 * the run trains the data term alone (`regularizerWarmup: 0.5`) and the input is not augmented; with
 * UnFlow's schedule (`regularizerWarmup: 0, augment.enabled: true`) the flows collapse to zero at these
 * budgets (see `UNFLOW_OPTIONS` and the trainer README's measurements).
 *
 * Where it departs from the original, and why:
 * - Network: a small PWC-style pyramid (4 levels, estimators at 1/4 to 1/16, upsampled to full size)
 *   instead of FlowNetC/CSS, to fit two CPU cores (see `flowNet`).
 * - Loss levels: UnFlow's finest loss level is the network's 1/4 output; at 64x64 that is 16x16 pixels,
 *   too coarse for a 7x7 census, so the finest loss is on the upsampled full-resolution flow with
 *   UnFlow's finest weight and radius (12.7, r = 3), then the 1/4, 1/8, 1/16 outputs (4.35, 3.9, 3.4;
 *   radii 2, 2, 1).
 * - Images are area-downsampled to each level (UnFlow resizes bilinearly).
 * - The census map is 0 within `r` of the border (censusLoss's border mask, as UnFlow's `transform_mask`).
 * - Optimiser: Adam at 2e-3 with a cosine schedule and a short budget (UnFlow: 1e-4 for 500k steps),
 *   since the run must fit about fifteen minutes (2e-3 rather than 1e-3: EPE 1.82 against 2.04 with
 *   the photometric term, the same run otherwise).
 * - Data: a pool of 2,048 synthetic pairs, rendered on first use (a pool of 256 overfits: EPE 1.60
 *   against 1.47 at 2,048, the same run otherwise).
 * - Augmentation: photometric only (UnFlow also applies geometric augmentation to both frames, which
 *   needs the flow targets to be transformed too; left out).
 * - Regulariser warm-up (`regularizerWarmup`, default half the run): the data term alone first,
 *   then the smoothness and consistency ramp in and the forward-backward mask switches on. With all
 *   terms from the first step (UnFlow's recipe, `regularizerWarmup: 0`) this network's flows collapse
 *   to zero within ~100 steps and stay there: the regularisers shrink the untrained network's noisy
 *   flows faster than the data term can build matches, and at zero flow the data term's gradient is
 *   nearly uncorrelated with the true flow (measured cosine 0.01-0.07). ARFlow and DDFlow likewise switch
 *   occlusion handling on after a warm-up.
 * - The data are FlyingChairs-style synthetic pairs (`flyingShapes`, `scenes: 'flying-shapes'`): a textured
 *   background and shapes, each under its own similarity motion, with exact flow and occlusion.
 *   `scenes: 'corridor'` trains on the renderer's rooms (`syntheticFlow`), on which no data term
 *   learned: the images are smooth and low-contrast (mean |dI/dx| 0.008 against 0.028), and the true
 *   flow's warp leaves half the zero flow's photometric error on visible pixels (10% on the shapes).
 *
 * @see Meister, Hur, Roth, "UnFlow: Unsupervised Learning of Optical Flow with a Bidirectional Census Loss", AAAI 2018
 */
export const unflow: MethodSpec<UnflowOptions, FramePairData> = {
  name: 'unflow',
  summary:
    'UnFlow: bidirectional flow, census or photometric loss, forward-backward occlusion and consistency',
  paper:
    'Meister, Hur & Roth 2018, UnFlow: Unsupervised Learning of Optical Flow with a Bidirectional Census Loss',
  task: 'flow',
  data: 'frame-pairs',
  defaultData: 'synthetic',
  defaults: { ...UNFLOW_DEFAULTS, steps: 600 },
  budgets: { tensorflow: 2000 },
  options: UNFLOW_OPTIONS,
  validate: checkUnflow,
  identity: unflowIdentity,
  keys: (seed) => {
    const { initKey, orderKey, stepKey } = flowRunKeys(seed);
    return { initKey, orderKey, stepKey };
  },
  create: async ({ config, data, key }) => unflowMethod(config, data, foldIn(key, 0)),
};
