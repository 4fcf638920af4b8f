import { ArgumentError, createKey, initBackend } from '@genoise/core';
import { expectNoLeaks, testBackend } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { smallConvNet } from './small-conv-net';

/** Conv kernels 9 * c_in * c_out; BN 4 per channel (gamma, beta, moving mean, moving variance) or a bias. */
function expectedParams(channels: number, widths: number[], stride: boolean, batchNorm: boolean): number {
  let total = 0;
  let previous = channels;
  const perChannel = batchNorm ? 4 : 1;
  for (const w of widths) {
    total += 9 * previous * w + perChannel * w;
    if (stride) total += 9 * w * w + perChannel * w;
    previous = w;
  }
  return total;
}

async function weightValues(model: tfl.LayersModel): Promise<Float32Array[]> {
  return Promise.all(model.weights.map(async (w) => (await w.read().data()) as Float32Array));
}

describe('smallConvNet', () => {
  it('maps [B, H, W, C] to [B, last width] with the parameter count of its formula', async () => {
    const key = createKey(0);
    const model = smallConvNet({ inputShape: [8, 8, 1], key });
    expect(model.countParams()).toBe(expectedParams(1, [32, 64, 128], false, true));
    const x = tf.zeros([4, 8, 8, 1]);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([4, 128]);
    tf.dispose([x, y]);
    const variants = [
      { widths: [8, 16], downsampling: 'stride' as const, batchNorm: true },
      { widths: [8, 16, 24], downsampling: 'maxPool' as const, batchNorm: false },
      { widths: [4], downsampling: 'stride' as const, batchNorm: false },
    ];
    for (const v of variants) {
      const m = smallConvNet({ inputShape: [8, 8, 3], key, ...v });
      expect(m.countParams()).toBe(expectedParams(3, v.widths, v.downsampling === 'stride', v.batchNorm));
      expect(m.outputs[0]!.shape).toEqual([null, v.widths[v.widths.length - 1]]);
      m.dispose();
    }
    model.dispose();
  });

  it("'strideOnly' halves the resolution with each stage's own conv (stride 2): 28 -> 14 -> 7 -> 4", () => {
    const m = smallConvNet({
      inputShape: [28, 28, 1],
      widths: [4, 8, 16],
      downsampling: 'strideOnly',
      key: createKey(3),
    });
    expect(m.countParams()).toBe(expectedParams(1, [4, 8, 16], false, true));
    const convs = m.layers.filter((l) => l.getClassName() === 'Conv2D');
    expect(convs.map((l) => l.outputShape)).toEqual([
      [null, 14, 14, 4],
      [null, 7, 7, 8],
      [null, 4, 4, 16],
    ]);
    expect(m.layers.some((l) => l.getClassName() === 'MaxPooling2D')).toBe(false);
    m.dispose();
  });

  it('is deterministic: the same key gives the same weights, another key others', async () => {
    const a = smallConvNet({ inputShape: [8, 8, 1], widths: [4, 8], key: createKey(7) });
    const b = smallConvNet({ inputShape: [8, 8, 1], widths: [4, 8], key: createKey(7) });
    const c = smallConvNet({ inputShape: [8, 8, 1], widths: [4, 8], key: createKey(8) });
    const [wa, wb, wc] = await Promise.all([a, b, c].map(weightValues));
    expect(wb).toEqual(wa);
    expect(wc?.[0]).not.toEqual(wa?.[0]);
    for (const m of [a, b, c]) m.dispose();
  });

  it('gives bit-identical weights on cpu and wasm for the same key', async () => {
    const here = testBackend();
    const other = here === 'cpu' ? 'wasm' : 'cpu';
    const build = () => smallConvNet({ inputShape: [8, 8, 1], widths: [4, 8], key: createKey(11) });
    const first = build();
    const onThis = await weightValues(first);
    await initBackend({ prefer: other });
    try {
      const second = build();
      expect(tf.getBackend()).toBe(other);
      expect(await weightValues(second)).toEqual(onThis);
      second.dispose();
    } finally {
      await initBackend({ prefer: here });
    }
    first.dispose();
  });

  it('runs a forward pass without leaking tensors', async () => {
    const model = smallConvNet({ inputShape: [8, 8, 1], widths: [4, 8], key: createKey(0) });
    const x = tf.ones([2, 8, 8, 1]);
    await expectNoLeaks(() => model.predict(x));
    await expectNoLeaks(() => tf.tidy(() => model.apply(x, { training: true }) as tf.Tensor));
    x.dispose();
    model.dispose();
  });

  it('names the option at fault', () => {
    const key = createKey(0);
    expect(() => smallConvNet({ inputShape: [28, 28] as unknown as [number, number, number], key })).toThrow(
      "smallConvNet: 'inputShape' is [28,28] but expected 3 positive integers.",
    );
    expect(() => smallConvNet({ inputShape: [28, 28, 1], widths: [], key })).toThrow(
      "smallConvNet: 'widths' is [] but expected a non-empty array of positive integers.",
    );
    expect(() =>
      smallConvNet({ inputShape: [28, 28, 1], downsampling: 'avg' as unknown as 'stride', key }),
    ).toThrow(`smallConvNet: 'downsampling' is 'avg' but expected 'maxPool', 'stride' or 'strideOnly'.`);
    expect(() => smallConvNet({ inputShape: [28, 28, 1] } as never)).toThrow(ArgumentError);
    expect(() => smallConvNet({ inputShape: [28, 28, 1] } as never)).toThrow(
      "smallConvNet: 'key' is undefined",
    );
  });
});
