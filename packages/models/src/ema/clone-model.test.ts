import { createKey, normal } from '@genoise/core';
import { expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { smallConvNet } from '../encoders/small-conv-net';
import { cloneModel } from './clone-model';

describe('cloneModel', () => {
  it('copies architecture and every weight; the copy then evolves independently', async () => {
    const online = smallConvNet({ inputShape: [8, 8, 1], widths: [4, 8], key: createKey(3) });
    tf.tidy(() => {
      online.apply(normal(createKey(4), [4, 8, 8, 1]), { training: true });
    }); // moves BN statistics
    const target = await cloneModel(online);
    expect(target.countParams()).toBe(online.countParams());
    expect(target.layers.map((l) => l.getClassName())).toEqual(online.layers.map((l) => l.getClassName()));
    const x = normal(createKey(5), [2, 8, 8, 1]);
    const [a, b] = [online.predict(x) as tf.Tensor, target.predict(x) as tf.Tensor];
    await expectTensorClose(b, a, { rtol: 0, atol: 0 });
    // Changing the online model leaves the copy alone.
    const before = await target.weights[0]!.read().data();
    online.weights[0]!.write(tf.zerosLike(online.weights[0]!.read()));
    expect(await target.weights[0]!.read().data()).toEqual(before);
    await expect(cloneModel({} as never)).rejects.toThrow(
      "cloneModel: 'model' is [object Object] but expected a tf.LayersModel.",
    );
    tf.dispose([x, a, b]);
    online.dispose();
    target.dispose();
  });
});
