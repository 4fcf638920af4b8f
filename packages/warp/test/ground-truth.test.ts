import { createKey } from '@genoise/core';
import { syntheticFlow, syntheticSequence, syntheticStereo } from '@genoise/data';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  backproject,
  disparityWarp,
  flowWarp,
  inverseWarp,
  invertIntrinsics,
  project,
  transformPoints,
} from '../src/index';

// Issue 4, acceptance 1: on synthetic scenes with exact ground truth (rendered by @genoise/data), each
// warp driven by the ground truth reproduces the target: mean L1 under 0.02 on valid, unoccluded
// pixels, while the unwarped error is at least five times larger.
const H = 64;
const W = 192;

/** Mean over pixels where `mask` is 1 of the channel-mean |a - b|. */
async function maskedL1(a: tf.Tensor4D, b: tf.Tensor4D, mask: tf.Tensor4D): Promise<number> {
  const value = tf.tidy(() => {
    const perPixel = tf.mean(tf.abs(tf.sub(a, b)), -1, true);
    return tf.div(tf.sum(tf.mul(perPixel, mask)), tf.sum(mask));
  });
  const [v] = await value.data();
  value.dispose();
  return v!;
}

function image4(values: Float32Array, channels: number, height = H, width = W): tf.Tensor4D {
  return tf.tensor4d(values, [1, height, width, channels]);
}

describe('warps driven by ground truth reproduce the target (synthetic scenes)', () => {
  it('inverseWarp with ground-truth depth, pose and K (monocular sequence)', async () => {
    for (const seed of [1, 2]) {
      const seq = syntheticSequence(createKey(seed), { height: H, width: W, frames: 2 });
      const frame = (t: number) => image4(seq.images.subarray(t * H * W * 3, (t + 1) * H * W * 3), 3);
      const depthOf = (t: number) => image4(seq.depth.subarray(t * H * W, (t + 1) * H * W), 1);
      const [target, source, depthT, depthS] = [frame(1), frame(0), depthOf(1), depthOf(0)];
      const T = tf.tensor3d(seq.srcTransTgt(0, 1), [1, 4, 4]);
      const K = tf.tensor3d(seq.K, [1, 3, 3]);
      const { warped, valid } = inverseWarp(source, depthT, T, K, { padding: 'border' });
      // Unoccluded: the source's own depth, sampled where the target point lands, agrees (3 %) with the
      // depth that point projects to in the source camera.
      const visible = tf.tidy(() => {
        const projected = project(transformPoints(T, backproject(depthT, invertIntrinsics(K))), K).depth;
        const seen = inverseWarp(depthS, depthT, T, K, { padding: 'border' }).warped;
        const agree = tf.lessEqual(tf.abs(tf.sub(seen, projected)), tf.mul(projected, 0.03));
        return tf.mul(valid, tf.cast(agree, 'float32')) as tf.Tensor4D;
      });
      const warpedL1 = await maskedL1(warped, target, visible);
      const unwarpedL1 = await maskedL1(source, target, visible);
      const share = (await tf.mean(visible).data())[0]!;
      console.log(
        `sequence seed ${seed}: warped L1 ${warpedL1.toFixed(4)}, unwarped ${unwarpedL1.toFixed(4)}, unoccluded ${(100 * share).toFixed(0)}%`,
      );
      expect(share).toBeGreaterThan(0.5);
      expect(warpedL1).toBeLessThan(0.02);
      expect(unwarpedL1).toBeGreaterThan(5 * warpedL1);
      tf.dispose([target, source, depthT, depthS, T, K, warped, valid, visible]);
    }
  });

  it('disparityWarp with ground-truth disparity (rectified stereo, x_right = x_left - d)', async () => {
    const pair = syntheticStereo(createKey(3), { height: H, width: W });
    const [left, right] = [image4(pair.left, 3), image4(pair.right, 3)];
    const disparity = image4(pair.disparityLeft, 1);
    const visible = tf.tidy(() => tf.sub(1, image4(pair.occlusionLeft, 1)) as tf.Tensor4D);
    const leftFromRight = disparityWarp(right, disparity, { direction: 'toLeft', padding: 'border' });
    const warpedL1 = await maskedL1(leftFromRight, left, visible);
    const unwarpedL1 = await maskedL1(right, left, visible);
    console.log(`stereo: warped L1 ${warpedL1.toFixed(4)}, unwarped ${unwarpedL1.toFixed(4)}`);
    expect(warpedL1).toBeLessThan(0.02);
    expect(unwarpedL1).toBeGreaterThan(5 * warpedL1);
    tf.dispose([left, right, disparity, visible, leftFromRight]);
  });

  it('flowWarp with ground-truth flow (I1(x) ~ I2(x + flow(x)) on unoccluded pixels)', async () => {
    // The generator's default size: at 64x192 a frame pair moves too few pixels for a 5x contrast.
    const [h, w] = [128, 416];
    const pair = syntheticFlow(createKey(4), { height: h, width: w });
    const [frame1, frame2] = [image4(pair.frame1, 3, h, w), image4(pair.frame2, 3, h, w)];
    const flow = image4(pair.flow, 2, h, w);
    const visible = tf.tidy(() => tf.sub(1, image4(pair.occlusion, 1, h, w)) as tf.Tensor4D);
    const warped = flowWarp(frame2, flow);
    const warpedL1 = await maskedL1(warped, frame1, visible);
    const unwarpedL1 = await maskedL1(frame2, frame1, visible);
    console.log(`flow: warped L1 ${warpedL1.toFixed(4)}, unwarped ${unwarpedL1.toFixed(4)}`);
    expect(warpedL1).toBeLessThan(0.02);
    expect(unwarpedL1).toBeGreaterThan(5 * warpedL1);
    tf.dispose([frame1, frame2, flow, visible, warped]);
  });
});
