import {
  ArgumentError,
  bernoulliValues,
  checkInteger,
  checkNumber,
  type Key,
  splitKey,
  uniformValues,
} from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type { AppliedParams, Augmentation, ImageSize } from '../augmentation/augmentation';
import { axisBox, boxIndices } from '../internal/boxes';
import {
  ANY_CHANNELS,
  checkApplyArgs,
  checkParamLength,
  checkRange,
  checkSampleArgs,
} from '../internal/checks';
import { roundHalfEven } from '../internal/random';

/** Options of {@link randomResizedCrop}. */
export interface RandomResizedCropOptions {
  /** Output size `[height, width]`, or one number for a square. Required. */
  readonly size: number | readonly [number, number];
  /** Range of the crop's area as a fraction of the image's, `0 < min <= max <= 1`. Default `[0.08, 1]`. */
  readonly scale?: readonly [number, number];
  /** Range of the crop's aspect ratio width/height, `0 < min <= max`. Default `[3/4, 4/3]`. */
  readonly ratio?: readonly [number, number];
  /** Probability of cropping a sample; the others are resized whole. Default 1. */
  readonly p?: number;
}

/** Parameters of {@link randomResizedCrop}: one crop box per sample, in pixels of the input. */
export interface RandomResizedCropParams extends AppliedParams {
  /** `[B]` first row of each crop. */
  readonly top: Int32Array;
  /** `[B]` first column of each crop. */
  readonly left: Int32Array;
  /** `[B]` crop heights in pixels (the whole image where not applied). */
  readonly height: Int32Array;
  /** `[B]` crop widths in pixels. */
  readonly width: Int32Array;
  /** The input height and width the boxes were drawn for. */
  readonly imageHeight: number;
  readonly imageWidth: number;
}

const OP = 'randomResizedCrop';
const ATTEMPTS = 10;

/** Draws one crop box as torchvision's `RandomResizedCrop.get_params` does; `u` holds 40 uniforms. */
function drawBox(
  u: Float32Array,
  offset: number,
  height: number,
  width: number,
  scale: readonly [number, number],
  logRatio: readonly [number, number],
  ratio: readonly [number, number],
): [number, number, number, number] {
  const area = height * width;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const o = offset + 4 * attempt;
    const targetArea = area * (scale[0] + (scale[1] - scale[0]) * u[o]!);
    const aspect = Math.exp(logRatio[0] + (logRatio[1] - logRatio[0]) * u[o + 1]!);
    const w = roundHalfEven(Math.sqrt(targetArea * aspect));
    const h = roundHalfEven(Math.sqrt(targetArea / aspect));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      const top = Math.floor(u[o + 2]! * (height - h + 1));
      const left = Math.floor(u[o + 3]! * (width - w + 1));
      return [top, left, h, w];
    }
  }
  // Fallback: the central crop with the aspect ratio clamped into `ratio`.
  const inRatio = width / height;
  let w = width;
  let h = height;
  if (inRatio < ratio[0]) h = roundHalfEven(w / ratio[0]);
  else if (inRatio > ratio[1]) w = roundHalfEven(h * ratio[1]);
  return [Math.floor((height - h) / 2), Math.floor((width - w) / 2), h, w];
}

/**
 * Random resized crop, per sample, as torchvision's `RandomResizedCrop`: a box of area
 * `s * H * W` with `s ~ U[scale]` and aspect `w/h = exp(U[log ratio])` (10 attempts, then the central
 * crop), cropped and resized bilinearly to `size` in one batched `tf.image.cropAndResize` call.
 *
 * Sampling follows torchvision's bilinear resize of the cropped image (half-pixel centres, no
 * antialiasing) when the crop is at least as large as the output; when upsampling, sample points are
 * corner-aligned inside the crop (torchvision clamps the outermost half pixel; they differ by less
 * than half a source pixel). A sample that is not applied (probability `1 - p`) is resized whole.
 *
 * @param options.size - output `[height, width]` (or one number), positive integers
 * @param options.scale - area fraction range, default `[0.08, 1]`
 * @param options.ratio - aspect ratio range, default `[3/4, 4/3]`
 * @param options.p - probability in [0, 1] of cropping a sample, default 1
 * @returns an augmentation mapping float32 `[B, H, W, C]` (any of 1-4 channels) to `[B, size[0], size[1], C]`
 * @throws ArgumentError for out-of-range options; ShapeError/DTypeError from `apply` for bad images
 * @example
 * ```ts
 * const crop = randomResizedCrop({ size: [32, 32], scale: [0.2, 1] });
 * const params = crop.sample(createKey(0), images.shape[0], { height: 64, width: 64, channels: 3 });
 * const views = crop.apply(images, params); // [B, 32, 32, 3]
 * ```
 * @see Szegedy et al. 2015, Going deeper with convolutions (the Inception crop); torchvision `RandomResizedCrop`
 */
