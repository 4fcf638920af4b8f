import { ArgumentError, checkDType, checkShape, defineOp, ShapeError, shapeBindings } from '@genoise/core';
import { censusLoss, photometricLoss } from '@genoise/losses';
import { flowWarp, forwardBackwardOcclusion } from '@genoise/warp';
import * as tf from '@tensorflow/tfjs-core';
import { downsampleImage } from '../depth/geometry-losses';
import { untracked } from '../internal/untracked';

/** UnFlow's robust penalty `(x^2 + 0.001^2)^0.45`. */
const EPS = 0.001;
const ALPHA = 0.45;
const robust = (x: tf.Tensor): tf.Tensor => tf.pow(tf.add(tf.square(x), EPS * EPS), ALPHA);

function checkFlow(
  flow: unknown,
  op: string,
  arg: string,
  bindings = shapeBindings(),
): asserts flow is tf.Tensor4D {
  checkShape(flow, ['B', 'H', 'W', 2], { op, arg, bindings });
  checkDType(flow, ['float32'], { op, arg });
}

/** The four second-order stencils `f(p - o) - 2 f(p) + f(p + o)`: along x, y and both diagonals. */
const STENCILS: readonly (readonly [number, number])[] = [
  [0, 1],
  [1, 0],
  [1, 1],
  [1, -1],
];

/**
 * UnFlow's second-order smoothness of a flow field: the robust penalty
 * `rho(x) = (x^2 + 0.001^2)^0.45` of the second differences `f(p - o) - 2 f(p) + f(p + o)` of each flow
 * channel, for `o` along x, y and both diagonals, at the interior pixels (the one-pixel border, where a
 * stencil leaves the image, is masked out as UnFlow's `border` mask does), summed and divided by
 * `B·H·W·4` (UnFlow's normalisation by all elements of the `[B, H, W, 4]` deltas of a channel; the two
 * channels are added).
 *
 * @param flow - float32 `[B, H, W, 2]`, `H, W >= 3`, pixels
 * @returns a `tf.Scalar`
 * @throws ShapeError when `flow` is not `[B, H, W, 2]` with H, W >= 3; DTypeError when not float32
 * @example
 * ```ts
 * const s = secondOrderSmoothness(flow); // 0.002 · 4 · (H-2)(W-2) / (HW) · 2 / 4 for an affine flow
 * ```
 * @see Meister, Hur, Roth, "UnFlow", AAAI 2018 (`_smoothness_deltas`, `second_order_deltas`)
 */
export const secondOrderSmoothness = defineOp('secondOrderSmoothness', (flow: tf.Tensor4D): tf.Scalar => {
  const op = 'secondOrderSmoothness';
  checkFlow(flow, op, 'flow');
  const [b, h, w] = flow.shape;
  if (h < 3 || w < 3)
    throw new ShapeError({
      op,
      argument: 'flow',
      expected: 'H >= 3 and W >= 3',
      actual: `[${flow.shape.join(',')}]`,
      message: `${op}: 'flow' has shape [${flow.shape.join(',')}] but H and W must be at least 3 (one 3x3 stencil).`,
    });
  const at = (dy: number, dx: number) => tf.slice(flow, [0, 1 + dy, 1 + dx, 0], [-1, h - 2, w - 2, -1]);
  const centre = tf.mul(at(0, 0), 2);
  let total: tf.Tensor = tf.scalar(0);
  for (const [oy, ox] of STENCILS) {
    const delta = tf.sub(tf.add(at(-oy, -ox), at(oy, ox)), centre);
    total = tf.add(total, tf.sum(robust(delta)));
  }
  return tf.div(total, b * h * w * 4) as tf.Scalar;
});

/**
 * 1 where `x + flow(x)` lands inside the image (`0 <= x + u <= W - 1`, `0 <= y + v <= H - 1`), else 0:
 * UnFlow's `border_mask`, a constant to the gradient.
 *
 * @param flow - float32 `[B, H, W, 2]`, pixels
 * @returns float32 `[B, H, W, 1]`
 * @throws ShapeError, DTypeError for a bad flow
 */
