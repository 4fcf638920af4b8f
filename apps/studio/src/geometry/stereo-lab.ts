import { createKey, foldIn } from '@genoise/core';
import { syntheticStereo } from '@genoise/data';
import { minReprojection, photometricLoss } from '@genoise/losses';
import {
  type DepthMethod,
  predictDisparity,
  resolveTrainConfig,
  type StereoData,
  type StereoExamples,
  type TrainConfig,
} from '@genoise/train';
import { disparityToPixels, disparityWarp } from '@genoise/warp';
import * as tf from '@tensorflow/tfjs-core';
import { MethodSession, type SessionStep } from '../train/method-session';

/** A rectified stereo pair, HWC floats; ground truth only for synthetic scenes. */
export interface StereoPair {
  readonly name: string;
  readonly left: Float32Array; // [H, W, 3]
  readonly right: Float32Array; // [H, W, 3]
  readonly disparity: Float32Array | undefined; // [H, W], pixels, x_right = x_left - d
  readonly occlusion: Float32Array | undefined; // [H, W], 1 = not visible in the right view
}

export interface LabSettings {
  readonly height: number;
  readonly width: number;
  /** Synthetic pairs the network trains on (one batch). */
  readonly scenes: number;
  readonly seed: number;
  /** Adam's rate, constant: the lab trains for as long as the page asks. */
  readonly learningRate: number;
  /** Weight of the edge-aware disparity smoothness (the stereo method's `smoothness`, Monodepth's 0.1). */
  readonly smoothness: number;
  /**
   * The stereo method's loss terms. Default `'naive'`: only the left view is reconstructed from the right
   * (the warp the page draws; one warp per step, a live page stays fast); `'lr'` is the trainer's default
   * (both views and left-right consistency, about three times the work).
   */
  readonly consistency: 'naive' | 'no-lr' | 'lr';
}

export const DEFAULT_LAB: LabSettings = {
  height: 64,
  width: 128,
  scenes: 4,
  seed: 0,
  learningRate: 2e-3,
  smoothness: 0.1,
  consistency: 'naive',
};

/** The `@genoise/train` method the lab runs: Monodepth from rectified stereo pairs. */
export const STEREO_LAB_METHOD = 'stereo';

/** Everything the geometry page draws for one pair, as typed arrays (`[H, W]` maps, `[H, W, 3]` images). */
export interface LabMaps {
  readonly warped: Float32Array;
  readonly error: Float32Array;
  readonly identityError: Float32Array;
  /** 1 where warping beats not warping (Monodepth2's auto-mask keeps the pixel). */
  readonly autoMask: Float32Array;
  readonly prediction: Float32Array;
  /** Mean photometric error (SSIM + L1) of the warp over the image. */
  readonly meanError: number;
  /** Mean |prediction - ground truth| in pixels over pixels visible in both views, when there is ground truth. */
  readonly endPointError: number | undefined;
}

/** Synthetic rooms from @genoise/data with exact disparity and occlusion. */
export function syntheticPairs(settings: LabSettings): StereoPair[] {
  return Array.from({ length: settings.scenes }, (_, i) => {
    const pair = syntheticStereo(foldIn(createKey(settings.seed), i), {
      height: settings.height,
      width: settings.width,
      baseline: 0.4,
      objects: 6,
    });
    return {
      name: `scene ${i + 1}`,
      left: pair.left,
      right: pair.right,
      disparity: pair.disparityLeft,
      occlusion: pair.occlusionLeft,
    };
  });
}

/** Steps of the lab's run: its constant rate holds for the first 75% of them (about 40 hours at 5 steps/s). */
const LAB_STEPS = 1_000_000;

/**
 * The run config of the lab: the stereo method with a small one-scale depthNet, all pairs in every batch,
 * Adam at the settings' rate held constant (no warm-up; a `'step'` schedule, which keeps the base rate for
 * the first 75% of a long run).
 */
export function labConfig(settings: LabSettings, pairs: number): TrainConfig {
  return resolveTrainConfig({
    seed: settings.seed,
    batchSize: pairs,
    learningRate: settings.learningRate,
    warmupFraction: 0,
    schedule: 'step',
    steps: LAB_STEPS,
    method: {
      name: STEREO_LAB_METHOD,
      height: settings.height,
      width: settings.width,
      depthNet: { encoderWidths: [8, 16, 24, 32, 48], decoderWidths: [8, 12, 16, 24, 32] },
      scales: 1,
      smoothness: settings.smoothness,
      consistency: settings.consistency,
    },
  });
}

/**
 * The lab's current pairs (`pairs()`, which {@link StereoLab.setPairs} replaces) as the stereo method's
 * data: `examples(indices)` stacks them into `[B, H, W, 3]` batches.
 */
function stereoData(pairs: () => readonly StereoPair[], height: number, width: number): StereoData {
  const pixels = height * width * 3;
  const stack = (indices: readonly number[], pick: (p: StereoPair) => Float32Array) => {
    const out = new Float32Array(indices.length * pixels);
    const all = pairs();
    indices.forEach((index, b) => {
      out.set(pick(all[index]!), b * pixels);
    });
    return tf.tensor4d(out, [indices.length, height, width, 3]);
  };
  return {
    kind: 'stereo-pairs',
    name: 'studio pairs',
    height,
    width,
    get size() {
      return pairs().length;
    },
    examples: (indices): StereoExamples => ({
      left: stack(indices, (p) => p.left),
      right: stack(indices, (p) => p.right),
    }),
  };
}

