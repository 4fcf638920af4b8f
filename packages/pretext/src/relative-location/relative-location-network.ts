import { checkOptions } from '@genoise/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkHidden, mlpClassifier, trunkInputShape } from '../heads/trunk-heads';

/** Options of {@link relativeLocationNetwork}. */
export interface RelativeLocationNetworkOptions {
  /** The patch encoder: a `tf.LayersModel` with one fixed-size input `[P, P, C]`, shared by both patches. */
  readonly trunk: tfl.LayersModel;
  /** Widths of ReLU hidden layers after the two concatenated features. Default `[]`. */
  readonly hidden?: readonly number[];
}

const OP = 'relativeLocationNetwork';

/**
 * The pair network of relative patch location: the same `trunk` encodes the centre and the neighbour
 * patch (weights shared, late fusion as in the paper), the two feature vectors are concatenated
 * (centre first), and ReLU hidden layers and a linear layer give 8 logits, one per neighbour position.
 * The paper's head is fc6 per patch, then fc7 4096 and fc8 8 on the pair.
 *
 * @param options - `trunk`, `hidden` (default `[]`)
 * @returns a `tf.LayersModel` from `[centres [N, P, P, C], neighbours [N, P, P, C]]` to `[N, 8]` logits
 * @throws ArgumentError for a bad trunk or width
 * @example
 * ```ts
 * const network = relativeLocationNetwork({ trunk: smallConvNet({ inputShape: [8, 8, 3] }), hidden: [64] });
 * const logits = network.apply(relativeLocationTask(key, images, { patchSize: 8 }).inputs);
 * ```
 * @see Doersch, Gupta, Efros 2015, https://arxiv.org/abs/1505.05192
 */
export function relativeLocationNetwork(options: RelativeLocationNetworkOptions): tfl.LayersModel {
  const { trunk, hidden = [] } = checkOptions(options, ['trunk', 'hidden'], { op: OP });
  const shape = trunkInputShape(OP, trunk);
  checkHidden(OP, hidden);
  const centre = tfl.input({ shape, name: 'relative_location_centre' });
  const neighbour = tfl.input({ shape, name: 'relative_location_neighbour' });
  const flatten = (x: tfl.SymbolicTensor, name: string): tfl.SymbolicTensor =>
    x.shape.length > 2 ? (tfl.layers.flatten({ name }).apply(x) as tfl.SymbolicTensor) : x;
  const a = flatten(trunk.apply(centre) as tfl.SymbolicTensor, 'relative_location_flatten_centre');
  const b = flatten(trunk.apply(neighbour) as tfl.SymbolicTensor, 'relative_location_flatten_neighbour');
  const pair = tfl.layers.concatenate({ name: 'relative_location_pair' }).apply([a, b]) as tfl.SymbolicTensor;
  return tfl.model({
    inputs: [centre, neighbour],
    outputs: mlpClassifier(pair, hidden, 8, 'relative_location'),
    name: OP,
  });
}
