import { ArgumentError, describeValue } from '@genoise/core';

/**
 * Copies `indices` into an Int32Array after checking every entry is an integer in `[0, size)`.
 * Accepts arrays and typed arrays.
 */
export function checkIndices(indices: unknown, size: number, op: string, argument = 'indices'): Int32Array {
  const isList = Array.isArray(indices) || (ArrayBuffer.isView(indices) && !(indices instanceof DataView));
  if (!isList) {
    throw new ArgumentError({
      op,
      argument,
      expected: 'an array of example indices',
      actual: describeValue(indices),
    });
  }
  const list = indices as ArrayLike<unknown>;
  const out = new Int32Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= size) {
      throw new ArgumentError({
        op,
        argument,
        message: `${op}: '${argument}[${i}]' is ${describeValue(v)} but expected an integer in [0, ${size}) (the dataset has ${size} examples).`,
      });
    }
    out[i] = v;
  }
  return out;
}
