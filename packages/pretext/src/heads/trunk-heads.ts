import { ArgumentError } from '@genoise/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkInteger } from '../internal/checks';

/** Checks a trunk and returns its single input's shape without the batch dimension. */
export function trunkInputShape(op: string, trunk: unknown): number[] {
  if (!(trunk instanceof tfl.LayersModel)) {
    throw new ArgumentError({
      op,
      argument: 'trunk',
      expected: 'a tf.LayersModel (e.g. smallConvNet from @genoise/models)',
      actual: trunk === null ? 'null' : typeof trunk,
    });
  }
  if (trunk.inputs.length !== 1) {
    throw new ArgumentError({
      op,
      argument: 'trunk',
      expected: 'a model with one input',
      actual: `${trunk.inputs.length} inputs`,
    });
  }
  const shape = trunk.inputs[0]!.shape.slice(1);
  if (shape.some((d) => d === null)) {
    throw new ArgumentError({
      op,
      argument: 'trunk',
      expected: 'a fixed input shape [H, W, C]',
      actual: `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`,
    });
  }
  return shape as number[];
}

/** Checks a list of hidden layer widths. */
export function checkHidden(op: string, hidden: readonly number[]): void {
  if (!Array.isArray(hidden)) {
    throw new ArgumentError({
      op,
      argument: 'hidden',
      expected: 'an array of widths',
      actual: typeof hidden,
    });
  }
  hidden.forEach((h, i) => {
    checkInteger(op, `hidden[${i}]`, h, 1);
  });
}

/**
 * Flattens a symbolic tensor when its rank is above 2, then applies ReLU dense layers of widths
 * `hidden` and a linear layer of `classes` units.
 */
export function mlpClassifier(
  x: tfl.SymbolicTensor,
  hidden: readonly number[],
  classes: number,
  name: string,
): tfl.SymbolicTensor {
  let h =
    x.shape.length > 2 ? (tfl.layers.flatten({ name: `${name}_flatten` }).apply(x) as tfl.SymbolicTensor) : x;
  hidden.forEach((units, i) => {
    h = tfl.layers
      .dense({ units, activation: 'relu', name: `${name}_hidden${i}` })
      .apply(h) as tfl.SymbolicTensor;
  });
  return tfl.layers.dense({ units: classes, name: `${name}_logits` }).apply(h) as tfl.SymbolicTensor;
}
