/**
 * Box arithmetic for `tf.image.cropAndResize`, whose convention is: a box is `[y1, x1, y2, x2]`
 * normalised so that `y` maps to the pixel row `y * (H - 1)` (pixel centres at integers), and output row
 * `o` of `n` samples row `y1 * (H - 1) + o * (y2 - y1) * (H - 1) / (n - 1)` (the midpoint when `n = 1`).
 * A sample point outside `[0, H - 1]` gets `extrapolationValue`, even when it is only a rounding error
 * past the last pixel centre (measured in tfjs 4.22: the full box `[0, 0, 1, 1]` leaves a border of
 * extrapolated pixels for 252 of 9801 (H, n) pairs up to 100 on cpu, 405 on wasm), so far ends that
 * land on the last pixel centre are pulled in by `(H - 1) * 2^-20`.
 */

/** Relative margin that keeps the last sample point inside the image after float32 rounding. */
const EDGE_MARGIN = 2 ** -20;

/**
 * The normalised `[start, end]` along one axis that samples the crop `[first, first + length)` of an
 * axis of `size` pixels at `samples` points like torchvision's bilinear resize of the cropped image:
 * half-pixel centres `first + (o + 0.5) * length / samples - 0.5` when downsampling or keeping the size
 * (`length >= samples`); corner-aligned `first + o * (length - 1) / (samples - 1)` when upsampling, so
 * every point stays inside the crop (torchvision clamps the outermost points instead; the two differ by
 * less than half a source pixel).
 */
export function axisBox(first: number, length: number, size: number, samples: number): [number, number] {
  if (size === 1) return [0, 0];
  const ratio = length / samples;
  let start: number;
  let end: number;
  if (ratio >= 1) {
    start = first + 0.5 * ratio - 0.5;
    end = start + (samples - 1) * ratio;
  } else {
    start = first;
    end = first + length - 1;
  }
  const limit = (size - 1) * (1 - EDGE_MARGIN);
  start = Math.min(start, limit);
  end = Math.min(end, limit);
  return [start / (size - 1), end / (size - 1)];
}

/** `[B]` box indices `0 .. B-1` for one box per image. */
export function boxIndices(batchSize: number): Int32Array {
  return Int32Array.from({ length: batchSize }, (_, i) => i);
}
