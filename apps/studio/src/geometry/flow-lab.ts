import { ArgumentError } from '@genoise/core';
import { type FlowMetrics, flowMetrics, type MaskAgreement, maskAgreement } from '@genoise/eval';
import type { FlowNet } from '@genoise/models';
import {
  evaluateFlow,
  type FlowEvalSet,
  type FlowMethod,
  type FramePairData,
  flowDataSettings,
  flowEvalSet,
  methodNames,
  predictFlow,
  resolveTrainConfig,
  syntheticFlowData,
  type TrainConfig,
  type TrainConfigOverrides,
  type UnflowOptions,
  zeroFlowBaseline,
} from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import { toRgba } from '../lib/colormap';
import { MethodSession, type OnSessionStep, type SessionStep } from '../train/method-session';
import { flowImage, maskComparisonRgba, maxFlowMagnitude } from './flow-view';

/** The `@genoise/train` method the geometry page trains live: UnFlow. */
export const FLOW_LAB_METHOD = 'unflow';

/** Whether `@genoise/train`'s registry has the method (the page says so when it does not). */
export function hasFlowMethod(): boolean {
  return methodNames().includes(FLOW_LAB_METHOD);
}

/** UnFlow's data terms, as the page's menu offers them. */
export const FLOW_DATA_TERMS = ['census', 'photometric'] as const;
export type FlowDataTerm = (typeof FLOW_DATA_TERMS)[number];

/**
 * What the flow lab sets. Every training field left `undefined` is the registry's default for `unflow`
 * (its budget, rate, batch, data term, network, loss weights, image size), so the page trains whatever
 * the method's defaults are.
 */
export interface FlowLabSettings {
  readonly seed: number;
  /** Steps of the run: the schedule's length (warm-up, cosine to 0); training stops there. */
  readonly steps: number | undefined;
  readonly learningRate: number | undefined;
  readonly dataTerm: FlowDataTerm | undefined;
  readonly batchSize: number | undefined;
  /** Synthetic pairs in the training pool (rendered lazily, kept as bytes). Default 64: quick to fill. */
  readonly poolSize: number;
  /** Held-out pairs (`flowEvalSet`, the trainer's held-out seed) the metric line averages over. */
  readonly evalPairs: number;
  /** Further `unflow` options merged over the registry's (e.g. a smaller network in the tests). */
  readonly method: Readonly<Record<string, unknown>>;
}

export const DEFAULT_FLOW_LAB: FlowLabSettings = {
  seed: 0,
  steps: undefined,
  learningRate: undefined,
  dataTerm: undefined,
  batchSize: undefined,
  poolSize: 64,
  evalPairs: 4,
  method: {},
};

/**
 * The run config: `unflow`'s registry defaults with the page's seed and pool, and the knobs the page
 * sets (steps, learning rate, data term, batch) where it sets them.
 *
 * @throws ArgumentError for a setting the registry refuses (from `resolveTrainConfig`)
 */
export function flowLabConfig(settings: FlowLabSettings): TrainConfig {
  const overrides: TrainConfigOverrides = {
    seed: settings.seed,
    ...(settings.steps === undefined ? {} : { steps: settings.steps }),
    ...(settings.learningRate === undefined ? {} : { learningRate: settings.learningRate }),
    ...(settings.batchSize === undefined ? {} : { batchSize: settings.batchSize }),
    method: {
      ...settings.method,
      name: FLOW_LAB_METHOD,
      poolSize: settings.poolSize,
      ...(settings.dataTerm === undefined ? {} : { dataTerm: settings.dataTerm }),
    },
  };
  const config = resolveTrainConfig(overrides);
  if (config.steps === undefined)
    throw new ArgumentError({
      op: 'flowLabConfig',
      argument: 'steps',
      expected: 'a number of steps (the registry gives unflow none)',
      actual: 'undefined',
    });
  return config;
}

/** What the page says about a run (its caption and controls), as plain data a worker can post. */
export interface FlowLabInfo {
  readonly settings: FlowLabSettings;
  readonly steps: number;
  readonly learningRate: number;
  readonly batchSize: number;
  /** Training pairs in the pool (`undefined`: a fresh pair every time). */
  readonly poolSize: number | undefined;
  readonly evalPairs: number;
  readonly height: number;
  readonly width: number;
  readonly movingObjects: number;
  /** The synthetic pairs (`UnflowOptions.scenes`). */
  readonly scenes: string;
  readonly dataTerm: string;
  readonly occlusionMask: boolean;
  readonly smoothness: number;
  readonly consistency: number;
  readonly occlusion: { readonly alpha1: number; readonly alpha2: number };
}

