import * as tf from '@tensorflow/tfjs-core';
import { AB_BIN_CENTRES } from './ab-bins-data';

/** The number of in-gamut ab bins, 261 (grid 10; see {@link abBins}). */
export const AB_BIN_COUNT = AB_BIN_CENTRES.length / 2;

/**
 * The quantised ab space of colorization: bin centres on a grid of 10 in (a, b), kept when some sRGB
 * colour falls in the bin. Derived by converting all 2^24 8-bit sRGB colours with {@link rgbToLab}'s
 * formulas (float64) and rounding a and b to the nearest multiple of 10: 261 bins (every third level
 * per channel gives the same 261). Zhang et al.'s file has 313 bins; a count over sRGB colours does not
 * reproduce it (their set is wider than sRGB), so predictions here range over the 261 bins only.
 * Sorted by a, then b; the class index of a bin is its position.
 *
 * @returns `[Q, 2]` centres as `[a, b]` pairs (a fresh array)
 * @example
 * ```ts
 * const bins = abBins(); // [[-90, 80], [-80, 40], ...], 261 pairs
 * ```
 * @see Zhang, Isola, Efros 2016, Colorful image colorization, section 2.1, https://arxiv.org/abs/1603.08511
 */
export function abBins(): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < AB_BIN_COUNT; i++) out.push([AB_BIN_CENTRES[2 * i]!, AB_BIN_CENTRES[2 * i + 1]!]);
  return out;
}

/** The bin centres as a `[Q, 2]` tensor (the caller disposes it). */
export function binCentres(): tf.Tensor2D {
  return tf.tensor2d(AB_BIN_CENTRES as number[], [AB_BIN_COUNT, 2]);
}

/** Squared distances `[N, Q]` from ab values `[N, 2]` to every bin centre. */
export function binDistances(ab: tf.Tensor2D): tf.Tensor2D {
  const centres = binCentres();
  const [a, b] = tf.split(ab, 2, 1) as [tf.Tensor2D, tf.Tensor2D]; // [N, 1] each
  const [ca, cb] = tf.split(tf.transpose(centres), 2, 0) as [tf.Tensor2D, tf.Tensor2D]; // [1, Q] each
  return tf.add(tf.square(tf.sub(a, ca)), tf.square(tf.sub(b, cb)));
}
