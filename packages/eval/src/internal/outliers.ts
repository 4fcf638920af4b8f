/** KITTI's outlier thresholds: an error counts when it exceeds both 3 px and 5% of the true value. */
export const OUTLIER_PIXELS = 3;
export const OUTLIER_RELATIVE = 0.05;

/**
 * Whether an end-point (or disparity) error is an outlier in KITTI's sense:
 * `error > 3 && error > 0.05 · |truth|`, strict as in the KITTI devkit (`err > tau[0] && err / mag > tau[1]`,
 * written without the division so a zero truth works).
 */
export function isOutlier(error: number, truthMagnitude: number): boolean {
  return error > OUTLIER_PIXELS && error > OUTLIER_RELATIVE * truthMagnitude;
}
