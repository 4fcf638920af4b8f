import * as tf from '@tensorflow/tfjs-core';

/** Anything `expectTensorClose` can compare: a tensor, a (nested) number array or a typed array. */
export type TensorLike =
  | tf.Tensor
  | number
  | number[]
  | number[][]
  | number[][][]
  | number[][][][]
  | Float32Array
  | Int32Array
  | Uint8Array;

/** Tolerances: `|a - e| <= atol + rtol * |e|` element-wise. Defaults: float32 on cpu/wasm. */
export interface CloseOptions {
  readonly rtol?: number;
  readonly atol?: number;
}

async function toFlat(x: TensorLike): Promise<{ values: Float64Array; shape: number[] }> {
  if (x instanceof tf.Tensor) {
    const data = await x.data();
    return { values: Float64Array.from(data as ArrayLike<number>), shape: x.shape.slice() };
  }
  if (typeof x === 'number') return { values: Float64Array.of(x), shape: [] };
  if (ArrayBuffer.isView(x)) return { values: Float64Array.from(x as ArrayLike<number>), shape: [x.length] };
  const shape: number[] = [];
  let level: unknown = x;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  return { values: Float64Array.from((x as unknown[]).flat(Infinity as 1) as number[]), shape };
}

function unravel(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length).fill(0);
  let rest = index;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d] ?? 1;
    out[d] = rest % size;
    rest = Math.floor(rest / size);
  }
  return out;
}

/**
 * Asserts `|actual - expected| <= atol + rtol * |expected|` element-wise, with equal shapes (a flat
 * typed array matches any shape of the same size). The failure names the shapes, the worst element's
 * index, both values, the max absolute error and how many elements failed.
 */
export async function expectTensorClose(
  actual: TensorLike,
  expected: TensorLike,
  { rtol = 1e-4, atol = 1e-5 }: CloseOptions = {},
): Promise<void> {
  const a = await toFlat(actual);
  const e = await toFlat(expected);
  const flatEither =
    actual instanceof tf.Tensor !== expected instanceof tf.Tensor &&
    (ArrayBuffer.isView(actual) || ArrayBuffer.isView(expected));
  const sameShape = a.shape.length === e.shape.length && a.shape.every((s, i) => s === e.shape[i]);
  if (!(sameShape || (flatEither && a.values.length === e.values.length))) {
    throw new Error(`expectTensorClose: shape [${a.shape}] differs from expected [${e.shape}]`);
  }
  let worst = -1;
  let worstExcess = 0;
  let maxAbs = 0;
  let failures = 0;
  for (let i = 0; i < a.values.length; i++) {
    const av = a.values[i]!;
    const ev = e.values[i]!;
    const err = Math.abs(av - ev);
    const bad = !(err <= atol + rtol * Math.abs(ev)) && !(Number.isNaN(av) && Number.isNaN(ev)) && av !== ev;
    if (Number.isFinite(err)) maxAbs = Math.max(maxAbs, err);
    if (bad) {
      failures++;
      const excess = Number.isFinite(err) ? err - (atol + rtol * Math.abs(ev)) : Number.POSITIVE_INFINITY;
      if (worst < 0 || excess > worstExcess) {
        worst = i;
        worstExcess = excess;
      }
    }
  }
  if (failures > 0) {
    const where = unravel(worst, a.shape);
    throw new Error(
      `expectTensorClose: ${failures} of ${a.values.length} elements differ (shape [${a.shape}], rtol ${rtol}, atol ${atol}); ` +
        `worst at [${where}]: actual ${a.values[worst]} vs expected ${e.values[worst]}; max abs error ${maxAbs.toExponential(3)}`,
    );
  }
}
