import { ArgumentError } from '@genoise/core';
import type * as tf from '@tensorflow/tfjs-core';

/** A Keras 3 layer's serialised form (`module`, `class_name`, `config`), without its graph links. */
export interface KerasLayerSpec {
  readonly module: 'keras.layers';
  readonly class_name: string;
  readonly config: Record<string, unknown>;
  readonly registered_name: null;
}

type Config = tf.serialization.ConfigDict;

/**
 * tfjs activation names (`getConfig().activation`) and the Keras 3 activation computing the same
 * function. `hardSigmoid` is left out on purpose: tfjs computes `clip(0.2 x + 0.5, 0, 1)`, Keras 3
 * `relu6(x + 3) / 6`.
 */
const ACTIVATIONS: Readonly<Record<string, string>> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  elu: 'elu',
  selu: 'selu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  softmax: 'softmax',
  softplus: 'softplus',
  softsign: 'softsign',
  swish: 'swish',
  mish: 'mish',
  gelu: 'gelu',
};

function refuse(op: string, layer: string, className: string, why: string): never {
  throw new ArgumentError({
    op,
    argument: 'model',
    message: `${op}: layer '${layer}' (class ${className}) ${why}`,
  });
}

function pair(value: unknown): [number, number] {
  const v = value as number | number[];
  return Array.isArray(v) ? [v[0]!, v[1] ?? v[0]!] : [v, v];
}

/** Common fields: name, trainable, float32 (genoise models are float32 throughout). */
function base(config: Config): Record<string, unknown> {
  return { name: config['name'], trainable: config['trainable'] ?? true, dtype: 'float32' };
}

function dataFormat(op: string, layer: string, className: string, config: Config): string {
  const format = config['dataFormat'] ?? 'channelsLast';
  if (format !== 'channelsLast')
    refuse(op, layer, className, `has dataFormat '${String(format)}'; only channelsLast (NHWC) is exported.`);
  return 'channels_last';
}

function activation(op: string, layer: string, className: string, config: Config): string {
  const name = String(config['activation'] ?? 'linear');
  const keras = ACTIVATIONS[name];
  if (keras === undefined) {
    refuse(
      op,
      layer,
      className,
      `uses activation '${name}', which has no identical Keras activation; mappable: ${Object.keys(ACTIVATIONS).join(', ')}.`,
    );
  }
  return keras;
}

function spec(className: string, config: Record<string, unknown>): KerasLayerSpec {
  return { module: 'keras.layers', class_name: className, config, registered_name: null };
}

/**
 * The Keras 3 built-in layer computing what a tfjs layer computes at inference, with its weights in
 * the same order (`layer.weights` in both): `Conv2D`/`Dense` (kernel, bias), `BatchNormalization`
 * (gamma, beta, moving_mean, moving_variance) for genoise's `GenoiseBatchNorm` and tfjs'
 * batch normalisation, `Rescaling` for genoise's weightless `GenoiseAffine` (`scale * x + offset`),
 * and the weightless pooling, merge, reshape and activation layers.
 *
 * @throws ArgumentError naming the layer and its class when there is no equivalent (or an option of
 *   the layer, such as a bilinear `UpSampling2D` or a kernel constraint, has none)
 */
