import {
  bernoulliValues,
  checkImages,
  checkOptions,
  defineOp,
  type Key,
  normalValues,
  randintValues,
  ShapeError,
  splitKey,
  uniformValues,
} from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkChoice, checkInteger, checkNumber, checkProbability, checkTaskKey } from '../internal/checks';
import { gatherPatches } from '../internal/patches';

/** Options of {@link relativeLocationTask}. */
export interface RelativeLocationTaskOptions {
  /** Side of the square patches (the paper: 96 px). */
  readonly patchSize: number;
  /** Gap between neighbouring patches. Default `round(patchSize / 2)` (the paper: 48 for 96). */
  readonly gap?: number;
  /** Each patch moves by up to this many pixels in x and y. Default `round(patchSize * 7 / 96)` (the paper: 7). */
  readonly jitter?: number;
  /** `'random'` (default): one neighbour per image, drawn from the key; `'all'`: the 8 neighbours of each image (8B pairs). */
  readonly pairs?: 'random' | 'all';
  /**
   * Probability of colour dropping per patch (3-channel images): keep one random channel and replace the
   * other two by Gaussian noise around 0.5 with 1/100 of the kept channel's standard deviation. Default 1.
   */
  readonly colorDropping?: number;
  /** Probability of down-and-up-sampling each patch (bilinear), against pixelation shortcuts. Default 0.5. */
  readonly downsample?: number;
  /** Smallest downsampled side as a fraction of `patchSize`. Default 0.104 (the paper's 100 pixels of 96x96). */
  readonly minScale?: number;
}

/** What {@link relativeLocationTask} builds. */
export type RelativeLocationTask = {
  /** `[centres, neighbours]`, each `[N, P, P, C]` (`N = B`, or `8B` for `'all'`, image-major). */
  readonly inputs: [tf.Tensor4D, tf.Tensor4D];
  /** `[N]` int32 neighbour position 0..7, row-major around the centre skipping it (0 top-left, 3 left, 4 right, 7 bottom-right). */
  readonly targets: tf.Tensor1D;
  /** `[N * 4]` top-left corners: centre (y, x), then neighbour (y, x), jitter included. */
  readonly boxes: Int32Array;
  /** `[2N]` the channel kept by colour dropping (centres, then neighbours), -1 where none was dropped. */
  readonly keptChannel: Int32Array;
  /** `[2N]` the side each patch was downsampled to (`P` where it was not). */
  readonly sides: Int32Array;
};

const OP = 'relativeLocationTask';

/** The 8 neighbour offsets (dy, dx) in label order: row-major around the centre. */
export const NEIGHBOURS: readonly (readonly [number, number])[] = [
  [-1, -1],
  [-1, 0],
  [-1, 1],
  [0, -1],
  [0, 1],
  [1, -1],
  [1, 0],
  [1, 1],
];

function downAndUp(patches: tf.Tensor4D, sides: Int32Array, size: number): tf.Tensor4D {
  const groups = new Map<number, number[]>();
  sides.forEach((s, i) => {
    groups.set(s, [...(groups.get(s) ?? []), i]);
  });
  if (groups.size === 1 && groups.has(size)) return patches;
  const parts: tf.Tensor4D[] = [];
  const order: number[] = [];
  for (const [side, members] of groups) {
    const group = tf.gather(patches, tf.tensor1d(members, 'int32'));
    parts.push(
      side === size
        ? group
        : tf.image.resizeBilinear(
            tf.image.resizeBilinear(group, [side, side], false, true),
            [size, size],
            false,
            true,
          ),
    );
    order.push(...members);
  }
  const inverse = new Int32Array(order.length);
  order.forEach((member, position) => {
    inverse[member] = position;
  });
  return tf.gather(tf.concat(parts, 0), tf.tensor1d(inverse, 'int32'));
}

