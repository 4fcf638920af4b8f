import { checkOptions, shapeBindings } from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';
import { checkMask, checkSomeValid, readMask } from '../internal/masks';

/** Options of {@link maskAgreement}. */
export interface MaskAgreementOptions {
  /** `[B, H, W, 1]` float 0/1: only pixels with value > 0.5 count. Default all. */
  readonly valid?: tf.Tensor;
}

/** What {@link maskAgreement} returns: shares in [0, 1] (NaN where a denominator is 0) and the counts. */
export interface MaskAgreement {
  /** `TP / (TP + FP)`: of the pixels predicted set, the share truly set (NaN when none is predicted). */
  readonly precision: number;
  /** `TP / (TP + FN)`: of the pixels truly set, the share predicted (NaN when none is truly set). */
  readonly recall: number;
  /** `2·TP / (2·TP + FP + FN)`, the harmonic mean of precision and recall. */
  readonly f1: number;
  /** `TP / (TP + FP + FN)`, intersection over union. */
  readonly iou: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  /** Number of valid pixels. */
  readonly count: number;
}

const OP = 'maskAgreement';

/**
 * Agreement of a predicted binary mask with the true one over the valid pixels of the batch, e.g. the
 * forward-backward occlusion estimate against the renderer's true occlusion: with TP, FP, FN counted
 * over valid pixels (a value > 0.5 is set), `precision = TP / (TP + FP)`, `recall = TP / (TP + FN)`,
 * `f1 = 2·TP / (2·TP + FP + FN)`, `iou = TP / (TP + FP + FN)`; a ratio whose denominator is 0 is NaN.
 *
 * @param predicted - `[B, H, W, 1]` predicted mask, float 0/1 (int32 and bool work too)
 * @param truth - `[B, H, W, 1]` true mask
 * @param options - `{ valid? }`, `[B, H, W, 1]`
 * @returns a promise of {@link MaskAgreement} (plain numbers)
 * @throws ShapeError when a shape is not `[B, H, W, 1]` or the sizes differ; DTypeError for a bad dtype;
 *   ArgumentError for an unknown option or when no pixel is valid
 * @example
 * ```ts
 * const occ = forwardBackwardOcclusion(forward, backward); // @genoise/warp
 * const { precision, recall } = await maskAgreement(occ, truth.occluded, { valid: truth.valid });
 * ```
 * @see Meister, Hur and Roth, "UnFlow: Unsupervised Learning of Optical Flow with a Bidirectional
 *   Census Loss", AAAI 2018
 */
export async function maskAgreement(
  predicted: tf.Tensor,
  truth: tf.Tensor,
  options?: MaskAgreementOptions,
): Promise<MaskAgreement> {
  const { valid } = checkOptions(options, ['valid'], { op: OP });
  const dims = shapeBindings();
  checkMask(predicted, OP, 'predicted', dims);
  checkMask(truth, OP, 'truth', dims);
  checkMask(valid, OP, 'valid', dims);
  const size = predicted.size;
  const [p, t, v] = await Promise.all([
    readMask(predicted, size),
    readMask(truth, size),
    readMask(valid, size),
  ]);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let count = 0;
  for (let i = 0; i < size; i++) {
    if (v[i] === 0) continue;
    count++;
    if (p[i] === 1 && t[i] === 1) tp++;
    else if (p[i] === 1) fp++;
    else if (t[i] === 1) fn++;
  }
  checkSomeValid(count, OP, 'valid');
  const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
  return {
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    f1: ratio(2 * tp, 2 * tp + fp + fn),
    iou: ratio(tp, tp + fp + fn),
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    count,
  };
}
