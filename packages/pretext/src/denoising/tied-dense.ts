import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Options of {@link TiedDense}. */
export interface TiedDenseOptions {
  /** The encoder's dense layer whose kernel `W` `[n_in, n_out]` this layer uses transposed. */
  readonly source: tfl.layers.Layer;
  /** Activation of the output, `'linear'` (default, logits) or `'sigmoid'`. */
  readonly activation?: 'linear' | 'sigmoid';
  /** Layer name, unique within a model. */
  readonly name?: string;
}

/**
 * A decoder layer with tied weights: `y = h W^T + b'`, where `W` is the kernel of an encoder's dense
 * layer (shared, so its gradient sums both uses) and `b'` is this layer's own bias, as in the denoising
 * autoencoders of Vincent et al. and the SdA tutorial. Not serializable on its own (it refers to another
 * layer): save and load the weights, not the topology.
 *
 * @example
 * ```ts
 * const encode = tfl.layers.dense({ units: 256, activation: 'sigmoid' });
 * const code = encode.apply(input) as tfl.SymbolicTensor;
 * const logits = new TiedDense({ source: encode }).apply(code);
 * ```
 */
export class TiedDense extends tfl.layers.Layer {
  static readonly className = 'GenoiseTiedDense';
  readonly #source: tfl.layers.Layer;
  readonly #activation: 'linear' | 'sigmoid';
  #bias: tfl.LayerVariable | undefined;

  constructor({ source, activation = 'linear', name }: TiedDenseOptions) {
    super(name === undefined ? {} : { name });
    this.#source = source;
    this.#activation = activation;
  }

  /** The source's kernel variable `[n_in, n_out]` (a dense layer's first weight). */
  #kernelVariable(): tfl.LayerVariable {
    const kernel = this.#source.weights[0];
    if (kernel === undefined || kernel.shape.length !== 2) {
      throw new Error(`TiedDense: the source layer '${this.#source.name}' has no built dense kernel`);
    }
    return kernel;
  }

  override build(): void {
    const inputs = this.#kernelVariable().shape[0]!;
    this.#bias = this.addWeight('bias', [inputs], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    return [...shape.slice(0, -1), this.#kernelVariable().shape[0]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const y = tf.add(
        tf.matMul(x as tf.Tensor2D, this.#kernelVariable().read() as tf.Tensor2D, false, true),
        this.#bias!.read(),
      );
      return this.#activation === 'sigmoid' ? tf.sigmoid(y) : y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), activation: this.#activation };
  }
}
