import { createKey } from '@genoise/core';
import { testBackend } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { resnet18 } from './resnet18';

/**
 * ResNet-18 parameters by formula: convolutions k*k*c_in*c_out without bias, and per BN channel
 * 2 trainable (gamma, beta) + 2 moving statistics.
 */
function expectedParams(
  channels: number,
  m: number,
  smallStem: boolean,
): { total: number; trainable: number } {
  let total = 0;
  let trainable = 0;
  const conv = (k: number, cin: number, cout: number) => {
    total += k * k * cin * cout + 4 * cout;
    trainable += k * k * cin * cout + 2 * cout;
  };
  const widths = [64, 128, 256, 512].map((w) => Math.max(1, Math.round(w * m)));
  conv(smallStem ? 3 : 7, channels, widths[0]!);
  let previous = widths[0]!;
  widths.forEach((w, stage) => {
    for (let block = 0; block < 2; block++) {
      const stride = stage > 0 && block === 0 ? 2 : 1;
      conv(3, previous, w);
      conv(3, w, w);
      if (stride !== 1 || previous !== w) conv(1, previous, w);
      previous = w;
    }
  });
  return { total, trainable };
}

const trainableCount = (model: tfl.LayersModel): number =>
  model.trainableWeights.reduce((sum, w) => sum + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);

describe('resnet18', () => {
  it('maps [B, H, W, 3] to [B, 512 m] with the parameter count of its formula (width 0.25, both stems)', async () => {
    for (const smallImageStem of [true, false]) {
      const model = resnet18({
        inputShape: [32, 32, 3],
        widthMultiplier: 0.25,
        smallImageStem,
        key: createKey(0),
      });
      const expected = expectedParams(3, 0.25, smallImageStem);
      expect(model.countParams()).toBe(expected.total);
      expect(trainableCount(model)).toBe(expected.trainable);
      expect(model.outputs[0]!.shape).toEqual([null, 128]);
      model.dispose();
    }
    // A forward pass: tiny on cpu (slow convolutions), CIFAR-sized on wasm.
    const size = testBackend() === 'cpu' ? 8 : 32;
    const model = resnet18({ inputShape: [size, size, 3], widthMultiplier: 0.25, key: createKey(1) });
    const x = tf.ones([2, size, size, 3]);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 128]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('has the published CIFAR ResNet-18 size at width 1: 11,168,832 trainable parameters', () => {
    // torchvision-style CIFAR ResNet-18 has 11,173,962 parameters with a 10-way classifier (512 * 10 + 10).
    const model = resnet18({ inputShape: [32, 32, 3], key: createKey(0) });
    expect(trainableCount(model)).toBe(11_173_962 - (512 * 10 + 10));
    expect(model.countParams()).toBe(expectedParams(3, 1, true).total);
    model.dispose();
  });

  it('names the option at fault', () => {
    expect(() => resnet18({ inputShape: [32, 32, 3], widthMultiplier: 0, key: createKey(0) })).toThrow(
      "resnet18: 'widthMultiplier' is 0 but expected a finite number > 0 and <= 64.",
    );
    expect(() =>
      resnet18({ inputShape: [32, 32, 3], smallImageStem: 'yes' as never, key: createKey(0) }),
    ).toThrow("resnet18: 'smallImageStem' is 'yes' but expected true or false.");
  });
});
