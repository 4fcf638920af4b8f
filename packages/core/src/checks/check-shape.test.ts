import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError } from '../errors/errors';
import { checkDType, checkShape, checkTensor, shapeBindings } from './check-shape';

describe('checkShape', () => {
  it('binds symbols and returns their sizes', () => {
    const x = tf.zeros([2, 32, 16, 3]);
    const dims = checkShape(x, ['B', 'H', 'W', 3], { op: 'op', arg: 'x' });
    expect([dims.get('B'), dims.get('H'), dims.get('W')]).toEqual([2, 32, 16]);
    x.dispose();
  });

  it('names the rank mismatch and appends the hint', () => {
    const x = tf.zeros([32, 32, 3]);
    expect(() =>
      checkShape(x, ['B', 'H', 'W', 'C'], { op: 'ssim', arg: 'x', hint: 'Add a batch dimension.' }),
    ).toThrow(
      "ssim: 'x' has shape [32,32,3] (rank 3) but expected [B,H,W,C] (rank 4). Add a batch dimension.",
    );
    x.dispose();
  });

  it('rejects a wrong exact size', () => {
    const x = tf.zeros([2, 4, 4, 4]);
    expect(() => checkShape(x, ['B', 'H', 'W', 3], { op: 'colorJitter', arg: 'images' })).toThrow(
      "colorJitter: 'images' has shape [2,4,4,4] but expected [B,H,W,3].",
    );
    x.dispose();
  });

  it('makes symbols agree across the arguments of one call (the STYLE.md message)', () => {
    const x = tf.zeros([2, 32, 32, 3]);
    const y = tf.zeros([2, 64, 64, 3]);
    const dims = shapeBindings();
    checkShape(x, ['B', 'H', 'W', 'C'], { op: 'ssim', arg: 'x', bindings: dims });
    let error: unknown;
    try {
      checkShape(y, ['B', 'H', 'W', 'C'], { op: 'ssim', arg: 'y', bindings: dims });
    } catch (e) {
      error = e;
    }
    expect(ShapeError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      "ssim: 'y' has shape [2,64,64,3] but 'x' has [2,32,32,3]; both must be [B,H,W,C] with equal sizes.",
    );
    expect(error).toMatchObject({ op: 'ssim', argument: 'y' });
    tf.dispose([x, y]);
  });

  it('names the symbol when the specs differ', () => {
    const image = tf.zeros([2, 8, 8, 3]);
    const depth = tf.zeros([3, 8, 8, 1]);
    const dims = shapeBindings();
    checkShape(image, ['B', 'H', 'W', 3], { op: 'inverseWarp', arg: 'source', bindings: dims });
    expect(() =>
      checkShape(depth, ['B', 'H', 'W', 1], { op: 'inverseWarp', arg: 'depth', bindings: dims }),
    ).toThrow(
      "inverseWarp: 'depth' has shape [3,8,8,1] but 'source' has [2,8,8,3]; 'B' must be the same size in both (2 vs 3).",
    );
    tf.dispose([image, depth]);
  });

  it('checks a symbol repeated within one argument', () => {
    const k = tf.zeros([1, 3, 4]);
    expect(() => checkShape(k, ['B', 'N', 'N'], { op: 'invertIntrinsics', arg: 'K' })).toThrow(
      "invertIntrinsics: 'K' has shape [1,3,4] but expected [B,N,N], where both 'N' sizes must be equal.",
    );
    k.dispose();
  });

  it('accepts null as any size', () => {
    const x = tf.zeros([5, 7]);
    expect(checkShape(x, [null, 7], { op: 'op', arg: 'x' }).get('B')).toBeUndefined();
    x.dispose();
  });

  it('rejects non-tensors and disposed tensors', () => {
    expect(() => checkTensor([1, 2], { op: 'ntXent', arg: 'z' })).toThrow(
      "ntXent: 'z' is an array but expected a tf.Tensor.",
    );
    expect(() => checkShape(3, ['B'], { op: 'op', arg: 'x' })).toThrow(
      "op: 'x' is a number but expected a tf.Tensor.",
    );
    const x = tf.zeros([1]);
    x.dispose();
    expect(() => checkTensor(x, { op: 'op', arg: 'x' })).toThrow("op: 'x' is a disposed tensor");
  });
});

describe('checkDType', () => {
  it('names the dtype', () => {
    const x = tf.zeros([1, 2, 2, 1], 'int32');
    expect(() => checkDType(x, ['float32'], { op: 'ssim', arg: 'x' })).toThrow(DTypeError);
    expect(() => checkDType(x, ['float32'], { op: 'ssim', arg: 'x' })).toThrow(
      "ssim: 'x' has dtype int32 but expected float32.",
    );
    expect(() => checkDType(x, ['int32', 'float32'], { op: 'ssim', arg: 'x' })).not.toThrow();
    x.dispose();
  });
});