/** The run's numbers the page shows (see {@link FlowLabInfo}). */
export function flowLabInfo(lab: FlowLab): FlowLabInfo {
  const o = lab.options;
  return {
    settings: lab.settings,
    steps: lab.totalSteps,
    learningRate: lab.config.learningRate,
    batchSize: lab.config.batchSize,
    poolSize: lab.data.size,
    evalPairs: lab.evalPairs,
    height: o.height,
    width: o.width,
    movingObjects: o.movingObjects,
    scenes: o.scenes,
    dataTerm: o.dataTerm,
    occlusionMask: o.occlusionMask,
    smoothness: o.smoothness,
    consistency: o.consistency,
    occlusion: { alpha1: o.occlusion.alpha1, alpha2: o.occlusion.alpha2 },
  };
}

/** The metric line: the network on the held-out pairs against zero flow, and its forward-backward mask. */
export interface FlowLabMetrics {
  readonly step: number;
  /** Held-out pairs the numbers average over. */
  readonly pairs: number;
  /** `flowMetrics` of the network's forward flow (`evaluateFlow`). */
  readonly network: FlowMetrics;
  /** `flowMetrics` of zero flow (`zeroFlowBaseline`): EPE all is the mean true flow length. */
  readonly zeroFlow: FlowMetrics;
  /** The forward-backward mask of the network's forward and backward flows against the true occlusion. */
  readonly occlusion: MaskAgreement;
}

const percent = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : 'n/a');

/** One line of numbers: `EPE 2.31 px (zero flow 2.85 px) · fb mask precision 41.0%, recall 63.2% · 4 held-out pairs`. */
export function metricLine(m: FlowLabMetrics): string {
  return `EPE ${m.network.epeAll.toFixed(2)} px (zero flow ${m.zeroFlow.epeAll.toFixed(2)} px) · fb mask precision ${percent(m.occlusion.precision)}, recall ${percent(m.occlusion.recall)} · ${m.pairs} held-out pair${m.pairs === 1 ? '' : 's'}`;
}

/** The panels of one held-out pair, as RGBA bytes of `height` x `width`. */
export interface FlowLabView {
  readonly index: number;
  readonly step: number;
  readonly height: number;
  readonly width: number;
  /** Flow length (px) at which both flow panels saturate: the true flow's largest. */
  readonly scale: number;
  readonly frame1: Uint8ClampedArray;
  /** The network's forward flow, Middlebury colours. */
  readonly predicted: Uint8ClampedArray;
  /** The renderer's exact flow, the same colours. */
  readonly truth: Uint8ClampedArray;
  /** White: occluded by the forward-backward check on the network's forward and backward flows. */
  readonly mask: Uint8ClampedArray;
  /** White: the renderer's occlusion (hidden or out of view in frame 2). */
  readonly occlusion: Uint8ClampedArray;
  /** The check against the truth: white both, orange check only, blue missed, dark neither. */
  readonly compare: Uint8ClampedArray;
  /** This pair's numbers: the network's EPE, zero flow's (the mean true flow length), the mask's agreement. */
  readonly epe: number;
  readonly zeroEpe: number;
  readonly agreement: MaskAgreement;
}

/**
 * Live UnFlow: `@genoise/train`'s `unflow` method trained by the studio's {@link MethodSession} (the
 * trainer's steps: its batch with photometric augmentation, `trainStep`, `fit`'s data order and keys) on
 * a small pool of `syntheticFlowData` pairs, and read on held-out pairs (`flowEvalSet`) through
 * `predictFlow`, `evaluateFlow` and `zeroFlowBaseline`. Owns its tensors: the method's, the optimizer's
 * and the held-out set's.
 *
 * {@link evaluate} and {@link view} read the network: call them between steps, from the `onStep` of
 * {@link play} or through {@link exclusive} (not both: a job inside the queue that queues another waits
 * for itself).
 */
export class FlowLab {
  private constructor(
    readonly settings: FlowLabSettings,
    readonly config: TrainConfig,
    readonly data: FramePairData,
    private session: MethodSession<FramePairData, FlowMethod>,
    private readonly evalSet: FlowEvalSet,
  ) {}

  private zeroFlow: FlowMetrics | undefined;

  /**
   * Renders the held-out pairs and builds the method with fresh weights from the seed.
   *
   * @throws ArgumentError when the registry has no `unflow` method or refuses a setting
   */
  static async create(settings: Partial<FlowLabSettings> = {}): Promise<FlowLab> {
    const full = { ...DEFAULT_FLOW_LAB, ...settings };
    const config = flowLabConfig(full);
    const data = syntheticFlowData(flowDataSettings(config));
    const session = await MethodSession.create<FramePairData, FlowMethod>(config, data);
    const evalSet = flowEvalSet(flowDataSettings(config), { count: full.evalPairs });
    return new FlowLab(full, config, data, session, evalSet);
  }

