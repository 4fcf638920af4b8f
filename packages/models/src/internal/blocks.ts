import * as tfl from '@tensorflow/tfjs-layers';
import { BatchNorm } from '../layers/batch-norm';

/** A symbolic tensor in a functional tfjs-layers graph. */
export type Node = tfl.SymbolicTensor;

/** Applies a layer to one symbolic tensor. */
export function applyLayer(layer: tfl.layers.Layer, x: Node | Node[]): Node {
  return layer.apply(x) as Node;
}

/** Options of {@link convBnRelu}. */
export interface ConvOptions {
  readonly name: string;
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly batchNorm: boolean;
  readonly batchNormMomentum: number;
  readonly relu: boolean;
}

/**
 * `conv (same padding, no bias when followed by BN) -> BN? -> ReLU?`. Kernels are created as zeros:
 * `initializeWeights` draws them from a key afterwards (cheap, and no unseeded randomness).
 */
export function convBnRelu(x: Node, o: ConvOptions): Node {
  let y = applyLayer(
    tfl.layers.conv2d({
      name: `${o.name}_conv`,
      filters: o.filters,
      kernelSize: o.kernelSize,
      strides: o.strides,
      padding: 'same',
      useBias: !o.batchNorm,
      kernelInitializer: 'zeros',
    }),
    x,
  );
  if (o.batchNorm) y = applyLayer(new BatchNorm({ name: `${o.name}_bn`, momentum: o.batchNormMomentum }), y);
  if (o.relu) y = applyLayer(tfl.layers.reLU({ name: `${o.name}_relu` }), y);
  return y;
}

/** `Dense (no bias when followed by BN) -> BN? -> ReLU?`, kernels created as zeros. */
export function denseBnRelu(
  x: Node,
  o: { name: string; units: number; batchNorm: boolean; batchNormMomentum: number; relu: boolean },
): Node {
  let y = applyLayer(
    tfl.layers.dense({
      name: `${o.name}_dense`,
      units: o.units,
      useBias: !o.batchNorm,
      kernelInitializer: 'zeros',
    }),
    x,
  );
  if (o.batchNorm) y = applyLayer(new BatchNorm({ name: `${o.name}_bn`, momentum: o.batchNormMomentum }), y);
  if (o.relu) y = applyLayer(tfl.layers.reLU({ name: `${o.name}_relu` }), y);
  return y;
}

/**
 * A ResNet BasicBlock: conv3x3(s)-BN-ReLU-conv3x3-BN plus the shortcut (1x1 conv(s)-BN when the
 * stride or width changes, the identity otherwise), then ReLU.
 */
export function basicBlock(
  x: Node,
  filters: number,
  strides: number,
  name: string,
  batchNormMomentum: number,
): Node {
  const common = { filters, batchNorm: true, batchNormMomentum };
  const inChannels = x.shape[x.shape.length - 1];
  let y = convBnRelu(x, { ...common, name: `${name}_a`, kernelSize: 3, strides, relu: true });
  y = convBnRelu(y, { ...common, name: `${name}_b`, kernelSize: 3, strides: 1, relu: false });
  const shortcut =
    strides !== 1 || inChannels !== filters
      ? convBnRelu(x, { ...common, name: `${name}_shortcut`, kernelSize: 1, strides, relu: false })
      : x;
  const sum = applyLayer(tfl.layers.add({ name: `${name}_add` }), [y, shortcut]);
  return applyLayer(tfl.layers.reLU({ name: `${name}_relu` }), sum);
}
