import { ArgumentError } from '@genoise/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { type Architecture, recordedArchitecture } from '../internal/architecture';
import { registerLayers } from '../layers/register-layers';
import { type KerasLayerSpec, kerasLayerSpec } from './keras-layers';
import { KERAS_LOADER_PY } from './keras-loader';
import { encodeNpz, type NpzArray } from './npz';

/** A link to a layer output in a Keras model config: `[layer name, node index, tensor index]`. */
export type KerasTensorLink = [string, number, number];

/** A layer of a Keras 3 functional config, with its inbound nodes (legacy list form, which Keras 3 reads). */
export interface KerasGraphLayer extends KerasLayerSpec {
  readonly name: string;
  readonly inbound_nodes: [string, number, number, Record<string, never>][][];
}

/**
 * A Keras 3 functional model config: what `keras.models.model_from_json` reads. Serialised as the
 * public `keras.Model` (whose `from_config` builds a `Functional` from `layers`), not as
 * `keras.src.models.functional.Functional`, an internal module path.
 */
export interface KerasModelConfig {
  readonly module: 'keras';
  readonly class_name: 'Model';
  readonly config: {
    readonly name: string;
    readonly trainable: true;
    readonly layers: KerasGraphLayer[];
    readonly input_layers: KerasTensorLink | KerasTensorLink[];
    readonly output_layers: KerasTensorLink | KerasTensorLink[];
  };
  readonly registered_name: null;
}