export const inBoundsMask = defineOp('inBoundsMask', (flow: tf.Tensor4D): tf.Tensor4D => {
  checkFlow(flow, 'inBoundsMask', 'flow');
  const [, h, w] = flow.shape;
  return untracked(() => {
    const xs = tf.reshape(tf.range(0, w, 1, 'float32'), [1, 1, w, 1]);
    const ys = tf.reshape(tf.range(0, h, 1, 'float32'), [1, h, 1, 1]);
    const [u, v] = tf.split(flow, 2, 3);
    const x = tf.add(u!, xs);
    const y = tf.add(v!, ys);
    const inside = tf.logicalAnd(
      tf.logicalAnd(tf.greaterEqual(x, 0), tf.lessEqual(x, w - 1)),
      tf.logicalAnd(tf.greaterEqual(y, 0), tf.lessEqual(y, h - 1)),
    );
    return tf.cast(inside, 'float32') as tf.Tensor4D;
  });
});

/**
 * UnFlow's forward-backward consistency term: with `w_b'(x) = w_b(x + w_f(x))` (bilinear, border
 * padding), `sum_{x, c} mask(x) rho(w_f(x) + w_b'(x))_c / (B·H·W·2)`, `rho` the robust penalty. The
 * gradient reaches both flows (through the warp too), not the mask.
 *
 * @param flowFw - float32 `[B, H, W, 2]`, frame 1 -> 2
 * @param flowBw - float32 `[B, H, W, 2]`, frame 2 -> 1
 * @param mask - float32 `[B, H, W, 1]`, 1 = count the pixel (visible and in bounds)
 * @returns a `tf.Scalar`
 * @throws ShapeError, DTypeError for bad shapes or dtypes
 */
export const forwardBackwardConsistency = defineOp(
  'forwardBackwardConsistency',
  (flowFw: tf.Tensor4D, flowBw: tf.Tensor4D, mask: tf.Tensor4D): tf.Scalar => {
    const op = 'forwardBackwardConsistency';
    const dims = shapeBindings();
    checkFlow(flowFw, op, 'flowFw', dims);
    checkFlow(flowBw, op, 'flowBw', dims);
    checkShape(mask, ['B', 'H', 'W', 1], { op, arg: 'mask', bindings: dims });
    const [b, h, w] = flowFw.shape;
    const back = flowWarp(flowBw, flowFw, { padding: 'border' });
    return tf.div(tf.sum(tf.mul(robust(tf.add(flowFw, back)), mask)), b * h * w * 2) as tf.Scalar;
  },
);

/** Options of {@link unflowLoss}. */
export interface UnflowLossOptions {
  /** Weight of each flow output, finest first; missing entries weigh 0. Default UnFlow's `[12.7, 4.35, 3.9, 3.4, 1.1]`. */
  readonly levelWeights?: readonly number[];
  /** Census radius per output, finest first; the last repeats. Default `[3, 2, 2, 1, 1]`. */
  readonly censusRadii?: readonly number[];
  /**
   * The data term: `'census'` (UnFlow, default) or `'photometric'` (ARFlow's `0.15 L1 + 0.85 (1 - SSIM) / 2`,
   * `photometricLoss`, masked and divided by all pixels the same way), whose gradient does not saturate on
   * textured images as the soft census transform does (ARFlow uses it after a census warm-up; here it
   * is a plain alternative, and at the measured budgets neither left the zero-flow solution).
   */
  readonly dataTerm?: 'census' | 'photometric';
  /** Weights of the data, smoothness and consistency terms. Defaults 1, 3, 0.2 (UnFlow-CSS). */
  readonly census?: number;
  readonly smoothness?: number;
  readonly consistency?: number;
  /**
   * Mask the data and consistency terms by the forward-backward check too. Default true. The in-bounds
   * mask (flows leaving the image) is always applied, as UnFlow's `border_mask`.
   */
  readonly occlusionMask?: boolean;
  /** The check's tolerances. Default `{ alpha1: 0.01, alpha2: 0.5 }`. */
  readonly occlusion?: { readonly alpha1: number; readonly alpha2: number };
}

