import type * as tfl from '@tensorflow/tfjs-layers';

/** One call of a layer inside a functional model (tfjs-layers' `Node`, which it does not export). */
export interface GraphNode {
  readonly outboundLayer: tfl.layers.Layer;
  readonly inputTensors: tfl.SymbolicTensor[];
  readonly outputTensors: tfl.SymbolicTensor[];
  readonly callArgs?: Record<string, unknown>;
}

/** A node with its depth in the model (0 at the outputs, growing towards the inputs). */
export interface DepthNode {
  readonly node: GraphNode;
  readonly depth: number;
}

/**
 * The layer calls of a functional model in topological order (inputs first), the input layers left
 * out. Uses `nodesByDepth`, which every tfjs-layers `Container` has; with shared layers (a layer
 * called in several models) only this model's calls are listed, so the symbolic tensors are the ones
 * of this model's graph.
 */
export function modelNodes(model: tfl.LayersModel): DepthNode[] {
  const byDepth = (model as unknown as { nodesByDepth: Record<string, GraphNode[]> }).nodesByDepth;
  const depths = Object.keys(byDepth)
    .map(Number)
    .sort((a, b) => b - a);
  const nodes: DepthNode[] = [];
  for (const depth of depths) {
    for (const node of byDepth[String(depth)] ?? []) {
      if (node.outboundLayer.getClassName() === 'InputLayer') continue;
      nodes.push({ node, depth });
    }
  }
  return nodes;
}

/**
 * Calls the layers of `model` again, in order, on `input` instead of the model's own input: the same
 * layer objects (so the same weights), a new graph. Returns the new symbolic tensor of every symbolic
 * tensor of the old graph, by id, and the new outputs.
 */
export function replayModel(
  model: tfl.LayersModel,
  input: tfl.SymbolicTensor,
): { readonly outputs: tfl.SymbolicTensor[]; readonly tensors: Map<number, tfl.SymbolicTensor> } {
  const tensors = new Map<number, tfl.SymbolicTensor>();
  const source = model.inputs[0];
  if (source !== undefined) tensors.set(source.id, input);
  for (const { node } of modelNodes(model)) {
    const inputs = node.inputTensors.map((t) => {
      const mapped = tensors.get(t.id);
      if (mapped === undefined) throw new Error(`replayModel: tensor ${t.name} is not computed yet`);
      return mapped;
    });
    const applied = node.outboundLayer.apply(inputs.length === 1 ? inputs[0]! : inputs, node.callArgs);
    const outputs = (Array.isArray(applied) ? applied : [applied]) as tfl.SymbolicTensor[];
    node.outputTensors.forEach((t, i) => {
      const out = outputs[i];
      if (out !== undefined) tensors.set(t.id, out);
    });
  }
  const outputs = model.outputs.map((t) => {
    const mapped = tensors.get(t.id);
    if (mapped === undefined) throw new Error(`replayModel: output ${t.name} was not reached`);
    return mapped;
  });
  return { outputs, tensors };
}
