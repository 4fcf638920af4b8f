import type { Key } from '@genoise/core';
import {
  AB_BIN_COUNT,
  abBins,
  abHistogram,
  assembleTiles,
  type Corruption,
  colorizationTask,
  denoisingTask,
  inpaintingTask,
  type JigsawPermutationSet,
  jigsawPermutations,
  jigsawTask,
  labToRgb,
  NEIGHBOURS,
  relativeLocationTask,
  rgbToLab,
  rotationTask,
} from '@genoise/pretext';
import * as tf from '@tensorflow/tfjs-core';

/** An HWC image as the page draws it: values in [0, 1]. */
export interface Picture {
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
  readonly values: Float32Array;
}

/** Reads `[1, H, W, C]` (C 1 or 3) into a {@link Picture} and disposes the tensor. */
async function picture(t: tf.Tensor): Promise<Picture> {
  const [, height, width, channels] = t.shape as [number, number, number, number];
  const values = (await t.data()) as Float32Array;
  t.dispose();
  return { height, width, channels: channels as 1 | 3, values };
}

/** Stretches each `T x T` tile of a 3x3 grid picture to [0, 1] on its own (standardised tiles have no fixed range). */
function stretchTiles(grid: Picture): Picture {
  const { height, width, channels } = grid;
  const tile = height / 3;
  const out = new Float32Array(grid.values.length);
  for (let ty = 0; ty < 3; ty++)
    for (let tx = 0; tx < 3; tx++) {
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      const each = (f: (i: number) => void) => {
        for (let y = ty * tile; y < (ty + 1) * tile; y++)
          for (let x = tx * tile; x < (tx + 1) * tile; x++)
            for (let c = 0; c < channels; c++) f((y * width + x) * channels + c);
      };
      each((i) => {
        min = Math.min(min, grid.values[i]!);
        max = Math.max(max, grid.values[i]!);
      });
      const span = max > min ? max - min : 1;
      each((i) => {
        out[i] = (grid.values[i]! - min) / span;
      });
    }
  return { height, width, channels, values: out };
}

/** The four quarter turns of one image (`rotationTask`, mode `'all'`), labels 0..3 (0, 90, 180, 270 degrees counter-clockwise). */
export async function rotationView(
  key: Key,
  image: tf.Tensor4D,
): Promise<{ rotations: Picture[]; labels: number[] }> {
  const task = rotationTask(key, image);
  const labels = Array.from(await task.targets.data());
  const rotations = await Promise.all(
    [0, 1, 2, 3].map((k) => picture(tf.slice(task.inputs, [k, 0, 0, 0], [1, -1, -1, -1]))),
  );
  tf.dispose([task.inputs, task.targets]);
  return { rotations, labels };
}

/** The permutation set the page uses: 100 permutations, greedy maximal mean Hamming distance from the identity. */
export function pagePermutations(): JigsawPermutationSet {
  return jigsawPermutations({ count: 100, first: 0 });
}

export interface JigsawView {
  /** The image cut to a multiple of 3 (27 x 27 for Fashion-MNIST). */
  readonly image: Picture;
  /** Each tile's box in the image, row-major tile order: `[top, left]`, side `tileSize`. */
  readonly boxes: readonly (readonly [number, number])[];
  readonly tileSize: number;
  /** The shuffled tiles (position `k` holds tile `permutation[k]`), each stretched to [0, 1]: on grey images, exactly the standardised tiles the network sees, stretched. */
  readonly shuffled: Picture;
  /** The same tiles under the identity permutation: back in place, gaps and jitter kept. */
  readonly inPlace: Picture;
  /** The label: the permutation's index in the set. */
  readonly index: number;
  readonly permutation: readonly number[];
  readonly setSize: number;
  readonly meanDistance: number;
  readonly minDistance: number;
}

/**
 * One jigsaw puzzle (`jigsawTask`): the tiles with their gap and jitter, the shuffled order and its
 * permutation index; then the identity permutation on the same key, which puts the same tiles (same
 * offsets, same normalisation) back in place.
 */
