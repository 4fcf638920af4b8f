import { ArgumentError, checkInteger, checkOptions, describeValue, ShapeError } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import { yieldToEventLoop } from '../internal/validate';
import { poolStage } from './pool-stage';

/**
 * A frozen trunk with one output per stage: a function `images -> tensors`, or any object with a
 * `predict` method (a tfjs-layers `LayersModel` built with one output per stage fits: its `predict`
 * runs in inference mode, so batch norm uses its moving statistics and dropout is off).
 */
export type StageModel =
  | ((images: tf.Tensor4D) => tf.Tensor | tf.Tensor[])
  | {
      predict(images: tf.Tensor4D, args?: { batchSize?: number }): tf.Tensor | tf.Tensor[];
      readonly outputNames?: readonly string[];
    };

/** Images read by example index (every `@genoise/data` Dataset fits). */
export interface StageImageSource {
  /** The number of examples. */
  readonly size: number;
  /** Float32 `[n, H, W, C]` for the given indices; the caller disposes it. */
  images(indices: number[]): tf.Tensor4D;
}

/** Options of {@link extractStageFeatures}. */
export interface ExtractStageFeaturesOptions {
  /** Examples per model call, a positive integer. Default 256. */
  readonly batchSize?: number;
  /** Feature budget per stage, passed to {@link poolStage}. Default 2048. */
  readonly targetFeatures?: number;
  /** Use only the first `count` examples of the source. Default `source.size`. */
  readonly count?: number;
  /** One name per stage. Default the model's `outputNames`, else `stage1`, `stage2`, … */
  readonly names?: readonly string[];
}

/** One stage's pooled features over the whole set, on the host. */
export interface StageFeatures {
  /** The stage's name. */
  readonly name: string;
  /** The stage's output shape per example before pooling: `[H, W, C]` (or `[D]`). */
  readonly shape: number[];
  /** Row-major `[count, dim]` pooled features. */
  readonly features: Float32Array;
  /** Features per example after pooling: `g·g·C` (or D). */
  readonly dim: number;
}

const OP = 'extractStageFeatures';

function stageOutputs(model: StageModel, images: tf.Tensor4D, batchSize: number): tf.Tensor[] {
  const out = typeof model === 'function' ? model(images) : model.predict(images, { batchSize });
  return Array.isArray(out) ? out : [out];
}

function badOutput(message: string, expected: string, actual: string): ShapeError {
  return new ShapeError({ op: OP, argument: 'model', expected, actual, message: `${OP}: ${message}` });
}

function stageNames(names: readonly string[] | undefined, model: StageModel, stages: number): string[] {
  if (names !== undefined) {
    if (!Array.isArray(names) || names.length !== stages || names.some((n) => typeof n !== 'string')) {
      throw new ArgumentError({
        op: OP,
        argument: 'names',
        expected: `${stages} strings (one per stage)`,
        actual: Array.isArray(names) ? `${names.length} entries` : describeValue(names),
      });
    }
    return [...names];
  }
  const fromModel = typeof model === 'function' ? undefined : model.outputNames;
  if (fromModel !== undefined && fromModel.length === stages) return [...fromModel];
  return Array.from({ length: stages }, (_, s) => `stage${s + 1}`);
}

/**
 * Runs a frozen multi-output trunk over a dataset in batches and keeps each stage's pooled features:
 * for every batch, `F_s[rows] = poolStage(model(images(rows))[s], { targetFeatures })`. Each batch
 * (loading, model, pooling) runs in its own tidy scope and its pooled rows are copied to the host
 * (`await data()`) at once, so device memory is bounded by one batch whatever the dataset's size; the
 * event loop runs between batches. A `LayersModel` is called through `predict` (inference mode); a
 * plain function must not train (call `model.apply(x, { training: false })` inside it).
 *
 * @param model - a function `[B, H, W, C] -> tensors` or an object with `predict` (see {@link StageModel});
 *   each output is `[B, h, w, c]` or `[B, d]`, with the same stages and shapes on every batch
 * @param source - `{ size, images(indices) }`, images `[n, H, W, C]`
 * @param options - `{ batchSize = 256, targetFeatures = 2048, count = source.size, names? }`
 * @returns a promise of one {@link StageFeatures} per stage, in the model's output order
 * @throws ArgumentError when `model` or `source` has the wrong kind, a size is out of range, or `names`
 *   has the wrong length; ShapeError when an output's batch size or per-example shape differs between
 *   batches, or an output is not rank 2 or 4 (from {@link poolStage})
 * @example
 * ```ts
 * const trunk = tf.model({ inputs: encoder.inputs, outputs: stageLayers.map((l) => l.output as tf.SymbolicTensor) });
 * const stages = await extractStageFeatures(trunk, testSet, { batchSize: 500 });
 * // [{ name: 'conv1', shape: [28, 28, 16], dim: 1936, features: Float32Array(10000 · 1936) }, …]
 * ```
 * @see Zhang, Isola and Efros, "Colorful Image Colorization", ECCV 2016 (layer-wise linear probes)
 */