  /** UnFlow's options of the run (the registry's with the page's). */
  get options(): UnflowOptions {
    return this.config.method as unknown as UnflowOptions;
  }

  /** The network being trained (read it between steps; do not dispose it). */
  get net(): FlowNet {
    return this.session.method.net;
  }

  /** Steps completed since the last reset. */
  get step(): number {
    return this.session.step;
  }

  /** The run's length (its schedule): {@link play} stops there. */
  get totalSteps(): number {
    return this.config.steps!;
  }

  get finished(): boolean {
    return this.step >= this.totalSteps;
  }

  get running(): boolean {
    return this.session.running;
  }

  /** Held-out pairs there are to show. */
  get evalPairs(): number {
    return this.evalSet.frame1.shape[0];
  }

  /** One UnFlow step (train's `trainStep`). */
  trainStep(): Promise<SessionStep> {
    return this.session.trainStep();
  }

  /** Steps until paused, until `onStep` returns `false`, or until the run's last step. */
  play(onStep?: OnSessionStep): Promise<void> {
    return this.session.play(async (step) => (await onStep?.(step)) !== false && !this.finished);
  }

  pause(): Promise<void> {
    return this.session.pause();
  }

  /** Runs `job` between steps (see {@link MethodSession.exclusive}). */
  exclusive<T>(job: () => T | Promise<T>): Promise<T> {
    return this.session.exclusive(job);
  }

  /** The metric line's numbers on all held-out pairs. */
  async evaluate(): Promise<FlowLabMetrics> {
    this.zeroFlow ??= await zeroFlowBaseline(this.evalSet);
    const { metrics, occlusion } = await evaluateFlow(this.net, this.evalSet, this.options.occlusion);
    return { step: this.step, pairs: this.evalPairs, network: metrics, zeroFlow: this.zeroFlow, occlusion };
  }

  /** The panels of held-out pair `index`: frame 1, predicted and true flow, the fb mask and the true occlusion. */
  async view(index: number): Promise<FlowLabView> {
    if (!Number.isInteger(index) || index < 0 || index >= this.evalPairs)
      throw new ArgumentError({
        op: 'FlowLab.view',
        argument: 'index',
        expected: `an integer in [0, ${this.evalPairs - 1}]`,
        actual: String(index),
      });
    const { height, width } = this.options;
    const set = this.evalSet;
    const one = tf.tidy(() => {
      const take = (t: tf.Tensor4D) => tf.slice(t, [index, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;
      return {
        frame1: take(set.frame1),
        frame2: take(set.frame2),
        flow: take(set.flow),
        occlusion: take(set.occlusion),
      };
    });
    const prediction = predictFlow(this.net, one.frame1, one.frame2, this.options.occlusion);
    const zeros = tf.zerosLike(one.flow);
    try {
      const [frame1, forward, truth, mask, occlusion] = (await Promise.all(
        [one.frame1, prediction.forward, one.flow, prediction.occlusion, one.occlusion].map((t) => t.data()),
      )) as Float32Array[];
      const [network, zero, agreement] = await Promise.all([
        flowMetrics(prediction.forward, one.flow, { occluded: one.occlusion }),
        flowMetrics(zeros, one.flow, { occluded: one.occlusion }),
        maskAgreement(prediction.occlusion, one.occlusion),
      ]);
      const scale = maxFlowMagnitude(truth!);
      const [predicted, truthRgba] = await Promise.all([
        flowImage(forward!, height, width, scale),
        flowImage(truth!, height, width, scale),
      ]);
      return {
        index,
        step: this.step,
        height,
        width,
        scale,
        frame1: toRgba(frame1!, 3),
        predicted,
        truth: truthRgba,
        mask: toRgba(mask!, 1),
        occlusion: toRgba(occlusion!, 1),
        compare: maskComparisonRgba(mask!, occlusion!),
        epe: network.epeAll,
        zeroEpe: zero.epeAll,
        agreement,
      };
    } finally {
      tf.dispose([...Object.values(one), ...Object.values(prediction), zeros]);
    }
  }

  /** Fresh weights and optimizer from the seed, step 0 (pauses first). */
  reset(): Promise<void> {
    return this.session.reset();
  }

  /** Frees everything; pause first when a loop runs. */
  dispose(): void {
    this.session.dispose();
    this.evalSet.dispose();
  }
}