export async function jigsawView(
  key: Key,
  image: tf.Tensor4D,
  set: JigsawPermutationSet,
): Promise<JigsawView> {
  const [, H, W] = image.shape;
  const side = Math.min(H - (H % 3), W - (W % 3));
  const cut = tf.slice(image, [0, 0, 0, 0], [1, side, side, -1]) as tf.Tensor4D;
  // The tiles are drawn stretched to their own range, which is what the task's per-tile standardisation
  // gives on grey images too (an affine map per tile), so the page asks for raw tiles (`normalize:
  // false`): the standardisation's `where` over [B, 9, T, T, C] has no rank-5 kernel on tfjs' WebGPU.
  const task = jigsawTask(key, cut, { permutations: set, normalize: false });
  const identity = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const placed = jigsawTask(key, cut, { permutations: [identity, identity], normalize: false });
  const index = (await task.targets.data())[0]!;
  const tileSize = task.inputs.shape[2]!;
  const cell = side / 3;
  const boxes = Array.from(
    { length: 9 },
    (_, t) =>
      [Math.floor(t / 3) * cell + task.offsets[2 * t]!, (t % 3) * cell + task.offsets[2 * t + 1]!] as const,
  );
  const result: JigsawView = {
    image: await picture(tf.clone(cut)),
    boxes,
    tileSize,
    shuffled: stretchTiles(await picture(assembleTiles(task.inputs))),
    inPlace: stretchTiles(await picture(assembleTiles(placed.inputs))),
    index,
    permutation: set.permutations[index]!,
    setSize: set.permutations.length,
    meanDistance: set.meanDistance,
    minDistance: set.minDistance,
  };
  tf.dispose([cut, task.inputs, task.targets, placed.inputs, placed.targets]);
  return result;
}

export interface RelativeLocationView {
  readonly centre: Picture;
  readonly neighbour: Picture;
  /** 0..7, row-major around the centre. */
  readonly label: number;
  /** `[dy, dx]` of the neighbour's cell. */
  readonly offset: readonly [number, number];
  /** Top-left corners in the image: centre, then neighbour, `[y, x]`. */
  readonly centreBox: readonly [number, number];
  readonly neighbourBox: readonly [number, number];
  readonly patchSize: number;
  readonly gap: number;
  readonly jitter: number;
  /** The side each patch was down-and-up-sampled to (`patchSize`: not resampled). */
  readonly sides: readonly [number, number];
}

/** Patch, gap and jitter of the page's relative-location task on 28 x 28 images (the paper's 96/48/7 scaled). */
export const RELATIVE_LOCATION_SETTINGS = { patchSize: 7, gap: 2, jitter: 1 } as const;

/** One relative-location pair (`relativeLocationTask`): centre, neighbour, class, and where they came from. */
export async function relativeLocationView(key: Key, image: tf.Tensor4D): Promise<RelativeLocationView> {
  const task = relativeLocationTask(key, image, RELATIVE_LOCATION_SETTINGS);
  const label = (await task.targets.data())[0]!;
  const b = task.boxes;
  const view: RelativeLocationView = {
    centre: await picture(task.inputs[0]),
    neighbour: await picture(task.inputs[1]),
    label,
    offset: NEIGHBOURS[label]!,
    centreBox: [b[0]!, b[1]!],
    neighbourBox: [b[2]!, b[3]!],
    ...RELATIVE_LOCATION_SETTINGS,
    sides: [task.sides[0]!, task.sides[1]!],
  };
  task.targets.dispose();
  return view;
}

export interface InpaintingView {
  /** The image with the hole filled (the network's input). */
  readonly input: Picture;
  /** 1 inside the hole. */
  readonly hole: Picture;
  /** The loss weights over the overlap band weight: 1 in the hole, `overlapWeight` in the band (shown as 1), 0 elsewhere. */
  readonly weights: Picture;
  readonly target: Picture;
  /** Pixels in the hole and in the band. */
  readonly holePixels: number;
  readonly bandPixels: number;
}

/** The page's context-encoder settings on 28 x 28 images: a 2-px band (the paper's 4 at 128 px would leave a 6-px hole). */
export const INPAINTING_OVERLAP = 2;

