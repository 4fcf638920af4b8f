import { expectNoLeaks } from '@genoise/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError } from '../errors/errors';
import { defineOp } from './define-op';

describe('defineOp', () => {
  const sumOfSquares = defineOp('sumOfSquares', (x: tf.Tensor) => {
    const squared = x.square(); // intermediate: must be freed
    return squared.sum(-1);
  });

  it('computes and frees intermediates (no leaks), keeping the output', async () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    await expectNoLeaks(() => sumOfSquares(x));
    const y = sumOfSquares(x);
    expect(Array.from(await y.data())).toEqual([5, 25]);
    tf.dispose([x, y]);
  });

  it('handles containers of outputs', async () => {
    const split = defineOp('split2', (x: tf.Tensor) => ({ a: x.add(1), b: [x.mul(2)] }));
    const x = tf.tensor1d([1, 2]);
    const n = await expectNoLeaks(() => split(x));
    expect(n).toBe(2);
    x.dispose();
  });

  it('names the wrapper after the op, for readable stacks', () => {
    expect(sumOfSquares.name).toBe('sumOfSquares');
    const failing = defineOp('failingOp', (): tf.Tensor => {
      throw new ShapeError({ op: 'failingOp', argument: 'x', expected: '[B]', actual: '[]' });
    });
    let error: Error | undefined;
    try {
      failing();
    } catch (e) {
      error = e as Error;
    }
    expect(ShapeError.isInstance(error)).toBe(true);
    expect(error?.stack).toContain('failingOp');
  });

  it('frees intermediates when the body throws', async () => {
    const throwing = defineOp('throwing', (x: tf.Tensor): tf.Tensor => {
      x.add(1);
      throw new Error('boom');
    });
    const x = tf.scalar(1);
    await expectNoLeaks(() => {
      expect(() => throwing(x)).toThrow('boom');
    });
    x.dispose();
  });

  it('refuses async bodies and Promise results', () => {
    expect(() => defineOp('asyncOp', (async (x: tf.Tensor) => x) as never)).toThrow(
      "defineOp: 'asyncOp' is an async function; ops must be synchronous",
    );
    const sneaky = defineOp('sneaky', (x: tf.Tensor) => Promise.resolve(x) as unknown as tf.Tensor);
    const x = tf.scalar(1);
    expect(() => sneaky(x)).toThrow(ArgumentError);
    expect(() => sneaky(x)).toThrow("defineOp: 'sneaky' returned a Promise");
    x.dispose();
    expect(() => defineOp('', (x: tf.Tensor) => x)).toThrow(ArgumentError);
  });
});
