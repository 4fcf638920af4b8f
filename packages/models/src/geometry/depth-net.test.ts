import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, createKey, initBackend, uniform } from '@genoise/core';
import { expectNoLeaks, expectTensorClose, testBackend } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, saveModel } from '../io/model-folder';
import { trainableVariables } from '../training/trainable-variables';
import { type DepthNetOptions, depthNet } from './depth-net';

const TINY = {
  inputShape: [32, 64, 3] as const,
  encoderWidths: [4, 4, 8, 8, 8],
  decoderWidths: [4, 4, 4, 8, 8],
};

/** The parameter count of the formula in depthNet's TSDoc. */
function expectedParams(
  channels: number,
  enc: number[],
  dec: number[],
  scales: number,
  heads: number,
  residual: boolean,
): number {
  let total = 0;
  enc.forEach((w, k) => {
    const c = k === 0 ? channels : enc[k - 1]!;
    total += 9 * c * w + 9 * w * w + 8 * w + (residual ? c * w + 4 * w : 0);
  });
  for (let i = dec.length - 1; i >= 0; i--) {
    const d = dec[i]!;
    const cin = i === dec.length - 1 ? enc[enc.length - 1]! : dec[i + 1]!;
    const skip = i > 0 ? enc[i - 1]! : 0;
    total += 9 * cin * d + d + 9 * (d + skip) * d + d;
    if (i < scales) total += 9 * d * heads + heads;
  }
  return total;
}

async function weightValues(model: tfl.LayersModel): Promise<Float32Array[]> {
  return Promise.all(model.weights.map(async (w) => (await w.read().data()) as Float32Array));
}

