import { ArgumentError, checkInteger, createKey, foldIn, uniform } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';

import { byolViews } from '../recipes/byol-views';
import { makeViews } from '../recipes/make-views';
import { mocoV2Views } from '../recipes/moco-v2-views';
import { simclrViews } from '../recipes/simclr-views';
import type { ViewRecipe } from '../recipes/view-recipe';

/** Recipes {@link measureViewThroughput} can build by name. */
export type RecipeName = 'simclr' | 'byol' | 'mocoV2';

/** Options of {@link measureViewThroughput}. */
export interface MeasureViewThroughputOptions {
  /** Image side (square) or `[height, width]`; also the views' size. Default 32. */
  readonly size?: number | readonly [number, number];
  /** Channels, 1 or 3. Default 3. */
  readonly channels?: number;
  /** Images per batch. Default 256. */
  readonly batchSize?: number;
  /** A recipe name (built with the `'small'` preset up to 32 px, else `'imagenet'`) or a recipe. Default `'simclr'`. */
  readonly recipe?: RecipeName | ViewRecipe;
  /** Timed batches, after one untimed warm-up batch. Default 5. */
  readonly iterations?: number;
}

/** What {@link measureViewThroughput} measured. */
export interface ViewThroughput {
  /** The tfjs backend that ran. */
  readonly backend: string;
  /** The recipe's name. */
  readonly recipe: string;
  /** Views made per second: `batchSize * views per batch / seconds per batch`. */
  readonly viewsPerSecond: number;
  /** Mean milliseconds per batch (all of the recipe's views of one batch, `makeViews` plus a read-back). */
  readonly msPerBatch: number;
  readonly batchSize: number;
  readonly viewsPerBatch: number;
  readonly iterations: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

const OP = 'measureViewThroughput';

/**
 * Benchmark helper: times {@link makeViews} on random images on the current backend and reports views
 * per second, `viewsPerSecond = batchSize * viewsPerBatch / (msPerBatch / 1000)`. Each timed batch
 * ends by reading one value of every view, so asynchronous backends (WebGL, WebGPU) are timed to
 * completion. Used by `pnpm bench`; not needed for training.
 *
 * @param options.size - image and view side or `[height, width]`, default 32
 * @param options.channels - 1 or 3, default 3
 * @param options.batchSize - positive integer, default 256
 * @param options.recipe - `'simclr'` | `'byol'` | `'mocoV2'` or a recipe, default `'simclr'`
 * @param options.iterations - timed batches, default 5
 * @returns the measurement, see {@link ViewThroughput}
 * @throws ArgumentError for bad options
 * @example
 * ```ts
 * const { viewsPerSecond, msPerBatch } = await measureViewThroughput({ size: 96, batchSize: 256 });
 * ```
 */
export async function measureViewThroughput(
  options: MeasureViewThroughputOptions = {},
): Promise<ViewThroughput> {
  const { size = 32, channels = 3, batchSize = 256, recipe = 'simclr', iterations = 5 } = options;
  const [height, width] = typeof size === 'number' ? [size, size] : [size[0], size[1]];
  checkInteger(height, { op: OP, arg: 'size', min: 1 });
  checkInteger(width, { op: OP, arg: 'size', min: 1 });
  if (channels !== 1 && channels !== 3) {
    throw new ArgumentError({ op: OP, argument: 'channels', expected: '1 or 3', actual: String(channels) });
  }
  checkInteger(batchSize, { op: OP, arg: 'batchSize', min: 1 });
  checkInteger(iterations, { op: OP, arg: 'iterations', min: 1 });
  const preset = Math.min(height, width) <= 32 ? 'small' : 'imagenet';
  const builders: Record<RecipeName, () => ViewRecipe> = {
    simclr: () => simclrViews({ size: [height, width], preset }),
    byol: () => byolViews({ size: [height, width], preset }),
    mocoV2: () => mocoV2Views({ size: [height, width], preset }),
  };
  if (typeof recipe === 'string' && !(recipe in builders)) {
    throw new ArgumentError({
      op: OP,
      argument: 'recipe',
      expected: "'simclr', 'byol', 'mocoV2' or a recipe",
      actual: recipe,
    });
  }
  const views = typeof recipe === 'string' ? builders[recipe]() : recipe;
  const key = createKey(0);
  const images = uniform(foldIn(key, 0), [batchSize, height, width, channels]) as tf.Tensor4D;
  const runOnce = async (step: number): Promise<void> => {
    const out = makeViews(views, foldIn(key, step + 1), images);
    const probes = tf.tidy(() => out.map((v) => tf.slice(v, [0, 0, 0, 0], [1, 1, 1, 1])));
    await Promise.all(probes.map((t) => t.data()));
    tf.dispose([...out, ...probes]);
  };
  try {
    await runOnce(0);
    const start = performance.now();
    for (let i = 0; i < iterations; i++) await runOnce(i + 1);
    const msPerBatch = (performance.now() - start) / iterations;
    const viewsPerBatch = views.views.length;
    return {
      backend: tf.getBackend(),
      recipe: views.name,
      viewsPerSecond: (batchSize * viewsPerBatch * 1000) / msPerBatch,
      msPerBatch,
      batchSize,
      viewsPerBatch,
      iterations,
      height,
      width,
      channels,
    };
  } finally {
    images.dispose();
  }
}