export function randomResizedCrop(options: RandomResizedCropOptions): Augmentation<RandomResizedCropParams> {
  if (typeof options !== 'object' || options === null) {
    throw new ArgumentError({
      op: OP,
      argument: 'options',
      expected: '{ size, scale?, ratio?, p? }',
      actual: String(options),
    });
  }
  const { size, scale = [0.08, 1], ratio = [3 / 4, 4 / 3], p = 1 } = options;
  const [outHeight, outWidth] = typeof size === 'number' ? [size, size] : (size ?? []);
  if (!Array.isArray(size) && typeof size !== 'number') {
    throw new ArgumentError({
      op: OP,
      argument: 'size',
      expected: '[height, width] or a number',
      actual: String(size),
    });
  }
  checkInteger(outHeight, { op: OP, arg: 'size', min: 1 });
  checkInteger(outWidth, { op: OP, arg: 'size', min: 1 });
  const scaleRange = checkRange(OP, 'scale', scale, { low: 0, high: 1, exclusiveLow: true });
  const ratioRange = checkRange(OP, 'ratio', ratio, { low: 0, exclusiveLow: true });
  checkNumber(p, { op: OP, arg: 'p', min: 0, max: 1 });
  const logRatio = [Math.log(ratioRange[0]), Math.log(ratioRange[1])] as const;
  const outH = outHeight as number;
  const outW = outWidth as number;

  return {
    name: OP,
    outputSize: (imageSize: ImageSize): ImageSize => ({
      height: outH,
      width: outW,
      channels: imageSize.channels,
    }),
    sample(key: Key, batchSize: number, imageSize: ImageSize): RandomResizedCropParams {
      checkSampleArgs(OP, key, batchSize, imageSize);
      const [applyKey, boxKey] = splitKey(key, 2) as [Key, Key];
      const applied = bernoulliValues(applyKey, batchSize, p);
      const u = uniformValues(boxKey, batchSize * 4 * ATTEMPTS);
      const top = new Int32Array(batchSize);
      const left = new Int32Array(batchSize);
      const height = new Int32Array(batchSize);
      const width = new Int32Array(batchSize);
      const { height: H, width: W } = imageSize;
      for (let b = 0; b < batchSize; b++) {
        const [t, l, h, w] =
          applied[b] === 1
            ? drawBox(u, b * 4 * ATTEMPTS, H, W, scaleRange, logRatio, ratioRange)
            : [0, 0, H, W];
        top[b] = t;
        left[b] = l;
        height[b] = h;
        width[b] = w;
      }
      return { applied, top, left, height, width, imageHeight: H, imageWidth: W };
    },
    apply(images: tf.Tensor4D, params: RandomResizedCropParams): tf.Tensor4D {
      const dims = checkApplyArgs(OP, images, params, ANY_CHANNELS);
      const [B, H, W] = [dims.get('B')!, dims.get('H')!, dims.get('W')!];
      if (params.imageHeight !== H || params.imageWidth !== W) {
        throw new ArgumentError({
          op: OP,
          argument: 'params',
          message: `${OP}: 'params' were sampled for ${params.imageHeight}x${params.imageWidth} images but 'images' are ${H}x${W}; sample with the images' size.`,
        });
      }
      for (const name of ['top', 'left', 'height', 'width'] as const)
        checkParamLength(OP, name, params[name], B);
      const boxes = new Float32Array(4 * B);
      for (let b = 0; b < B; b++) {
        const [y1, y2] = axisBox(params.top[b]!, params.height[b]!, H, outH);
        const [x1, x2] = axisBox(params.left[b]!, params.width[b]!, W, outW);
        boxes.set([y1, x1, y2, x2], 4 * b);
      }
      return tf.tidy(OP, () =>
        tf.image.cropAndResize(
          images,
          tf.tensor2d(boxes, [B, 4]),
          tf.tensor1d(boxIndices(B), 'int32'),
          [outH, outW],
          'bilinear',
        ),
      );
    },
  };
}
