import { ArgumentError, checkKey, foldIn, type Key, normal } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** How one weight is initialised, chosen by its short name (the part after the last `/`). */
type Rule = { readonly kind: 'he-normal' } | { readonly kind: 'constant'; readonly value: number };

const RULES: Readonly<Record<string, Rule>> = {
  kernel: { kind: 'he-normal' },
  bias: { kind: 'constant', value: 0 },
  beta: { kind: 'constant', value: 0 },
  gamma: { kind: 'constant', value: 1 },
  moving_mean: { kind: 'constant', value: 0 },
  moving_variance: { kind: 'constant', value: 1 },
};

/** The short name of a weight: `'conv1/kernel'` -> `'kernel'`. */
function shortName(weight: tfl.LayerVariable): string {
  const last = weight.originalName.split('/').pop() ?? weight.originalName;
  return last;
}

/**
 * Sets every weight of `model` from `key`, so the same key gives the same weights on every backend
 * (tfjs-layers' own initialisers draw from an unseeded generator). Weight `i` (in `model.weights`
 * order) draws from `foldIn(key, i)`:
 * - `kernel` (conv `[kh, kw, cin, cout]` or dense `[in, out]`): He normal,
 *   `N(0, 2 / fanIn)` with `fanIn = prod(shape[0..-2])` (`kh * kw * cin`, or `in`), not truncated;
 * - `bias`, `beta`, `moving_mean`: 0; `gamma`, `moving_variance`: 1.
 *
 * @param model - a built tfjs-layers model whose weights are named as above
 * @param key - a {@link Key} from `createKey(seed)`
 * @returns `model`, with its weights overwritten in place
 * @throws ArgumentError when the key is not a Key, or a weight has a name without a rule (the message
 *   names the weight and the names that have one)
 * @example
 * ```ts
 * const model = smallConvNet({ inputShape: [28, 28, 1], key: createKey(0) }); // already initialised
 * initializeWeights(model, createKey(1)); // re-initialise with another key
 * ```
 * @see He et al., "Delving Deep into Rectifiers", ICCV 2015, https://arxiv.org/abs/1502.01852
 */
export function initializeWeights<M extends tfl.LayersModel>(model: M, key: Key): M {
  checkKey(key, 'initializeWeights');
  const weights = model.weights;
  weights.forEach((weight, index) => {
    const name = shortName(weight);
    const rule = RULES[name];
    if (rule === undefined) {
      throw new ArgumentError({
        op: 'initializeWeights',
        argument: 'model',
        message: `initializeWeights: weight '${weight.originalName}' has no initialisation rule; known weight names are ${Object.keys(RULES).join(', ')}.`,
      });
    }
    const shape = weight.shape as number[];
    const value =
      rule.kind === 'he-normal'
        ? normal(foldIn(key, index), shape, { std: Math.sqrt(2 / fanIn(shape)) })
        : tf.fill(shape, rule.value);
    weight.write(value);
    value.dispose();
  });
  return model;
}

/** Fan-in of a kernel: the product of every dimension but the last (output) one. */
/** @internal */
export function fanIn(shape: readonly number[]): number {
  return shape.slice(0, -1).reduce((a, b) => a * b, 1);
}
