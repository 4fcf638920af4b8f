import { checkDType, checkNumber, checkOptions, checkShape, defineOp } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link flowToColor}. */
export interface FlowToColorOptions {
  /**
   * The flow length, in pixels, shown at full saturation, > 0; longer vectors are darkened to 75%.
   * Default the largest flow length in the batch (so several images share one scale).
   */
  readonly maxMagnitude?: number;
}

const OP = 'flowToColor';

/** Segment lengths of the Middlebury colour wheel: red-yellow, yellow-green, green-cyan, cyan-blue, blue-magenta, magenta-red. */
const SEGMENTS = { RY: 15, YG: 6, GC: 4, CB: 11, BM: 13, MR: 6 } as const;

/**
 * The 55 colours of the Middlebury wheel (`makeColorwheel` in Baker et al.'s `computeColor.m`), each
 * segment ramping one channel with `floor(255 · i / n)`, as RGB in `[0, 255]`.
 */
export function middleburyColorWheel(): [number, number, number][] {
  const wheel: [number, number, number][] = [];
  const ramp = (i: number, n: number) => Math.floor((255 * i) / n);
  for (let i = 0; i < SEGMENTS.RY; i++) wheel.push([255, ramp(i, SEGMENTS.RY), 0]);
  for (let i = 0; i < SEGMENTS.YG; i++) wheel.push([255 - ramp(i, SEGMENTS.YG), 255, 0]);
  for (let i = 0; i < SEGMENTS.GC; i++) wheel.push([0, 255, ramp(i, SEGMENTS.GC)]);
  for (let i = 0; i < SEGMENTS.CB; i++) wheel.push([0, 255 - ramp(i, SEGMENTS.CB), 255]);
  for (let i = 0; i < SEGMENTS.BM; i++) wheel.push([ramp(i, SEGMENTS.BM), 0, 255]);
  for (let i = 0; i < SEGMENTS.MR; i++) wheel.push([255, 0, 255 - ramp(i, SEGMENTS.MR)]);
  return wheel;
}

/**
 * Optical flow as a colour image with the Middlebury colour code (Baker et al.): the direction picks
 * the hue on a 55-colour wheel, the length the saturation. With `r = ||(u, v)|| / maxMagnitude` and
 * `a = atan2(-v, -u) / π`, `f_k = (a + 1) / 2 · 54`, `k0 = floor(f_k)`, `f = f_k - k0`,
 * `c = ((1 - f) · wheel[k0] + f · wheel[k0 + 1]) / 255`, then `rgb = 1 - r · (1 - c)` for `r <= 1`
 * (zero flow is white) and `0.75 · c` beyond. With y pointing down, flow to the right is red, down is
 * yellow-orange, left is cyan-blue and up is violet-blue. The angle ±π (flow exactly to the right) is
 * read as -π, so it is red on every backend whatever the sign of a zero v; the colours are the
 * reference's before its final `floor(255 · rgb)`.
 *
 * @param flow - `[B, H, W, 2]` (u, v) in pixels, float32
 * @param options - `{ maxMagnitude? }` (default the batch's largest flow length)
 * @returns `[B, H, W, 3]` RGB in `[0, 1]`, owned by the caller
 * @throws ShapeError when `flow` is not `[B, H, W, 2]`; DTypeError when not float32; ArgumentError when
 *   `maxMagnitude` is not a positive finite number
 * @example
 * ```ts
 * const rgb = flowToColor(flow); // [B, H, W, 3] for a report: encode with toUint8 from @genoise/core
 * ```
 * @see Baker et al., "A Database and Evaluation Methodology for Optical Flow", IJCV 2011
 *   (`flow-code/colorcode.cpp`, `computeColor.m`)
 */
export const flowToColor = defineOp(OP, (flow: tf.Tensor, options?: FlowToColorOptions): tf.Tensor4D => {
  const { maxMagnitude } = checkOptions(options, ['maxMagnitude'], { op: OP });
  checkShape(flow, ['B', 'H', 'W', 2], { op: OP, arg: 'flow' });
  checkDType(flow, ['float32'], { op: OP, arg: 'flow' });
  if (maxMagnitude !== undefined) {
    checkNumber(maxMagnitude, { op: OP, arg: 'maxMagnitude', min: 0, exclusiveMin: true });
  }
  const wheel = middleburyColorWheel();
  const columns = wheel.length; // 55
  const colours = tf.div(tf.tensor2d(wheel.flat(), [columns, 3]), 255); // [55, 3]
  const [u, v] = tf.split(flow, 2, 3) as [tf.Tensor4D, tf.Tensor4D];
  const length = tf.sqrt(tf.add(tf.square(u), tf.square(v))); // [B, H, W, 1]
  const scale = maxMagnitude === undefined ? tf.divNoNan(1, tf.max(length)) : tf.scalar(1 / maxMagnitude);
  const radius = tf.mul(length, scale);
  const angle = tf.div(tf.atan2(tf.neg(v), tf.neg(u)), Math.PI); // [-1, 1]
  const position = tf.mul(tf.div(tf.add(angle, 1), 2), columns - 1); // [0, 54]
  const wrapped = tf.where(tf.greaterEqual(position, columns - 1), tf.zerosLike(position), position);
  const k0 = tf.floor(wrapped);
  const fraction = tf.sub(wrapped, k0);
  const index0 = tf.cast(tf.reshape(k0, [-1]), 'int32');
  const index1 = tf.add(index0, tf.scalar(1, 'int32')); // at most 54: `wrapped` < 54
  const [b, h, w] = flow.shape as [number, number, number, 2];
  const c0 = tf.reshape(tf.gather(colours, index0), [b, h, w, 3]);
  const c1 = tf.reshape(tf.gather(colours, index1), [b, h, w, 3]);
  const hue = tf.add(tf.mul(tf.sub(1, fraction), c0), tf.mul(fraction, c1));
  const inside = tf.sub(1, tf.mul(radius, tf.sub(1, hue)));
  const outside = tf.mul(hue, 0.75);
  return tf.where(tf.broadcastTo(tf.lessEqual(radius, 1), [b, h, w, 3]), inside, outside) as tf.Tensor4D;
});