export async function extractStageFeatures(
  model: StageModel,
  source: StageImageSource,
  options?: ExtractStageFeaturesOptions,
): Promise<StageFeatures[]> {
  const checked = checkOptions(options, ['batchSize', 'targetFeatures', 'count', 'names'], { op: OP });
  const isModel =
    typeof model === 'function' ||
    (model !== null && typeof model === 'object' && typeof model.predict === 'function');
  if (!isModel) {
    throw new ArgumentError({
      op: OP,
      argument: 'model',
      expected: 'a function or an object with a predict method',
      actual: describeValue(model),
    });
  }
  if (source === null || typeof source !== 'object' || typeof source.images !== 'function') {
    throw new ArgumentError({
      op: OP,
      argument: 'source',
      expected: '{ size, images(indices) }',
      actual: describeValue(source),
    });
  }
  const { batchSize = 256, targetFeatures = 2048, count = source.size } = checked;
  checkInteger(source.size, { op: OP, arg: 'source.size', min: 1 });
  checkInteger(batchSize, { op: OP, arg: 'batchSize', min: 1 });
  checkInteger(targetFeatures, { op: OP, arg: 'targetFeatures', min: 1 });
  checkInteger(count, { op: OP, arg: 'count', min: 1, max: source.size });

  const stages: { shape: number[]; dim: number; features: Float32Array }[] = [];
  let names: string[] | undefined;
  for (let start = 0; start < count; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, count - start) }, (_, i) => start + i);
    const shapes: number[][] = [];
    const pooled = tf.tidy(() => {
      const outputs = stageOutputs(model, source.images(indices), batchSize);
      if (start > 0 && outputs.length !== stages.length) {
        throw badOutput(
          `the model returned ${outputs.length} outputs for the batch starting at ${start} but ${stages.length} before; the stages must not change.`,
          `${stages.length} outputs`,
          `${outputs.length} outputs`,
        );
      }
      return outputs.map((output, s) => {
        const expected = stages[s]?.shape;
        const actual = output instanceof tf.Tensor ? output.shape.slice(1) : undefined;
        if (
          actual === undefined ||
          output.shape[0] !== indices.length ||
          (expected !== undefined && actual.join(',') !== expected.join(','))
        ) {
          const got = actual === undefined ? describeValue(output) : `[${output.shape.join(',')}]`;
          const want = `[${indices.length},${expected?.join(',') ?? '…'}]`;
          throw badOutput(
            `output ${s} is ${got} for a batch of ${indices.length} images starting at ${start}; expected ${want}.`,
            want,
            got,
          );
        }
        shapes.push(actual);
        return poolStage(output, { targetFeatures });
      });
    });
    try {
      names ??= stageNames(checked.names, model, pooled.length);
      const values = await Promise.all(pooled.map((p) => p.data() as Promise<Float32Array>));
      pooled.forEach((p, s) => {
        const dim = p.shape[1]!;
        stages[s] ??= { shape: shapes[s]!, dim, features: new Float32Array(count * dim) };
        stages[s]!.features.set(values[s]!, start * dim);
      });
    } finally {
      tf.dispose(pooled);
    }
    if (start + batchSize < count) await yieldToEventLoop();
  }
  return stages.map((stage, s) => ({ name: names![s]!, ...stage }));
}
