import { expectNoLeaks, expectTensorClose } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError } from '../errors/errors';
import { asBatch, checkImages, fromUint8, grayscale, toUint8 } from './image';

describe('images', () => {
  it('fromUint8 maps bytes to [0, 1] and toUint8 maps back exactly', async () => {
    const bytes = Uint8Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => (i * 37) % 256);
    const x = fromUint8(bytes, [2, 2, 2, 3]);
    await expectTensorClose(
      x,
      Float32Array.from(bytes, (b) => b / 255),
    );
    const back = toUint8(x);
    expect(Array.from(await back.data())).toEqual(Array.from(bytes));
    tf.dispose([x, back]);
  });

  it('toUint8 clips and rounds', async () => {
    const x = tf.tensor4d([-0.5, 0.002, 0.5, 1.7], [1, 2, 2, 1]);
    const y = toUint8(x);
    expect(Array.from(await y.data())).toEqual([0, 1, 128, 255]);
    await expectNoLeaks(() => toUint8(x));
    tf.dispose([x, y]);
  });

  it('fromUint8 checks the shape against the data length', () => {
    expect(() => fromUint8(new Uint8Array(10), [1, 2, 2, 3])).toThrow(ShapeError);
    expect(() => fromUint8(new Uint8Array(12))).toThrow(
      "fromUint8: 'shape' is undefined but expected [B,H,W,C] with B*H*W*C = 12.",
    );
  });

  it('grayscale uses the BT.601 weights (hand-computed)', async () => {
    const x = tf.tensor4d([1, 0, 0, 0, 1, 0, 0, 0, 1, 0.5, 0.5, 0.5], [1, 2, 2, 3]);
    await expectTensorClose(grayscale(x), [
      [
        [[0.299], [0.587]],
        [[0.114], [0.5]],
      ],
    ]);
    const kept = grayscale(x, { keepChannels: true });
    expect(kept.shape).toEqual([1, 2, 2, 3]);
    await expectNoLeaks(() => grayscale(x));
    tf.dispose([x, kept]);
  });

  it('checkImages names rank, channel and dtype problems', () => {
    const rank3 = tf.zeros([8, 8, 3]);
    expect(() => checkImages(rank3, { op: 'colorJitter', arg: 'images' })).toThrow(
      "colorJitter: 'images' has shape [8,8,3] (rank 3) but expected [B,H,W,C] (rank 4). Images are batched [B,H,W,C]; add a batch dimension with asBatch(image) or image.expandDims(0).",
    );
    const four = tf.zeros([1, 8, 8, 4]);
    expect(() => checkImages(four, { op: 'grayscale', arg: 'images', channels: [3] })).toThrow(
      "grayscale: 'images' has 4 channels (shape [1,8,8,4]) but expected 3.",
    );
    const ints = tf.zeros([1, 8, 8, 3], 'int32');
    expect(() => checkImages(ints, { op: 'grayscale', arg: 'images' })).toThrow(DTypeError);
    tf.dispose([rank3, four, ints]);
  });

  it('asBatch adds the batch dimension', () => {
    const x = tf.zeros([4, 5, 3]);
    const b = asBatch(x);
    expect(b.shape).toEqual([1, 4, 5, 3]);
    tf.dispose([x, b]);
  });
});