function dropColours(patches: tf.Tensor4D, kept: Int32Array, noiseKey: Key): tf.Tensor4D {
  if (!kept.some((k) => k >= 0)) return patches;
  const [N, P, , C] = patches.shape;
  const keepMask = new Float32Array(N * C);
  kept.forEach((k, i) => {
    if (k >= 0) keepMask[i * C + k] = 1;
    else keepMask.fill(1, i * C, (i + 1) * C);
  });
  const mask = tf.tensor4d(keepMask, [N, 1, 1, C]); // 1 on kept channels
  const { variance } = tf.moments(patches, [1, 2], true); // [N, 1, 1, C]
  // the kept channel's standard deviation (only read where exactly one channel is kept)
  const keptStd = tf.sum(tf.mul(tf.sqrt(variance), mask), -1, true); // [N, 1, 1, 1]
  const z = tf.tensor4d(normalValues(noiseKey, N * P * P * C), [N, P, P, C]);
  const noise = tf.add(0.5, tf.mul(z, tf.div(keptStd, 100)));
  return tf.add(tf.mul(patches, mask), tf.mul(noise, tf.sub(1, mask)));
}

/**
 * Relative patch location (Doersch, Gupta, Efros 2015): a centre patch and one of its 8 neighbours on a
 * 3x3 grid, and the label says which neighbour (0..7, row-major around the centre). The paper's
 * counter-measures against trivial shortcuts are built in: a `gap` between patches and up to `jitter`
 * pixels of independent shift per patch (no continuing edges or textures across borders), colour
 * dropping (no chromatic aberration to read the position from), and random down-and-up-sampling.
 * The grid is placed uniformly at random wherever it fits, with its maximal jitter.
 *
 * Departs from the paper: the dropped channels' noise is centred at 0.5 (the paper's mean-subtracted
 * input has the dataset mean at 0); the downsampled side is uniform in [minScale, 1] of the patch side
 * (the paper only says "to as little as 100 total pixels"). mmselfsup's variant (all 8 pairs, random
 * grey instead of colour dropping) is `pairs: 'all'`, `colorDropping: 0` plus a grey augmentation.
 *
 * @param key - draws the grid placement, jitter, neighbour, dropped channels, noise and downsampling
 * @param images - float32 `[B, H, W, C]` with `H, W >= 3 P + 2 gap + 2 jitter`
 * @param options - `patchSize` (required), `gap`, `jitter`, `pairs`, `colorDropping`, `downsample`, `minScale`
 * @returns `{ inputs: [centres, neighbours], targets, boxes, keptChannel, sides }`
 * @throws ShapeError when the images are too small for the grid; ArgumentError for bad options
 * @example
 * ```ts
 * const { inputs, targets } = relativeLocationTask(createKey(0), images, { patchSize: 8, gap: 2, jitter: 1 });
 * const loss = classificationLoss(network.apply(inputs) as tf.Tensor2D, targets);
 * ```
 * @see Doersch, Gupta, Efros 2015, Unsupervised visual representation learning by context prediction, https://arxiv.org/abs/1505.05192
 */
