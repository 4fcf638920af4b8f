import { createKey, permutationValues } from '@genoise/core';
import { type Dataset, subset, syntheticObjects } from '@genoise/data';
import { loadFashionMnist, loadImageFolder, loadMnist } from '@genoise/data/node';

/** The train and test splits of a dataset named on the command line. */
export interface DataSplits {
  readonly name: string;
  readonly train: Dataset;
  readonly test: Dataset;
  /** Lines describing what was loaded and skipped. */
  readonly notes: readonly string[];
  /** Whether a mirrored image is still an example of its class (false for digits: a flipped 2 is not a 2). */
  readonly mirrorInvariant: boolean;
}

/** Fixed seed of the 80/20 split of an image folder (documented: the same folder always splits the same way). */
export const FOLDER_SPLIT_SEED = 20_240_917;

/** Seeds of the synthetic-objects splits (fixed and documented, so every run sees the same images). */
export const SYNTHETIC_OBJECTS_SEEDS = { train: 31_415, test: 27_182 } as const;
/** Images in the synthetic-objects splits: 32x32 renders, 10 classes. */
export const SYNTHETIC_OBJECTS_SIZES = { train: 6000, test: 2000 } as const;

/**
 * Loads `fashion-mnist`, `mnist` (their fixed, documented splits), `synthetic-objects` (rendered colour
 * objects whose class decides shape, pattern and hue: colour data where colour carries meaning) or a folder of images (labels from
 * sub-folders; 80/20 split by a keyed permutation with {@link FOLDER_SPLIT_SEED}).
 */
export async function loadData(
  data: string,
  {
    limit,
    size = 32,
    channels = 3,
    warn = console.warn,
  }: {
    limit?: number | undefined;
    size?: number | undefined;
    channels?: 1 | 3 | undefined;
    warn?: (message: string) => void;
  },
): Promise<DataSplits> {
  const limitOption = limit !== undefined ? { limit } : {};
  const seen = new Set<string>();
  const warnOnce = (message: string): void => {
    if (!seen.has(message)) {
      seen.add(message);
      warn(message);
    }
  };
  if (data === 'fashion-mnist' || data === 'mnist') {
    const load = data === 'mnist' ? loadMnist : loadFashionMnist;
    const [train, test] = await Promise.all([
      load({ split: 'train', onWarning: warnOnce, ...limitOption }),
      load({ split: 'test', onWarning: warnOnce }),
    ]);
    return {
      name: data,
      train,
      test,
      notes: [`${data}: ${train.size} train / ${test.size} test images, ${train.imageShape.join('x')}`],
      mirrorInvariant: data !== 'mnist',
    };
  }
  if (data === 'synthetic-objects') {
    const count = Math.min(limit ?? SYNTHETIC_OBJECTS_SIZES.train, SYNTHETIC_OBJECTS_SIZES.train);
    const train = syntheticObjects(createKey(SYNTHETIC_OBJECTS_SEEDS.train), { count, size: 32 });
    const test = syntheticObjects(createKey(SYNTHETIC_OBJECTS_SEEDS.test), {
      count: SYNTHETIC_OBJECTS_SIZES.test,
      size: 32,
    });
    return {
      name: data,
      train,
      test,
      notes: [
        `synthetic-objects: ${train.size} train / ${test.size} test renders, 32x32x3, ${train.numClasses} classes (shape, pattern and hue per class)`,
      ],
      mirrorInvariant: true,
    };
  }
  const all = await loadImageFolder(data, {
    size: [size, size],
    channels,
    labels: 'subfolders',
    onWarning: warnOnce,
  });
  const order = permutationValues(createKey(FOLDER_SPLIT_SEED), all.size);
  const testCount = Math.max(1, Math.round(all.size * 0.2));
  const test = subset(all, order.subarray(0, testCount));
  let train = subset(all, order.subarray(testCount));
  if (limit !== undefined && limit < train.size)
    train = subset(
      train,
      Array.from({ length: limit }, (_, i) => i),
    );
  return {
    name: data,
    train,
    test,
    mirrorInvariant: true,
    notes: [
      `folder ${data}: ${all.size} images in ${all.classNames?.length ?? 0} classes, split ${train.size} train / ${test.size} test`,
    ],
  };
}
