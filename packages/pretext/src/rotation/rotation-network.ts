import { checkOptions } from '@genoise/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkHidden, mlpClassifier, trunkInputShape } from '../heads/trunk-heads';

/** Options of {@link rotationNetwork}. */
export interface RotationNetworkOptions {
  /** The encoder: a `tf.LayersModel` with one fixed-size input `[H, H, C]`. */
  readonly trunk: tfl.LayersModel;
  /** Widths of ReLU hidden layers between the trunk and the 4 logits. Default `[]` (a linear head). */
  readonly hidden?: readonly number[];
}

const OP = 'rotationNetwork';

/**
 * The rotation classifier: `trunk` (flattened when its output is a map), optional ReLU hidden layers,
 * then 4 logits, one per quarter turn. The trunk's weights are shared, not copied, so training the
 * network trains the trunk. (RotNet's head on CIFAR is the rest of a NIN; a linear or small MLP head
 * is the usual choice on top of an arbitrary encoder.)
 *
 * @param options - `trunk`, `hidden` (default `[]`)
 * @returns a `tf.LayersModel` from `[N, H, H, C]` to `[N, 4]` logits
 * @throws ArgumentError when `trunk` is not a single-input LayersModel or `hidden` has a bad width
 * @example
 * ```ts
 * const network = rotationNetwork({ trunk: smallConvNet({ inputShape: [28, 28, 1] }) });
 * ```
 * @see Gidaris, Singh, Komodakis 2018, https://arxiv.org/abs/1803.07728
 */
export function rotationNetwork(options: RotationNetworkOptions): tfl.LayersModel {
  checkOptions(options, ['trunk', 'hidden'], { op: OP });
  const { trunk, hidden = [] } = options ?? ({} as RotationNetworkOptions);
  const shape = trunkInputShape(OP, trunk);
  checkHidden(OP, hidden);
  const input = tfl.input({ shape, name: 'rotation_input' });
  const features = trunk.apply(input) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: mlpClassifier(features, hidden, 4, 'rotation'), name: OP });
}