/** One context-encoder example (`inpaintingTask`): the filled input, the hole, the band-weighted loss mask, the target. */
export async function inpaintingView(
  key: Key,
  image: tf.Tensor4D,
  region: 'central' | 'random',
): Promise<InpaintingView> {
  const overlapWeight = 10;
  const task = inpaintingTask(key, image, { region, overlap: INPAINTING_OVERLAP, overlapWeight });
  const hole = await picture(task.hole);
  const rawWeights = await picture(task.weights);
  let holePixels = 0;
  let bandPixels = 0;
  rawWeights.values.forEach((w) => {
    if (w === 1) holePixels++;
    else if (w === overlapWeight) bandPixels++;
  });
  return {
    input: await picture(task.inputs),
    hole,
    weights: { ...rawWeights, values: rawWeights.values.map((w) => w / overlapWeight) },
    target: await picture(task.targets),
    holePixels,
    bandPixels,
  };
}

export interface DenoisingView {
  readonly input: Picture;
  /** 1 where a component was corrupted. */
  readonly corrupted: Picture;
  readonly target: Picture;
  /** Corrupted components over all components. */
  readonly fraction: number;
}

/** One denoising-autoencoder example (`denoisingTask`) at `level`; Gaussian inputs are clipped to [0, 1] for display only. */
export async function denoisingView(
  key: Key,
  image: tf.Tensor4D,
  corruption: Corruption,
  level: number,
): Promise<DenoisingView> {
  const task = denoisingTask(key, image, { corruption, level });
  const corrupted = await picture(task.corrupted);
  const input = await picture(task.inputs);
  return {
    input: { ...input, values: input.values.map((v) => Math.min(1, Math.max(0, v))) },
    corrupted,
    target: await picture(task.targets),
    fraction: corrupted.values.reduce((s, v) => s + v, 0) / corrupted.values.length,
  };
}

export interface ColorizationView {
  readonly image: Picture;
  /** `L / 100`: the network's input. */
  readonly lightness: Picture;
  /** The chroma channels drawn at a constant lightness: a only, b only, and both. */
  readonly aOnly: Picture;
  readonly bOnly: Picture;
  readonly abOnly: Picture;
  /** `[H, W, 2]` the true (a, b). */
  readonly ab: Float32Array;
  /** `[H, W, Q]` the soft-encoded targets (`colorizationTask`'s, 5 nearest bins, sigma 5). */
  readonly targets: Float32Array;
  /** `[Q]` how many of the image's pixels fall nearest to each bin (`abHistogram`). */
  readonly counts: Float32Array;
  /** 1 when the image has some colour (the task's `colorful` flag). */
  readonly colorful: boolean;
}

/** The lightness the chroma pictures and the bin chart are drawn at. */
export const CHROMA_LIGHTNESS = 70;

/** The 261 ab bins: centres and their colour at {@link CHROMA_LIGHTNESS} (sRGB, clipped). */
export async function binColours(): Promise<{ centres: [number, number][]; rgb: Float32Array }> {
  const centres = abBins();
  const rgb = tf.tidy(() => {
    const ab = tf.tensor2d(centres).reshape([1, 1, AB_BIN_COUNT, 2]);
    const L = tf.fill([1, 1, AB_BIN_COUNT, 1], CHROMA_LIGHTNESS);
    return labToRgb(tf.concat([L, ab], 3));
  });
  const values = (await rgb.data()) as Float32Array;
  rgb.dispose();
  return { centres, rgb: values };
}

/** Colorization's view of a colour image: the Lab split, the ab histogram over the bins and every pixel's soft target. */
export async function colorizationView(key: Key, image: tf.Tensor4D): Promise<ColorizationView> {
  const task = colorizationTask(key, image);
  const chroma = (keepA: number, keepB: number) =>
    tf.tidy(() => {
      const lab = rgbToLab(image);
      const [, a, b] = tf.split(lab, 3, 3) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      const L = tf.fill(a.shape, CHROMA_LIGHTNESS);
      return labToRgb(tf.concat([L, tf.mul(a, keepA), tf.mul(b, keepB)], 3));
    });
  const counts = abHistogram(task.ab);
  const view: ColorizationView = {
    image: await picture(tf.clone(image)),
    lightness: await picture(task.inputs),
    aOnly: await picture(chroma(1, 0)),
    bOnly: await picture(chroma(0, 1)),
    abOnly: await picture(chroma(1, 1)),
    ab: (await task.ab.data()) as Float32Array,
    targets: (await task.targets.data()) as Float32Array,
    counts: (await counts.data()) as Float32Array,
    colorful: (await task.colorful.data())[0] === 1,
  };
  tf.dispose([task.ab, task.targets, task.colorful, counts]);
  return view;
}
