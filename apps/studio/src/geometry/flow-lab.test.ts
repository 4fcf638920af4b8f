import '@tensorflow/tfjs-backend-cpu';
import { ArgumentError } from '@genoise/core';
import { defaultTrainConfig, flowDataSettings, flowEvalSet, predictFlow } from '@genoise/train';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DEFAULT_FLOW_LAB,
  FlowLab,
  type FlowLabMetrics,
  flowLabConfig,
  flowLabInfo,
  hasFlowMethod,
  metricLine,
} from './flow-lab';

/**
 * A small UnFlow for the tests (the page trains the registry's network): 32x32 frames, three pyramid
 * levels of few channels, one loss weight and census radius per output (full, 1/4, 1/8).
 */
const tiny = {
  seed: 2,
  steps: 20,
  batchSize: 2,
  poolSize: 4,
  evalPairs: 2,
  method: {
    height: 32,
    width: 32,
    samples: 1,
    flowNet: { levels: 3, finestLevel: 2, maxDisplacement: 2, widths: [4, 6, 8], estimatorWidths: [8] },
    levelWeights: [12.7, 4.35, 3.9],
    censusRadii: [3, 2, 1],
  },
};

describe.skipIf(!hasFlowMethod())('flow lab', () => {
  // The steps run on the cpu backend (the unit setup starts wasm; it comes back after).
  let previous = '';
  beforeAll(async () => {
    previous = tf.getBackend();
    await tf.setBackend('cpu');
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  test("the run is the registry's unflow with the page's knobs; an invalid knob is the registry's error", () => {
    const defaults = defaultTrainConfig('unflow');
    const plain = flowLabConfig(DEFAULT_FLOW_LAB);
    // Only the seed and the pool are the page's; the rest (steps, rate, batch, network, loss) are the registry's.
    expect(plain).toEqual({
      ...defaults,
      seed: 0,
      method: { ...defaults.method, poolSize: DEFAULT_FLOW_LAB.poolSize },
    });
    const knobs = flowLabConfig({
      ...DEFAULT_FLOW_LAB,
      steps: 40,
      learningRate: 3e-4,
      dataTerm: 'photometric',
    });
    expect(knobs.steps).toBe(40);
    expect(knobs.learningRate).toBe(3e-4);
    expect(knobs.method['dataTerm']).toBe('photometric');
    expect(() => flowLabConfig({ ...DEFAULT_FLOW_LAB, learningRate: -1 })).toThrow(ArgumentError);
    expect(() => flowLabConfig({ ...DEFAULT_FLOW_LAB, dataTerm: 'ssd' as unknown as 'census' })).toThrow(
      /method\.dataTerm/,
    );
  });

  test('the metric line reads EPE against zero flow and the mask agreement', () => {
    const metrics = {
      step: 3,
      pairs: 4,
      network: { epeAll: 2.314 },
      zeroFlow: { epeAll: 2.851 },
      occlusion: { precision: 0.41, recall: Number.NaN },
    } as unknown as FlowLabMetrics;
    expect(metricLine(metrics)).toBe(
      'EPE 2.31 px (zero flow 2.85 px) · fb mask precision 41.0%, recall n/a · 4 held-out pairs',
    );
  });

  test('panels are H x W RGBA; the numbers are those of the real tensors; steps, views and reset leak nothing', async () => {
    const before = tf.memory().numTensors;
    const lab = await FlowLab.create(tiny);
    expect(lab.options.height).toBe(32);
    expect(lab.totalSteps).toBe(20);
    expect(flowLabInfo(lab)).toMatchObject({
      steps: 20,
      batchSize: 2,
      poolSize: 4,
      evalPairs: 2,
      height: 32,
    });
    expect(structuredClone(flowLabInfo(lab))).toEqual(flowLabInfo(lab)); // a worker can post it
    const created = tf.memory().numTensors;

    const view = await lab.view(1);
    const rgba = 32 * 32 * 4;
    for (const panel of [view.frame1, view.predicted, view.truth, view.mask, view.occlusion, view.compare])
      expect(panel).toHaveLength(rgba);
    expect(view.scale).toBeGreaterThan(0);
    await expect(lab.view(2)).rejects.toThrow("FlowLab.view: 'index' is 2 but expected an integer in [0, 1]");

    // The metric line against naive loops over the same network's predicted flows and the held-out truth.
    const metrics = await lab.evaluate();
    const set = flowEvalSet(flowDataSettings(lab.config), { count: 2 });
    const prediction = predictFlow(lab.net, set.frame1, set.frame2, lab.options.occlusion);
    const [forward, flow, mask, truth] = (await Promise.all(
      [prediction.forward, set.flow, prediction.occlusion, set.occlusion].map((t) => t.data()),
    )) as Float32Array[];
    tf.dispose(Object.values(prediction));
    set.dispose();
    let epe = 0;
    let zero = 0;
    const n = truth!.length;
    for (let i = 0; i < n; i++) {
      epe += Math.hypot(forward![2 * i]! - flow![2 * i]!, forward![2 * i + 1]! - flow![2 * i + 1]!);
      zero += Math.hypot(flow![2 * i]!, flow![2 * i + 1]!);
    }
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < n; i++) {
      const p = mask![i]! > 0.5;
      const t = truth![i]! > 0.5;
      if (p && t) tp++;
      else if (p) fp++;
      else if (t) fn++;
    }
    expect(metrics.pairs).toBe(2);
    expect(metrics.network.epeAll).toBeCloseTo(epe / n, 4);
    expect(metrics.zeroFlow.epeAll).toBeCloseTo(zero / n, 4);
    expect(metrics.occlusion.truePositives).toBe(tp);
    expect(metrics.occlusion.falsePositives).toBe(fp);
    expect(metrics.occlusion.falseNegatives).toBe(fn);
    expect(metricLine(metrics)).toContain(`zero flow ${(zero / n).toFixed(2)} px`);

    // A few steps through play, a view every step from onStep: finite losses, a steady tensor count.
    const losses: number[] = [];
    const counts: number[] = [];
    await lab.play(async (s) => {
      losses.push(s.loss);
      await lab.view(0);
      await lab.evaluate();
      counts.push(tf.memory().numTensors);
      return s.step < 3;
    });
    expect(lab.step).toBe(3);
    for (const loss of losses) expect(Number.isFinite(loss)).toBe(true);
    expect(new Set(counts).size).toBe(1); // Adam's moments come with the first step, then nothing more
    expect((await lab.view(0)).step).toBe(3);

    await lab.reset();
    expect(lab.step).toBe(0);
    expect(tf.memory().numTensors).toBe(created);
    lab.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  test('play stops at the end of the run', async () => {
    const lab = await FlowLab.create({ ...tiny, steps: 2 });
    await lab.play();
    expect(lab.step).toBe(2);
    expect(lab.finished).toBe(true);
    lab.dispose();
  });
});