/**
 * Self-supervised stereo with the trainer's own method (`@genoise/train`'s `stereo`, Monodepth): a small
 * depth network predicts the disparity from the left image; the right view warped by it should
 * reproduce the left one, with edge-aware smoothness (and, with `consistency: 'lr'`, the right view's
 * reconstruction and left-right consistency too). Stepped by the studio's {@link MethodSession} (train's
 * `trainStep`, the run's keys) on one fixed batch, every pair in order, at a constant learning rate (see
 * {@link labConfig}). Owns its tensors.
 */
export class StereoLab {
  private session!: MethodSession<StereoData, DepthMethod<StereoData>>;
  private readonly data: StereoData;
  private left!: tf.Tensor4D;
  private right!: tf.Tensor4D;

  private constructor(
    public pairs: StereoPair[],
    readonly settings: LabSettings,
  ) {
    this.data = stereoData(() => this.pairs, settings.height, settings.width);
  }

  /**
   * @throws ArgumentError when the settings make an invalid stereo config (from `resolveTrainConfig`,
   *   e.g. a height or width that is not a multiple of 32)
   */
  static async create(pairs: StereoPair[], settings: LabSettings = DEFAULT_LAB): Promise<StereoLab> {
    const lab = new StereoLab(pairs, settings);
    lab.setPairs(pairs);
    lab.session = await lab.newSession();
    return lab;
  }

  /** A run of {@link labConfig} for the current pairs; each step's batch is every pair, in order. */
  private newSession(): Promise<MethodSession<StereoData, DepthMethod<StereoData>>> {
    const config = labConfig(this.settings, this.pairs.length);
    const order = (step: number) => ({ epoch: step, indices: this.pairs.map((_, i) => i) });
    return MethodSession.create<StereoData, DepthMethod<StereoData>>(config, this.data, { order });
  }

  /** The run config (see {@link labConfig}); its batch is every pair (as many as at the last reset). */
  get config(): TrainConfig {
    return this.session.config;
  }

  /** Steps completed since the last reset. */
  get step(): number {
    return this.session.step;
  }

  /** Replaces the training pairs (e.g. the user's own), keeping the network. */
  setPairs(pairs: StereoPair[]): void {
    this.left?.dispose();
    this.right?.dispose();
    this.pairs = pairs;
    const all = this.data.examples(pairs.map((_, i) => i));
    this.left = all.left;
    this.right = all.right;
  }

  private predictPixels(left: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() =>
      disparityToPixels(predictDisparity(this.session.method.geometry, left), { width: this.settings.width }),
    );
  }

  /** One step of the stereo method on all pairs (train's `trainStep`). */
  trainStep(): Promise<SessionStep> {
    return this.session.trainStep();
  }

  /** The warp, its error, the auto-mask and the prediction for pair `index`, warping with the ground truth or the prediction. */
  async maps(index: number, use: 'truth' | 'prediction'): Promise<LabMaps> {
    const { height, width } = this.settings;
    const pair = this.pairs[index]!;
    const truth = use === 'truth' && pair.disparity !== undefined;
    const tensors = tf.tidy(() => {
      const left = tf.slice(this.left, [index, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;
      const right = tf.slice(this.right, [index, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;
      const predicted = this.predictPixels(left);
      const disparity = truth ? tf.tensor4d(pair.disparity!, [1, height, width, 1]) : predicted;
      const warped = disparityWarp(right, disparity, { direction: 'toLeft', padding: 'border' });
      const error = photometricLoss(warped, left, { reduction: 'none' });
      const identityError = photometricLoss(right, left, { reduction: 'none' });
      const { mask } = minReprojection([error], { identityLosses: [identityError] });
      return { warped, error, identityError, mask, predicted, meanError: tf.mean(error) };
    });
    const [warped, error, identityError, autoMask, prediction, meanError] = await Promise.all(
      [
        tensors.warped,
        tensors.error,
        tensors.identityError,
        tensors.mask,
        tensors.predicted,
        tensors.meanError,
      ].map((t) => t.data() as Promise<Float32Array>),
    );
    tf.dispose(Object.values(tensors));
    let endPointError: number | undefined;
    if (pair.disparity !== undefined) {
      let sum = 0;
      let count = 0;
      for (let i = 0; i < prediction!.length; i++) {
        if (pair.occlusion?.[i] === 1) continue;
        sum += Math.abs(prediction![i]! - pair.disparity[i]!);
        count++;
      }
      endPointError = count > 0 ? sum / count : undefined;
    }
    return {
      warped: warped!,
      error: error!,
      identityError: identityError!,
      autoMask: autoMask!,
      prediction: prediction!,
      meanError: meanError![0]!,
      endPointError,
    };
  }

  /** Fresh weights and optimizer, step 0 (a new run when the number of pairs changed since the last). */
  async reset(): Promise<void> {
    if (this.pairs.length === this.session.config.batchSize) return this.session.reset();
    const next = await this.newSession();
    await this.session.pause();
    this.session.dispose();
    this.session = next;
  }

  dispose(): void {
    this.session.dispose();
    tf.dispose([this.left, this.right]);
  }
}