/** One weight of an exported layer, in the layer's Keras weight order. */
export interface KerasWeight {
  /** Layer name (the same in tfjs and Keras). */
  readonly layer: string;
  /** Keras variable name: `kernel`, `bias`, `gamma`, `beta`, `moving_mean`, `moving_variance`. */
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** `export.json`: what was exported, and the weight order `load_keras.py` checks. */
export interface KerasExportManifest {
  readonly format: 'genoise-keras-export';
  readonly version: 1;
  /** Model name. */
  readonly model: string;
  /** The genoise builder and its options, when a genoise builder made the model. */
  readonly architecture?: Architecture;
  /** Input shapes with `null` for the batch dimension. */
  readonly inputs: (number | null)[][];
  readonly outputs: (number | null)[][];
  /** Layers with weights: name, tfjs class, Keras class and weight names in order. */
  readonly layers: {
    readonly name: string;
    readonly source: string;
    readonly keras: string;
    readonly weights: string[];
  }[];
  /** Whether `reference.npz` (a fixed input and the tfjs outputs in inference mode) is included. */
  readonly reference: boolean;
}

/** Options of {@link toKeras}. */
export interface ToKerasOptions {
  /**
   * An input batch (one tensor per model input) to record with the model's outputs in inference mode
   * (`model.predict`) in `reference.npz` (`input`, `output`; `input_0`, `output_1`, ... when there
   * are several), so the export can be checked in Keras. Not disposed. Default: none.
   */
  readonly reference?: tf.Tensor | readonly tf.Tensor[];
}

/** The result of {@link toKeras}. */
export interface KerasExport {
  readonly config: KerasModelConfig;
  readonly weights: readonly KerasWeight[];
  readonly manifest: KerasExportManifest;
  /**
   * The files of an export folder: `config.json`, `weights.npz`, `export.json`, `load_keras.py` and,
   * with a reference, `reference.npz`. `writeKerasExport` (`@genoise/models/node`) writes them; in a
   * browser they can be offered as downloads.
   */
  readonly files: Readonly<Record<string, string | Uint8Array>>;
}

const OP = 'toKeras';

type PyNode = [string, number, number, Record<string, unknown>?];
interface PyLayer {
  readonly class_name: string;
  readonly name?: string;
  readonly config: { name: string };
  readonly inbound_nodes?: PyNode[][];
}
interface PyModel {
  readonly class_name: string;
  readonly config: {
    readonly name?: string;
    readonly layers: PyLayer[];
    readonly input_layers?: [string, number, number][];
    readonly output_layers?: [string, number, number][];
  };
}

const NESTED = new Set(['Functional', 'Model', 'Sequential']);

function link(l: [string, number, number]): KerasTensorLink {
  return [l[0], l[1], l[2]];
}

/** A layer of the graph to export: its tfjs class and config, weights and inbound nodes. */
interface GraphLayer {
  readonly name: string;
  readonly className: string;
  readonly config: tf.serialization.ConfigDict;
  readonly weights: readonly tfl.LayerVariable[];
  readonly isModel: boolean;
  readonly inbound: KerasGraphLayer['inbound_nodes'];
}

function graphLayer(layer: tfl.layers.Layer, className: string, inbound: GraphLayer['inbound']): GraphLayer {
  return {
    name: layer.name,
    className,
    config: layer.getConfig(),
    weights: layer.weights,
    isModel: layer instanceof tfl.LayersModel,
    inbound,
  };
}

/** The graph (layers with inbound nodes, inputs, outputs) of a functional or sequential model. */
function graphOf(model: tfl.LayersModel): {
  layers: GraphLayer[];
  inputs: KerasTensorLink[];
  outputs: KerasTensorLink[];
} {
  if (model instanceof tfl.Sequential) {
    const inputName = `${model.name}_input`;
    let previous = inputName;
    const layers = model.layers.map((layer) => {
      const entry = graphLayer(layer, layer.getClassName(), [[[previous, 0, 0, {}]]]);
      previous = layer.name;
      return entry;
    });
    const input: GraphLayer = {
      name: inputName,
      className: 'InputLayer',
      config: { name: inputName, batchInputShape: model.inputs[0]!.shape },
      weights: [],
      isModel: false,
      inbound: [],
    };
    return { layers: [input, ...layers], inputs: [[inputName, 0, 0]], outputs: [[previous, 0, 0]] };
  }
  const json = model.toJSON(null, false) as unknown as PyModel;
  return {
    layers: json.config.layers.map((entry) =>
      graphLayer(
        model.getLayer(entry.config.name),
        entry.class_name,
        (entry.inbound_nodes ?? []).map((node) =>
          node.map(([name, nodeIndex, tensorIndex, kwargs]) => {
            if (kwargs !== undefined && Object.keys(kwargs).length > 0) {
              throw new ArgumentError({
                op: OP,
                argument: 'model',
                message: `${OP}: layer '${entry.config.name}' is called with arguments ${JSON.stringify(kwargs)}, which are not exported.`,
              });
            }
            return [name, nodeIndex, tensorIndex, {}] as [string, number, number, Record<string, never>];
          }),
        ),
      ),
    ),
    inputs: (json.config.input_layers ?? []).map(link),
    outputs: (json.config.output_layers ?? []).map(link),
  };
}

function batchShapes(shape: tfl.Shape | tfl.Shape[]): (number | null)[][] {
  const shapes = (Array.isArray(shape[0]) || shape.length === 0 ? shape : [shape]) as tfl.Shape[];
  return shapes.map((s) => s.map((d) => d ?? null));
}

async function referenceArrays(
  model: tfl.LayersModel,
  reference: tf.Tensor | readonly tf.Tensor[],
): Promise<Record<string, NpzArray>> {
  const inputs = reference instanceof tf.Tensor ? [reference] : [...reference];
  if (inputs.length !== model.inputs.length || inputs.some((x) => !(x instanceof tf.Tensor))) {
    throw new ArgumentError({
      op: OP,
      argument: 'options.reference',
      expected: `${model.inputs.length} tensor(s), one per model input`,
      actual: `${inputs.length} value(s)`,
    });
  }
  inputs.forEach((x, i) => {
    const expected = model.inputs[i]!.shape;
    const fits = x.rank === expected.length && expected.every((d, k) => d === null || d === x.shape[k]);
    if (!fits) {
      throw new ArgumentError({
        op: OP,
        argument: 'options.reference',
        expected: `[${expected.map((d) => d ?? 'B').join(',')}] for input ${i}`,
        actual: `[${x.shape.join(',')}]`,
      });
    }
  });
  const predicted = model.predict(inputs.length === 1 ? inputs[0]! : inputs);
  const outputs = Array.isArray(predicted) ? predicted : [predicted];
  try {
    const arrays: Record<string, NpzArray> = {};
    const add = async (key: string, t: tf.Tensor): Promise<void> => {
      const values = Float32Array.from(await t.data());
      arrays[key] = { shape: t.shape, values };
    };
    for (const [i, x] of inputs.entries()) await add(inputs.length === 1 ? 'input' : `input_${i}`, x);
    for (const [i, y] of outputs.entries()) await add(outputs.length === 1 ? 'output' : `output_${i}`, y);
    return arrays;
  } finally {
    tf.dispose(outputs);
  }
}

/**
 * Translates a genoise (tfjs-layers) model into what Keras 3 loads: a functional model config made
 * of built-in Keras layers only, and the weights in Keras' order. Each layer keeps its name;
 * genoise's `GenoiseBatchNorm` becomes `BatchNormalization` (same four weights; identical at
 * inference) and `GenoiseAffine` becomes `Rescaling` (`scale * x + offset`). Kernels keep their
 * layout (`[kh, kw, in, out]`, `[in, out]`), so no weight is transposed. Images stay NHWC.
 *
 * In Python, `load_keras.py` from {@link KerasExport.files} (written into the folder) builds the model
 * and saves a `.keras` file; `tooling/keras-check/check.py` compares it with the reference outputs.
 *
 * @param model - a functional or sequential `tf.LayersModel` (an encoder, a head, a depth or pose
 *   network); not modified
 * @param options - see {@link ToKerasOptions}
 * @returns the config, the weights (copies) and the files of an export folder
 * @throws ArgumentError when `model` is not a LayersModel, when a layer has no Keras equivalent (the
 *   message names the layer and its class), or when the reference does not fit the model's inputs
 * @example
 * ```ts
 * const encoder = smallConvNet({ inputShape: [28, 28, 1], key: createKey(0) });
 * const exported = await toKeras(encoder, { reference: tf.zeros([2, 28, 28, 1]) });
 * exported.config.config.layers[1]?.class_name; // 'Conv2D'
 * Object.keys(exported.files); // ['config.json', 'weights.npz', 'export.json', 'load_keras.py', 'reference.npz']
 * ```
 * @see Keras 3 saving and serialization, https://keras.io/guides/serialization_and_saving/
 */
export async function toKeras(model: tfl.LayersModel, options: ToKerasOptions = {}): Promise<KerasExport> {
  if (!(model instanceof tfl.LayersModel)) {
    throw new ArgumentError({
      op: OP,
      argument: 'model',
      expected: 'a tf.LayersModel',
      actual: String(model),
    });
  }
  registerLayers();
  const graph = graphOf(model);
  const layers: KerasGraphLayer[] = [];
  const weights: KerasWeight[] = [];
  const manifestLayers: KerasExportManifest['layers'][number][] = [];
  for (const layer of graph.layers) {
    if (NESTED.has(layer.className) || layer.isModel) {
      throw new ArgumentError({
        op: OP,
        argument: 'model',
        message: `${OP}: layer '${layer.name}' (class ${layer.className}) is a nested model; export it on its own (toKeras on the inner model).`,
      });
    }
    const spec = kerasLayerSpec(OP, layer.className, layer.config);
    layers.push({ ...spec, name: layer.name, inbound_nodes: layer.inbound });
    if (layer.weights.length === 0) continue;
    const names: string[] = [];
    for (const variable of layer.weights) {
      const name = variable.originalName.slice(variable.originalName.lastIndexOf('/') + 1);
      const tensor = variable.read();
      if (tensor.dtype !== 'float32') {
        throw new ArgumentError({
          op: OP,
          argument: 'model',
          message: `${OP}: weight '${variable.originalName}' of layer '${layer.name}' is ${tensor.dtype}; only float32 weights are exported.`,
        });
      }
      // A copy: on cpu, data() can hand out the variable's own buffer.
      const values = new Float32Array((await tensor.data()) as Float32Array);
      weights.push({ layer: layer.name, name, shape: [...tensor.shape], values });
      names.push(name);
    }
    manifestLayers.push({
      name: layer.name,
      source: layer.className,
      keras: spec.class_name,
      weights: names,
    });
  }
  const single = (links: KerasTensorLink[]): KerasTensorLink | KerasTensorLink[] =>
    links.length === 1 ? links[0]! : links;
  const config: KerasModelConfig = {
    module: 'keras',
    class_name: 'Model',
    config: {
      name: model.name,
      trainable: true,
      layers,
      input_layers: single(graph.inputs),
      output_layers: single(graph.outputs),
    },
    registered_name: null,
  };
  const architecture = recordedArchitecture(model);
  const manifest: KerasExportManifest = {
    format: 'genoise-keras-export',
    version: 1,
    model: model.name,
    ...(architecture === undefined ? {} : { architecture }),
    inputs: model.inputs.flatMap((x) => batchShapes(x.shape)),
    outputs: model.outputs.flatMap((y) => batchShapes(y.shape)),
    layers: manifestLayers,
    reference: options.reference !== undefined,
  };
  const files: Record<string, string | Uint8Array> = {
    'config.json': `${JSON.stringify(config)}\n`,
    'weights.npz': encodeNpz(
      Object.fromEntries(weights.map((w) => [`${w.layer}/${w.name}`, { shape: w.shape, values: w.values }])),
    ),
    'export.json': `${JSON.stringify(manifest, null, 2)}\n`,
    'load_keras.py': KERAS_LOADER_PY,
  };
  if (options.reference !== undefined) {
    files['reference.npz'] = encodeNpz(await referenceArrays(model, options.reference));
  }
  return { config, weights, manifest, files };
}