export function kerasLayerSpec(op: string, className: string, config: Config): KerasLayerSpec {
  const name = String(config['name']);
  const fail = (why: string): never => refuse(op, name, className, why);
  switch (className) {
    case 'InputLayer': {
      const shape = (config['batchInputShape'] ?? config['batchShape']) as (number | null)[];
      return spec('InputLayer', { name, batch_shape: shape, dtype: 'float32', sparse: false });
    }
    case 'Conv2D': {
      const groups = (config['groups'] as number | undefined) ?? 1;
      if (groups !== 1) fail(`has groups ${groups}; only groups 1 is exported.`);
      return spec('Conv2D', {
        ...base(config),
        filters: config['filters'],
        kernel_size: pair(config['kernelSize']),
        strides: pair(config['strides'] ?? 1),
        padding: config['padding'] ?? 'valid',
        data_format: dataFormat(op, name, className, config),
        dilation_rate: pair(config['dilationRate'] ?? 1),
        groups: 1,
        activation: activation(op, name, className, config),
        use_bias: config['useBias'] ?? true,
      });
    }
    case 'Dense':
      return spec('Dense', {
        ...base(config),
        units: config['units'],
        activation: activation(op, name, className, config),
        use_bias: config['useBias'] ?? true,
      });
    case 'GenoiseBatchNorm':
      // Inference is identical; in training, genoise updates the moving variance with the unbiased
      // batch variance (N / (N - 1)), Keras with the biased one.
      return spec('BatchNormalization', {
        ...base(config),
        axis: -1,
        momentum: config['momentum'] ?? 0.9,
        epsilon: config['epsilon'] ?? 1e-5,
        center: true,
        scale: true,
      });
    case 'BatchNormalization': {
      const axis = (config['axis'] as number | undefined) ?? -1;
      return spec('BatchNormalization', {
        ...base(config),
        axis,
        momentum: config['momentum'] ?? 0.99,
        epsilon: config['epsilon'] ?? 1e-3,
        center: config['center'] ?? true,
        scale: config['scale'] ?? true,
      });
    }
    case 'GenoiseAffine':
      return spec('Rescaling', {
        ...base(config),
        scale: config['scale'] ?? 1,
        offset: config['offset'] ?? 0,
      });
    case 'ReLU': {
      const maxValue = config['maxValue'];
      return spec('ReLU', {
        ...base(config),
        max_value: maxValue ?? null,
        negative_slope: 0,
        threshold: 0,
      });
    }
    case 'ELU':
      return spec('ELU', { ...base(config), alpha: config['alpha'] ?? 1 });
    case 'Activation':
      return spec('Activation', { ...base(config), activation: activation(op, name, className, config) });
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const poolSize = pair(config['poolSize'] ?? 2);
      return spec(className, {
        ...base(config),
        pool_size: poolSize,
        strides: pair(config['strides'] ?? poolSize),
        padding: config['padding'] ?? 'valid',
        data_format: dataFormat(op, name, className, config),
      });
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      return spec(className, {
        ...base(config),
        data_format: dataFormat(op, name, className, config),
        keepdims: false,
      });
    case 'Add':
    case 'Multiply':
    case 'Subtract':
    case 'Average':
    case 'Maximum':
    case 'Minimum':
      return spec(className, base(config));
    case 'Concatenate':
      return spec('Concatenate', { ...base(config), axis: config['axis'] ?? -1 });
    case 'Flatten':
      return spec('Flatten', { ...base(config), data_format: dataFormat(op, name, className, config) });
    case 'Reshape':
      return spec('Reshape', { ...base(config), target_shape: config['targetShape'] });
    case 'Dropout':
      if (config['noiseShape'] != null) fail('has a noiseShape, which is not exported.');
      return spec('Dropout', { ...base(config), rate: config['rate'] ?? 0 });
    case 'UpSampling2D': {
      const interpolation = config['interpolation'] ?? 'nearest';
      if (interpolation !== 'nearest') {
        fail(
          `interpolates '${String(interpolation)}': tfjs' bilinear resize samples without half-pixel centres and Keras' with them, so only 'nearest' is exported.`,
        );
      }
      return spec('UpSampling2D', {
        ...base(config),
        size: pair(config['size'] ?? 2),
        data_format: dataFormat(op, name, className, config),
        interpolation: 'nearest',
      });
    }
    default:
      return fail(
        'has no Keras equivalent here: export maps InputLayer, Conv2D, Dense, GenoiseBatchNorm, BatchNormalization, GenoiseAffine, ReLU, ELU, Activation, pooling, merge, Flatten, Reshape, Dropout and nearest UpSampling2D layers (export a nested model on its own).',
      );
  }
}
