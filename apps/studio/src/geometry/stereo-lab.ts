import { createKey, foldIn } from '@genoise/core';
import { syntheticStereo } from '@genoise/data';
import { edgeAwareSmoothness, minReprojection, photometricLoss } from '@genoise/losses';
import { depthNet, trainableVariables } from '@genoise/models';
import { disparityToPixels, disparityWarp } from '@genoise/warp';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

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
  readonly learningRate: number;
  /** Weight of the edge-aware smoothness of the mean-normalised disparity. */
  readonly smoothness: number;
}

export const DEFAULT_LAB: LabSettings = {
  height: 64,
  width: 128,
  scenes: 4,
  seed: 0,
  learningRate: 2e-3,
  smoothness: 1e-3,
};

/** Largest disparity the network can output, as a fraction of the width (stereo Monodepth's 0.3). */
const MAX_DISPARITY = 0.3;

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

/**
 * Self-supervised stereo (Monodepth-style, from the left image): a small depth network predicts the left
 * disparity; the right image warped by it should look like the left one. Owns its tensors.
 */
export class StereoLab {
  private model!: tfl.LayersModel;
  private optimizer!: tf.Optimizer;
  private left!: tf.Tensor4D;
  private right!: tf.Tensor4D;
  step = 0;

  constructor(
    public pairs: StereoPair[],
    readonly settings: LabSettings = DEFAULT_LAB,
  ) {
    this.build();
  }

  private build(): void {
    const { height, width, seed } = this.settings;
    this.model = depthNet({
      inputShape: [height, width, 3],
      encoderWidths: [8, 16, 24, 32, 48],
      decoderWidths: [8, 12, 16, 24, 32],
      scales: 1,
      maxDisparity: MAX_DISPARITY,
      key: foldIn(createKey(seed), 1000),
    });
    this.optimizer = tf.train.adam(this.settings.learningRate);
    this.setPairs(this.pairs);
    this.step = 0;
  }

  /** Replaces the training pairs (e.g. the user's own), keeping the network. */
  setPairs(pairs: StereoPair[]): void {
    const { height, width } = this.settings;
    this.left?.dispose();
    this.right?.dispose();
    const stack = (pick: (p: StereoPair) => Float32Array) => {
      const out = new Float32Array(pairs.length * height * width * 3);
      pairs.forEach((p, i) => {
        out.set(pick(p), i * height * width * 3);
      });
      return tf.tensor4d(out, [pairs.length, height, width, 3]);
    };
    this.pairs = pairs;
    this.left = stack((p) => p.left);
    this.right = stack((p) => p.right);
  }

  private predictPixels(left: tf.Tensor4D, training: boolean): tf.Tensor4D {
    const fraction = this.model.apply(left, { training }) as tf.Tensor4D;
    return disparityToPixels(fraction, { width: this.settings.width });
  }

  /** One Adam step on all pairs; returns the loss. */
  async trainStep(): Promise<number> {
    const variables = trainableVariables(this.model);
    const loss = this.optimizer.minimize(
      () => {
        const disparity = this.predictPixels(this.left, true);
        const warped = disparityWarp(this.right, disparity, { direction: 'toLeft', padding: 'border' });
        const photometric = photometricLoss(warped, this.left);
        const smooth = edgeAwareSmoothness(disparity, this.left, { normalize: true });
        return tf.add(photometric, tf.mul(smooth, this.settings.smoothness)) as tf.Scalar;
      },
      true,
      variables,
    )!;
    const value = (await loss.data())[0]!;
    loss.dispose();
    this.step++;
    return value;
  }

  /** The warp, its error, the auto-mask and the prediction for pair `index`, warping with the ground truth or the prediction. */
  async maps(index: number, use: 'truth' | 'prediction'): Promise<LabMaps> {
    const { height, width } = this.settings;
    const pair = this.pairs[index]!;
    const truth = use === 'truth' && pair.disparity !== undefined;
    const tensors = tf.tidy(() => {
      const left = tf.slice(this.left, [index, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;
      const right = tf.slice(this.right, [index, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;
      const predicted = this.predictPixels(left, false);
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

  /** Fresh weights and optimizer, step 0. */
  reset(): void {
    this.disposeModel();
    this.build();
  }

  private disposeModel(): void {
    this.model.dispose();
    this.optimizer.dispose();
  }

  dispose(): void {
    this.disposeModel();
    tf.dispose([this.left, this.right]);
  }
}
