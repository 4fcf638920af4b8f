import { ArgumentError, describeValue } from '@genoise/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { applyLayer } from '../internal/blocks';
import { modelNodes, replayModel } from '../internal/graph';

const OP = 'encoderStages';
const STAGE = /_stage(\d+)(?:_|$)/;

/**
 * A view of an encoder with one output per stage: the map after each stage (after its downsampling),
 * shallow to deep, and the pooled feature last:
 * `[B, H, W, C] -> [[B, H_1, W_1, w_1], ..., [B, H_N, W_N, w_N], [B, D]]`.
 *
 * The view calls the encoder's own layers, so it shares every weight (and the batch-norm moving
 * statistics) with `encoder`: no copy, training either trains both. The outputs are named `stage1` ..
 * `stageN` and `pooled` (`model.outputNames`), by weightless identity layers.
 *
 * A stage is the set of layers whose names contain `_stage<i>` (`_stage<i>_...`), as
 * {@link smallConvNet} (every `downsampling`: after the max-pool, after the stride-2 conv-BN-ReLU, or
 * the stage's own stride-2 conv) and {@link resnet18} (after the stage's second block; the stem is not
 * a stage) name them; its output is the stage's deepest layer call. Works on an encoder from
 * {@link withInputShape} too.
 *
 * The view calls the layers again on a new input of the same shape, so each shared layer counts one more
 * user: `view.dispose()` releases only the view, and the weights go when the encoder is disposed too.
 *
 * @param encoder - a functional encoder with one input, one output (the pooled feature) and stage
 *   layers named `..._stage<i>_...`
 * @returns a `tf.LayersModel` with N + 1 outputs, shallow to deep, then the pooled feature
 * @throws ArgumentError when `encoder` is not a LayersModel with one input and one output, or has no
 *   stage layers (the message lists what its layer names look like)
 * @example
 * ```ts
 * const encoder = smallConvNet({ inputShape: [28, 28, 1], widths: [16, 32, 64], key: createKey(0) });
 * const stages = encoderStages(encoder);
 * stages.outputNames; // ['stage1', 'stage2', 'stage3', 'pooled']
 * const maps = stages.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor[];
 * // [2,14,14,16] [2,7,7,32] [2,4,4,64] [2,64]
 * ```
 */
export function encoderStages(encoder: tfl.LayersModel): tfl.LayersModel {
  checkEncoder(encoder, OP);
  const deepest = new Map<number, { depth: number; tensor: tfl.SymbolicTensor }>();
  for (const { node, depth } of modelNodes(encoder)) {
    const match = STAGE.exec(node.outboundLayer.name);
    if (match === null) continue;
    const stage = Number(match[1]);
    const previous = deepest.get(stage);
    const tensor = node.outputTensors[0];
    if (tensor !== undefined && (previous === undefined || depth < previous.depth)) {
      deepest.set(stage, { depth, tensor });
    }
  }
  const stages = [...deepest.keys()].sort((a, b) => a - b);
  if (stages.length === 0 || stages.some((s, i) => s !== i + 1)) {
    const names = encoder.layers.slice(0, 6).map((l) => l.name);
    throw new ArgumentError({
      op: OP,
      argument: 'encoder',
      message: `${OP}: 'encoder' must have layers named '<name>_stage1_...' to '<name>_stageN_...' (as smallConvNet and resnet18 do); found stages [${stages.join(', ')}] among layers like ${names.join(', ')}.`,
    });
  }
  const identity = (x: tfl.SymbolicTensor, name: string) =>
    applyLayer(tfl.layers.activation({ activation: 'linear', name }), x);
  const shape = encoder.inputs[0]!.shape.slice(1) as number[];
  const input = tfl.input({ shape, name: `${encoder.inputs[0]!.sourceLayer.name}_stages` });
  const replayed = replayModel(encoder, input);
  const tap = (t: tfl.SymbolicTensor) => replayed.tensors.get(t.id)!;
  const outputs = stages.map((s) => identity(tap(deepest.get(s)!.tensor), `stage${s}`));
  outputs.push(identity(replayed.outputs[0]!, 'pooled'));
  return tfl.model({ inputs: input, outputs, name: `${encoder.name}_stages` });
}

/** Throws unless `encoder` is a tfjs-layers model with one input and one output. */
export function checkEncoder(encoder: unknown, op: string): asserts encoder is tfl.LayersModel {
  const ok =
    encoder instanceof tfl.LayersModel && encoder.inputs.length === 1 && encoder.outputs.length === 1;
  if (!ok) {
    throw new ArgumentError({
      op,
      argument: 'encoder',
      expected: 'a tf.LayersModel with one input and one output',
      actual:
        encoder instanceof tfl.LayersModel
          ? `a model with ${encoder.inputs.length} inputs and ${encoder.outputs.length} outputs`
          : describeValue(encoder),
    });
  }
}