/** What {@link unflowLoss} returns; every tensor is the caller's. */
export interface UnflowLoss {
  readonly loss: tf.Scalar;
  /** Level-weighted, term-weighted sums over both directions: `data` (census or photometric), `smoothness`, `consistency`; and `occluded`, the fb-occluded share of the finest output. */
  readonly terms: Readonly<Record<'data' | 'smoothness' | 'consistency' | 'occluded', tf.Scalar>>;
}

const UNFLOW_LOSS_KEYS = [
  'levelWeights',
  'censusRadii',
  'dataTerm',
  'census',
  'smoothness',
  'consistency',
  'occlusionMask',
  'occlusion',
];

const unflowLossOp = defineOp(
  'unflowLoss',
  (
    flowsFw: readonly tf.Tensor4D[],
    flowsBw: readonly tf.Tensor4D[],
    frame1: tf.Tensor4D,
    frame2: tf.Tensor4D,
    options: UnflowLossOptions = {},
  ): tf.TensorContainer => {
    const op = 'unflowLoss';
    for (const key of Object.keys(options))
      if (!UNFLOW_LOSS_KEYS.includes(key))
        throw new ArgumentError({ op, argument: key, expected: UNFLOW_LOSS_KEYS.join(' | '), actual: key });
    const {
      levelWeights = [12.7, 4.35, 3.9, 3.4, 1.1],
      censusRadii = [3, 2, 2, 1, 1],
      dataTerm = 'census',
      census = 1,
      smoothness = 3,
      consistency = 0.2,
      occlusionMask = true,
      occlusion = { alpha1: 0.01, alpha2: 0.5 },
    } = options;
    if (
      !Array.isArray(flowsFw) ||
      !Array.isArray(flowsBw) ||
      flowsFw.length === 0 ||
      flowsFw.length !== flowsBw.length
    )
      throw new ArgumentError({
        op,
        argument: 'flowsBw',
        expected: 'as many backward flows as forward flows (at least one)',
        actual: `${flowsFw?.length} forward, ${flowsBw?.length} backward`,
      });
    const frames = shapeBindings();
    checkShape(frame1, ['B', 'H', 'W', 'C'], { op, arg: 'frame1', bindings: frames });
    checkShape(frame2, ['B', 'H', 'W', 'C'], { op, arg: 'frame2', bindings: frames });
    const [batch, height, width] = frame1.shape;
    const zero = () => tf.scalar(0);
    const sums = { data: zero(), smoothness: zero(), consistency: zero() };
    let occluded: tf.Scalar = zero();
    flowsFw.forEach((fw, l) => {
      const bw = flowsBw[l]!;
      const dims = shapeBindings();
      checkFlow(fw, op, `flowsFw[${l}]`, dims);
      checkFlow(bw, op, `flowsBw[${l}]`, dims);
      const [fb, h, w] = fw.shape;
      const scale = Math.log2(height / h);
      if (fb !== batch || !Number.isInteger(scale) || width / w !== 2 ** scale)
        throw new ShapeError({
          op,
          argument: `flowsFw[${l}]`,
          expected: `[${batch}, ${height}/2^s, ${width}/2^s, 2]`,
          actual: `[${fw.shape.join(',')}]`,
        });
      const weight = levelWeights[l] ?? 0;
      if (weight === 0) return;
      const radius = censusRadii[Math.min(l, censusRadii.length - 1)]!;
      const i1 = downsampleImage(frame1, scale);
      const i2 = downsampleImage(frame2, scale);
      const direction = (target: tf.Tensor4D, source: tf.Tensor4D, flow: tf.Tensor4D, other: tf.Tensor4D) => {
        // UnFlow's border mask is always on; the forward-backward check only with `occlusionMask`.
        const inBounds = inBoundsMask(flow);
        const mask = occlusionMask
          ? (tf.mul(tf.sub(1, forwardBackwardOcclusion(flow, other, occlusion)), inBounds) as tf.Tensor4D)
          : inBounds;
        const warped = flowWarp(source, flow, { padding: 'border' });
        const data = tf.div(
          dataTerm === 'census'
            ? censusLoss(target, warped, { patchSize: 2 * radius + 1, mask, reduction: 'sum' })
            : tf.sum(tf.mul(photometricLoss(warped, target, { reduction: 'none' }), mask)),
          batch * h * w,
        );
        return {
          data,
          smooth: secondOrderSmoothness(flow),
          fb: forwardBackwardConsistency(flow, other, mask),
          mask,
        };
      };
      const forward = direction(i1, i2, fw, bw);
      const backward = direction(i2, i1, bw, fw);
      if (l === 0) occluded = tf.sub(1, tf.mean(forward.mask)) as tf.Scalar;
      const add = (key: keyof typeof sums, a: tf.Tensor, b: tf.Tensor, k: number) => {
        sums[key] = tf.add(sums[key], tf.mul(tf.add(a, b), weight * k)) as tf.Scalar;
      };
      add('data', forward.data, backward.data, census);
      add('smoothness', forward.smooth, backward.smooth, smoothness);
      add('consistency', forward.fb, backward.fb, consistency);
    });
    const loss = tf.addN([sums.data, sums.smoothness, sums.consistency]) as tf.Scalar;
    return { loss, terms: { ...sums, occluded } };
  },
);

