import { checkOptions } from '@genoise/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkHidden, mlpClassifier, trunkInputShape } from '../heads/trunk-heads';
import { checkInteger } from '../internal/checks';

/** Options of {@link jigsawNetwork}. */
export interface JigsawNetworkOptions {
  /** The tile encoder: a `tf.LayersModel` with one fixed-size input `[T, T, C]`, shared by the 9 tiles. */
  readonly trunk: tfl.LayersModel;
  /** Number of permutations (classes). */
  readonly classes: number;
  /** Widths of ReLU hidden layers after the 9 concatenated features. Default `[]`. */
  readonly hidden?: readonly number[];
}

const OP = 'jigsawNetwork';

/**
 * The jigsaw's siamese network (the paper's "context-free network"): the same `trunk` encodes each of
 * the 9 tiles separately (a `timeDistributed` wrapper, weights shared), the 9 feature vectors are
 * concatenated in position order, and ReLU hidden layers and a linear layer give one logit per
 * permutation. The paper's full-size head is fc6 1024 per tile, fc7 4096, fc8 N: pass a trunk ending
 * in its own dense layer and `hidden: [4096]` to match.
 *
 * @param options - `trunk`, `classes`, `hidden` (default `[]`)
 * @returns a `tf.LayersModel` from `[B, 9, T, T, C]` to `[B, classes]` logits
 * @throws ArgumentError for a bad trunk, class count or width
 * @example
 * ```ts
 * const network = jigsawNetwork({ trunk: smallConvNet({ inputShape: [7, 7, 1] }), classes: 100 });
 * ```
 * @see Noroozi & Favaro 2016, https://arxiv.org/abs/1603.09246
 */
export function jigsawNetwork(options: JigsawNetworkOptions): tfl.LayersModel {
  const { trunk, classes, hidden = [] } = checkOptions(options, ['trunk', 'classes', 'hidden'], { op: OP });
  const shape = trunkInputShape(OP, trunk);
  checkInteger(OP, 'classes', classes, 2);
  checkHidden(OP, hidden);
  const input = tfl.input({ shape: [9, ...shape], name: 'jigsaw_tiles' });
  const features = tfl.layers
    .timeDistributed({ layer: trunk, name: 'jigsaw_siamese' })
    .apply(input) as tfl.SymbolicTensor; // [B, 9, ...]
  return tfl.model({ inputs: input, outputs: mlpClassifier(features, hidden, classes, 'jigsaw'), name: OP });
}
