import type { AppliedParams, Augmentation } from '../augmentation/augmentation';
import { makeFlip } from '../internal/flip';

/** Options of {@link verticalFlip}. */
export interface VerticalFlipOptions {
  /** Probability of flipping each sample, in [0, 1]. Default 0.5. */
  readonly p?: number;
}

/**
 * Mirrors each sample upside down with probability `p`: `out[b, y, x, c] = in[b, H - 1 - y, x, c]`
 * where `applied[b] = 1`, else `in[b, y, x, c]` (exact copies).
 *
 * @param options.p - probability in [0, 1], default 0.5
 * @returns an augmentation on float32 `[B, H, W, C]` (1-4 channels); params `{ applied: Uint8Array }` `[B]`
 * @throws ArgumentError for `p` outside [0, 1]; ShapeError/DTypeError from `apply` for bad images
 * @example
 * ```ts
 * const flip = verticalFlip({ p: 1 });
 * const out = flip.apply(images, flip.sample(createKey(1), 4, { height: 8, width: 8, channels: 1 }));
 * ```
 */
export function verticalFlip({ p = 0.5 }: VerticalFlipOptions = {}): Augmentation<AppliedParams> {
  return makeFlip('verticalFlip', 'vertical', p);
}