/**
 * UnFlow's bidirectional unsupervised loss (Meister, Hur & Roth 2018) over the outputs of a
 * coarse-to-fine flow network. For each output `l` (flows in pixels of its own resolution, the frames
 * area-downsampled to it) and each direction (forward: frame 1 is the target, frame 2 is warped back by
 * `w_f`; backward: the roles swapped):
 * - the occlusion mask `o = forwardBackwardOcclusion(w_f, w_b)` (no gradient) and `m = (1 - o) · inBounds(w_f)`;
 * - data: `census(I1, warp(I2, w_f), m)` with patch `2 r_l + 1`: the robust penalty of the soft census
 *   distance, **summed and divided by all `B·H·W` pixels** (UnFlow; `censusLoss`'s own mean would divide
 *   by the mask's sum);
 * - smoothness: {@link secondOrderSmoothness}`(w_f)`;
 * - consistency: {@link forwardBackwardConsistency}`(w_f, w_b, m)`;
 *
 * `loss = sum_l levelWeights[l] sum_dir (census · data + smoothness · smooth + consistency · fb)`.
 *
 * @param flowsFw - forward flows, finest first, `[B, H_l, W_l, 2]`
 * @param flowsBw - backward flows, the same shapes
 * @param frame1 - float32 `[B, H, W, C]` in [0, 1], un-augmented (the losses never see the augmentation)
 * @param frame2 - float32 `[B, H, W, C]`
 * @param options - see {@link UnflowLossOptions}
 * @returns `{ loss, terms }`
 * @throws ArgumentError for unequal numbers of outputs or an unknown option; ShapeError for mismatched
 *   shapes, an output size that is not the frame size over a power of two, or a level smaller than its census patch
 * @example
 * ```ts
 * const flows = net.apply(tf.concat([i1, i2]), tf.concat([i2, i1]), { training: true });
 * const halves = flows.map((f) => tf.split(f, 2, 0));
 * const { loss } = unflowLoss(halves.map((h) => h[0]), halves.map((h) => h[1]), i1, i2);
 * ```
 * @see Meister, Hur, Roth, "UnFlow: Unsupervised Learning of Optical Flow with a Bidirectional Census Loss", AAAI 2018, https://arxiv.org/abs/1711.07837
 */
export function unflowLoss(
  flowsFw: readonly tf.Tensor4D[],
  flowsBw: readonly tf.Tensor4D[],
  frame1: tf.Tensor4D,
  frame2: tf.Tensor4D,
  options: UnflowLossOptions = {},
): UnflowLoss {
  return unflowLossOp(flowsFw, flowsBw, frame1, frame2, options) as unknown as UnflowLoss;
}