export const relativeLocationTask = defineOp(
  OP,
  (key: Key, images: tf.Tensor, options: RelativeLocationTaskOptions): RelativeLocationTask => {
    checkTaskKey(OP, key);
    const opts = checkOptions(
      options,
      ['patchSize', 'gap', 'jitter', 'pairs', 'colorDropping', 'downsample', 'minScale'],
      { op: OP },
    );
    const P = checkInteger(OP, 'patchSize', opts.patchSize, 1);
    const gap = checkInteger(OP, 'gap', opts.gap ?? Math.round(P / 2), 0);
    const jitter = checkInteger(OP, 'jitter', opts.jitter ?? Math.round((P * 7) / 96), 0);
    const pairs = checkChoice(OP, 'pairs', opts.pairs ?? 'random', ['random', 'all'] as const);
    const colorDropping = checkProbability(OP, 'colorDropping', opts.colorDropping ?? 1);
    const downsample = checkProbability(OP, 'downsample', opts.downsample ?? 0.5);
    const minScale = checkNumber(OP, 'minScale', opts.minScale ?? 0.104, {
      min: 0,
      max: 1,
      exclusiveMin: true,
    });
    const dims = checkImages(images, { op: OP, arg: 'images', channels: [1, 2, 3, 4] });
    const [B, H, W, C] = [dims.get('B')!, dims.get('H')!, dims.get('W')!, dims.get('C')!];
    const stride = P + gap;
    const need = 3 * P + 2 * gap + 2 * jitter;
    if (H < need || W < need) {
      throw new ShapeError({
        op: OP,
        argument: 'images',
        expected: `height and width >= ${need}`,
        actual: `[${images.shape.join(',')}]`,
        message: `${OP}: 'images' has shape [${images.shape.join(',')}] but the 3x3 grid needs height and width >= 3 patchSize + 2 gap + 2 jitter = ${need}; use smaller patches, gap or jitter.`,
      });
    }

    const perImage = pairs === 'all' ? 8 : 1;
    const N = B * perImage;
    const [placeKey, jitterKey, labelKey, dropKey, channelKey, noiseKey, downKey, sideKey] = splitKey(
      key,
      8,
    ) as Key[];
    const originY = randintValues(placeKey!, B, stride + jitter, H - P - stride - jitter + 1);
    const originX = randintValues(splitKey(placeKey!)[1]!, B, stride + jitter, W - P - stride - jitter + 1);
    const shifts = randintValues(jitterKey!, 2 * B + 2 * N, -jitter, jitter + 1); // centres (y,x), then neighbours
    const labels =
      pairs === 'all' ? Int32Array.from({ length: N }, (_, i) => i % 8) : randintValues(labelKey!, N, 0, 8);

    const boxes = new Int32Array(N * 4);
    const sources = new Int32Array(2 * N);
    const tops = new Int32Array(2 * N);
    const lefts = new Int32Array(2 * N);
    for (let i = 0; i < N; i++) {
      const b = Math.floor(i / perImage);
      const [dy, dx] = NEIGHBOURS[labels[i]!]!;
      const cy = originY[b]! + shifts[2 * b]!;
      const cx = originX[b]! + shifts[2 * b + 1]!;
      const ny = originY[b]! + dy * stride + shifts[2 * B + 2 * i]!;
      const nx = originX[b]! + dx * stride + shifts[2 * B + 2 * i + 1]!;
      boxes.set([cy, cx, ny, nx], 4 * i);
      sources[i] = b;
      sources[N + i] = b;
      tops[i] = cy;
      lefts[i] = cx;
      tops[N + i] = ny;
      lefts[N + i] = nx;
    }
    let patches = gatherPatches(images as tf.Tensor4D, sources, tops, lefts, P); // [2N, P, P, C]

    const sides = new Int32Array(2 * N).fill(P);
    if (downsample > 0) {
      const down = bernoulliValues(downKey!, 2 * N, downsample);
      const u = uniformValues(sideKey!, 2 * N, minScale, 1);
      for (let i = 0; i < 2 * N; i++) {
        if (down[i] === 1) sides[i] = Math.min(P, Math.max(1, Math.round(u[i]! * P)));
      }
      patches = downAndUp(patches, sides, P);
    }
    const keptChannel = new Int32Array(2 * N).fill(-1);
    if (C === 3 && colorDropping > 0) {
      const drop = bernoulliValues(dropKey!, 2 * N, colorDropping);
      const channel = randintValues(channelKey!, 2 * N, 0, 3);
      for (let i = 0; i < 2 * N; i++) if (drop[i] === 1) keptChannel[i] = channel[i]!;
      patches = dropColours(patches, keptChannel, noiseKey!);
    }
    const [centres, neighbours] = tf.split(patches, 2, 0) as [tf.Tensor4D, tf.Tensor4D];
    return {
      inputs: [centres, neighbours],
      targets: tf.tensor1d(labels, 'int32'),
      boxes,
      keptChannel,
      sides,
    };
  },
);