async function range(xs: tf.Tensor[]): Promise<[number, number]> {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) {
    for (const v of await x.data()) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return [lo, hi];
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'genoise-depth-net-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('depthNet', () => {
  it('outputs sigmoid disparities at full, 1/2, 1/4 and 1/8 size, finest first', async () => {
    const net = depthNet({ ...TINY, key: createKey(0) });
    expect(net.outputNames).toEqual([
      'depth_net_disp0',
      'depth_net_disp1',
      'depth_net_disp2',
      'depth_net_disp3',
    ]);
    const x = uniform(createKey(1), [2, 32, 64, 3]);
    const outs = net.predict(x) as tf.Tensor[];
    expect(outs.map((o) => o.shape)).toEqual([
      [2, 32, 64, 1],
      [2, 16, 32, 1],
      [2, 8, 16, 1],
      [2, 4, 8, 1],
    ]);
    const [lo, hi] = await range(outs);
    expect(lo).toBeGreaterThan(0);
    expect(hi).toBeLessThan(1);
    expect(hi - lo).toBeGreaterThan(1e-3); // not constant
    tf.dispose([x, ...outs]);
    net.dispose();
  });

  it("'left-right' gives two channels per scale; minDisparity/maxDisparity rescale the sigmoid", async () => {
    const key = createKey(2);
    const x = uniform(createKey(3), [1, 32, 64, 3]);
    const stereo = depthNet({ ...TINY, outputs: 'left-right', maxDisparity: 0.3, scales: 3, key });
    const plain = depthNet({ ...TINY, outputs: 'left-right', scales: 3, key });
    const outs = stereo.predict(x) as tf.Tensor[];
    expect(outs.map((o) => o.shape)).toEqual([
      [1, 32, 64, 2],
      [1, 16, 32, 2],
      [1, 8, 16, 2],
    ]);
    const sigmoid = plain.predict(x) as tf.Tensor[];
    for (let s = 0; s < 3; s++) await expectTensorClose(outs[s]!, tf.mul(sigmoid[s]!, 0.3));
    const [lo, hi] = await range(outs);
    expect(lo).toBeGreaterThan(0);
    expect(hi).toBeLessThan(0.3);
    const single = depthNet({ ...TINY, scales: 1, minDisparity: 0.01, maxDisparity: 10, key });
    const y = single.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 32, 64, 1]);
    const [lo1, hi1] = await range([y]);
    expect(lo1).toBeGreaterThan(0.01);
    expect(hi1).toBeLessThan(10);
    tf.dispose([x, y, ...outs, ...sigmoid]);
    for (const m of [stereo, plain, single]) m.dispose();
  });

  it('has the parameter count of its formula (hand count 165 for the smallest net)', () => {
    const key = createKey(0);
    const smallest = depthNet({
      inputShape: [2, 2, 1],
      encoderWidths: [2],
      decoderWidths: [2],
      scales: 1,
      key,
    });
    // encoder 9*1*2 + 8 + 9*2*2 + 8 = 70; decoder (9*2*2 + 2) * 2 = 76; head 9*2 + 1 = 19
    expect(smallest.countParams()).toBe(165);
    smallest.dispose();
    const cases: { options: Partial<DepthNetOptions>; heads: number }[] = [
      { options: {}, heads: 1 },
      { options: { encoder: 'residual' }, heads: 1 },
      { options: { outputs: 'left-right', scales: 2 }, heads: 2 },
    ];
    for (const { options, heads } of cases) {
      const net = depthNet({ ...TINY, ...options, key });
      expect(net.countParams()).toBe(
        expectedParams(
          3,
          TINY.encoderWidths,
          TINY.decoderWidths,
          options.scales ?? 4,
          heads,
          options.encoder === 'residual',
        ),
      );
      net.dispose();
    }
    const defaults = depthNet({ inputShape: [64, 192, 3], key });
    expect(defaults.countParams()).toBe(
      expectedParams(3, [16, 32, 64, 96, 128], [16, 24, 32, 64, 96], 4, 1, false),
    );
    defaults.dispose();
  });

  it('draws its weights from the key: the same on cpu and wasm, another key others', async () => {
    const build = (seed: number) => depthNet({ ...TINY, key: createKey(seed) });
    const [a, b, c] = [build(5), build(5), build(6)];
    const [wa, wb, wc] = await Promise.all([a, b, c].map(weightValues));
    expect(wb).toEqual(wa);
    expect(wc?.[0]).not.toEqual(wa?.[0]);
    const here = testBackend();
    const other = here === 'cpu' ? 'wasm' : 'cpu';
    await initBackend({ prefer: other });
    try {
      const d = build(5);
      expect(await weightValues(d)).toEqual(wa);
      d.dispose();
    } finally {
      await initBackend({ prefer: here });
    }
    for (const m of [a, b, c]) m.dispose();
  });

  it('round-trips through saveModel/loadModel with identical outputs (stereo, scaled heads)', async () => {
    const net = depthNet({
      ...TINY,
      encoder: 'residual',
      outputs: 'left-right',
      maxDisparity: 0.3,
      key: createKey(7),
    });
    const x = uniform(createKey(8), [2, 32, 64, 3]);
    tf.tidy(() => {
      net.apply(x, { training: true });
    }); // moves the BN statistics
    const folder = join(root, 'depth');
    const manifest = await saveModel(net, folder);
    expect(manifest.architecture).toMatchObject({
      name: 'depthNet',
      options: { outputs: 'left-right', maxDisparity: 0.3 },
    });
    const { model } = await loadModel(folder);
    const a = net.predict(x) as tf.Tensor[];
    const b = model.predict(x) as tf.Tensor[];
    expect(model.outputNames).toEqual(net.outputNames);
    for (let s = 0; s < 4; s++) await expectTensorClose(b[s]!, a[s]!, { rtol: 0, atol: 0 });
    tf.dispose([x, ...a, ...b]);
    net.dispose();
    model.dispose();
  });

  it('trains: one SGD step through model.apply(x, { training: true }) has finite gradients and lowers the loss', async () => {
    const net = depthNet({ ...TINY, key: createKey(9) });
    const x = uniform(createKey(10), [2, 32, 64, 3]);
    const vars = trainableVariables(net);
    // Push every scale towards disparity 0.25.
    const loss = () =>
      tf.addN(
        (net.apply(x, { training: true }) as tf.Tensor[]).map((d) => tf.mean(tf.square(tf.sub(d, 0.25)))),
      ) as tf.Scalar;
    const { value, grads } = tf.variableGrads(loss, vars);
    const before = (await value.data())[0]!;
    let norm = 0;
    for (const g of Object.values(grads)) {
      for (const v of await g.data()) {
        expect(Number.isFinite(v)).toBe(true);
        norm += v * v;
      }
    }
    expect(Object.keys(grads).length).toBe(vars.length);
    expect(norm).toBeGreaterThan(0);
    tf.tidy(() => tf.train.sgd(0.5).applyGradients(grads));
    const after = tf.tidy(loss);
    expect((await after.data())[0]!).toBeLessThan(before);
    tf.dispose([x, value, after, ...Object.values(grads)]);
    net.dispose();
  });

  it('runs forward passes without leaking tensors', async () => {
    const net = depthNet({ ...TINY, key: createKey(0) });
    const x = uniform(createKey(1), [1, 32, 64, 3]);
    await expectNoLeaks(() => net.predict(x));
    await expectNoLeaks(() => tf.tidy(() => net.apply(x, { training: true }) as tf.Tensor[]));
    x.dispose();
    net.dispose();
  });

  it('names the option at fault', () => {
    const key = createKey(0);
    expect(() => depthNet({ ...TINY, inputShape: [30, 64, 3], key })).toThrow(
      "depthNet: 'inputShape' is [30,64,3] but H and W must be divisible by 2^5 = 32 (one halving per encoder level); try [32, 64, 3].",
    );
    expect(() =>
      depthNet({ ...TINY, inputShape: [32, 64, 3], encoderWidths: [4, 4, 4, 4, 4, 4], key }),
    ).toThrow("depthNet: 'decoderWidths' is [4,4,4,8,8] but expected 6 widths, one per encoder level.");
    expect(() => depthNet({ ...TINY, scales: 6, key })).toThrow(
      "depthNet: 'scales' is 6 but expected an integer in [1, 5].",
    );
    expect(() => depthNet({ ...TINY, outputs: 'right' as never, key })).toThrow(
      `depthNet: 'outputs' is 'right' but expected 'left' or 'left-right'.`,
    );
    expect(() => depthNet({ ...TINY, minDisparity: 0.5, maxDisparity: 0.5, key })).toThrow(
      "depthNet: 'maxDisparity' is 0.5 but expected a finite number > 0.5.",
    );
    expect(() => depthNet({ ...TINY, encoder: 'vgg' as never, key })).toThrow(ArgumentError);
    expect(() => depthNet({ ...TINY } as never)).toThrow("depthNet: 'key' is undefined");
    expect(() => depthNet(undefined as never)).toThrow(ArgumentError);
  });
});
