import { ArgumentError, createKey } from '@genoise/core';
import { type Uint8Dataset, uint8Dataset } from '@genoise/data';
import { rotationTask } from '@genoise/pretext';
import { methodNames, resolveTrainConfig, type TrainConfig } from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { FASHION_CLASS_NAMES, type FashionSubset, stratifiedIndices } from '../lib/fashion-data';
import { MethodSession } from '../train/method-session';

/** The `@genoise/train` method the pretext page trains live: RotNet. */
export const ROTATION_LAB_METHOD = 'rotation';

/** Whether `@genoise/train`'s registry has the method (the page says so when it does not). */
export function hasRotationMethod(): boolean {
  return methodNames().includes(ROTATION_LAB_METHOD);
}

export interface RotationLabSettings {
  readonly seed: number;
  /** Images per step; each appears in its four rotations, so the network sees `4 batchSize` inputs. */
  readonly batchSize: number;
  /** Held-out test images (stratified) whose four rotations measure the task accuracy. */
  readonly evalSize: number;
  /** One cycle of the method's warm-up and cosine schedule; the page restarts it after each cycle. */
  readonly scheduleSteps: number;
}

export const DEFAULT_ROTATION_LAB: RotationLabSettings = {
  seed: 0,
  batchSize: 16,
  evalSize: 100,
  scheduleSteps: 1000,
};

/** The run config: rotation's registry defaults with the page's seed, batch size and schedule length. */
export function rotationLabConfig(settings: RotationLabSettings): TrainConfig {
  return resolveTrainConfig({
    seed: settings.seed,
    batchSize: settings.batchSize,
    steps: settings.scheduleSteps,
    checkpointEvery: settings.scheduleSteps,
    method: { name: ROTATION_LAB_METHOD },
  });
}

export interface RotationStep {
  readonly step: number;
  readonly loss: number;
  /** Top-1 of the step's own batch (the method's `accuracy` term), when the method reports it. */
  readonly accuracy: number | undefined;
  readonly learningRate: number;
  readonly milliseconds: number;
}

/** The network's answer for each of the four rotations of some images. */
export interface RotationPrediction {
  /** `[N, 4]` row-major: softmax over the four quarter turns, for input `4b + k` (image `b` turned `k` times). */
  readonly probabilities: Float32Array;
  /** Fraction of the `4N` inputs whose argmax is their true rotation. */
  readonly accuracy: number;
}

/**
 * A live run of `@genoise/train`'s `rotation` method (RotNet) on the studio's Fashion-MNIST subset, stepped
 * as the trainer steps it by the studio's {@link MethodSession}: `createMethod` from the config, the
 * method's `batch` (all four rotations of the step's images) from the step's key, train's `trainStep` at
 * `learningRateAt` (warm restarts after each cycle), `stepIndices`' data order. It reads the network
 * through the method's models (`encoder` and `head`) in inference mode to score held-out images and the
 * image the page shows. Owns its tensors.
 */
export class RotationLab {
  private session!: MethodSession<Uint8Dataset>;
  private encoder!: tfl.LayersModel;
  private head!: tfl.LayersModel;
  readonly config: TrainConfig;
  readonly train: Uint8Dataset;
  readonly test: Uint8Dataset;
  readonly evalIndices: Int32Array;

  private constructor(
    data: FashionSubset,
    readonly settings: RotationLabSettings,
  ) {
    const imageShape = [data.side, data.side, 1] as const;
    const classNames = [...FASHION_CLASS_NAMES];
    this.train = uint8Dataset({
      name: 'fashion-train',
      pixels: data.train.pixels,
      imageShape,
      labels: data.train.labels,
      classNames,
    });
    this.test = uint8Dataset({
      name: 'fashion-test',
      pixels: data.test.pixels,
      imageShape,
      labels: data.test.labels,
      classNames,
    });
    this.evalIndices = stratifiedIndices(data.test.labels, settings.evalSize);
    this.config = rotationLabConfig(settings);
  }

  /** @throws ArgumentError when the registry has no `rotation` method (or a setting is out of range) */
  static async create(
    data: FashionSubset,
    settings: Partial<RotationLabSettings> = {},
  ): Promise<RotationLab> {
    const lab = new RotationLab(data, { ...DEFAULT_ROTATION_LAB, ...settings });
    await lab.build();
    return lab;
  }

  private async build(): Promise<void> {
    const session = await MethodSession.create(this.config, this.train);
    this.takeModels(session);
    this.session = session;
  }

  /** The method's `encoder` and `head`; a method without them is disposed and refused. */
  private takeModels(session: MethodSession<Uint8Dataset>): void {
    const { models } = session.method;
    const model = (name: string) => models.find((m) => m.name === name)?.model;
    const encoder = model('encoder');
    const head = model('head');
    if (encoder === undefined || head === undefined) {
      session.dispose();
      throw new ArgumentError({
        op: 'RotationLab',
        argument: 'method.models',
        expected: "models named 'encoder' and 'head'",
        actual: models.map((m) => `'${m.name}'`).join(', '),
      });
    }
    this.encoder = encoder;
    this.head = head;
  }

  /** Steps completed since the last reset. */
  get step(): number {
    return this.session.step;
  }

  /** One step of the rotation method (train's `trainStep`) on the next batch of `fit`'s data order. */
  async trainStep(): Promise<RotationStep> {
    const { step, loss, terms, learningRate, milliseconds } = await this.session.trainStep();
    return { step, loss, accuracy: terms['accuracy'], learningRate, milliseconds };
  }

  /** The network's rotation probabilities for all four rotations of `images` `[N, H, H, 1]` (the caller keeps them). */
  async predict(images: tf.Tensor4D): Promise<RotationPrediction> {
    const { probabilities, correct } = tf.tidy(() => {
      const task = rotationTask(createKey(0), images); // 'all': deterministic, the key is unused
      const features = this.encoder.predict(task.inputs) as tf.Tensor2D;
      const logits = this.head.predict(features) as tf.Tensor2D;
      const hits = tf.equal(tf.argMax(logits, 1), task.targets);
      return { probabilities: tf.softmax(logits), correct: tf.mean(tf.cast(hits, 'float32')) };
    });
    const [p, c] = await Promise.all([probabilities.data(), correct.data()]);
    tf.dispose([probabilities, correct]);
    return { probabilities: p as Float32Array, accuracy: c[0]! };
  }

  /** Rotation accuracy on the held-out images (their four rotations each). */
  async evaluate(): Promise<number> {
    const images = this.test.images(this.evalIndices);
    try {
      return (await this.predict(images)).accuracy;
    } finally {
      images.dispose();
    }
  }

  /** Fresh weights and optimizer from the seed, step 0. */
  async reset(): Promise<void> {
    await this.session.reset();
    this.takeModels(this.session);
  }

  dispose(): void {
    this.session.dispose();
  }
}
