import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../errors/errors';
import {
  checkBoolean,
  checkInteger,
  checkNumber,
  checkOneOf,
  checkOptions,
  describeValue,
} from './check-values';

/** Runs `fn`, returns the error it throws (failing if it does not). */
function thrown(fn: () => unknown): ArgumentError {
  try {
    fn();
  } catch (e) {
    if (ArgumentError.isInstance(e)) return e;
    throw e;
  }
  throw new Error('expected a throw');
}

describe('describeValue', () => {
  it('names values briefly', () => {
    const t = tf.zeros([2, 3]);
    expect(
      [0, Number.NaN, 'left', true, undefined, null, [8, 0], new Float32Array(3), t, () => 1, {}, 5n].map(
        describeValue,
      ),
    ).toEqual([
      '0',
      'NaN',
      "'left'",
      'true',
      'undefined',
      'null',
      '[8,0]',
      'Float32Array(3)',
      'a tensor of shape [2,3]',
      'a function',
      'Object',
      '5n',
    ]);
    expect(describeValue([1, 2, 3, 4, 5, 6, 7])).toBe('[1,2,3,4,5,6,…]');
    t.dispose();
  });
});

describe('checkInteger', () => {
  it('accepts integers within the bounds', () => {
    expect(() => checkInteger(3, { op: 'op', arg: 'k', min: 1, max: 3 })).not.toThrow();
    expect(() => checkInteger(-7, { op: 'op', arg: 'k' })).not.toThrow();
  });

  it('words each kind of bound one way, with the error fields set', () => {
    const e = thrown(() => checkInteger(200, { op: 'weightedKnn', arg: 'k', min: 1, max: 19 }));
    expect(e.message).toBe("weightedKnn: 'k' is 200 but expected an integer in [1, 19].");
    expect([e.op, e.argument, e.expected, e.actual]).toEqual([
      'weightedKnn',
      'k',
      'an integer in [1, 19]',
      '200',
    ]);
    expect(() => checkInteger(0, { op: 'op', arg: 'size', min: 1 })).toThrow(
      "op: 'size' is 0 but expected an integer >= 1.",
    );
    expect(() => checkInteger(9, { op: 'op', arg: 'n', max: 8 })).toThrow(
      "op: 'n' is 9 but expected an integer <= 8.",
    );
    expect(() => checkInteger(2.5, { op: 'op', arg: 'n' })).toThrow(
      "op: 'n' is 2.5 but expected an integer.",
    );
    expect(() => checkInteger('8', { op: 'op', arg: 'n', min: 1, max: 9 })).toThrow(
      "op: 'n' is '8' but expected an integer in [1, 9].",
    );
    expect(() => checkInteger(Number.POSITIVE_INFINITY, { op: 'op', arg: 'n' })).toThrow(
      "op: 'n' is Infinity but expected an integer.",
    );
  });
});

describe('checkNumber', () => {
  it('accepts finite numbers within the bounds, open or closed', () => {
    expect(() => checkNumber(0, { op: 'op', arg: 'x', min: 0, max: 1 })).not.toThrow();
    expect(() => checkNumber(1, { op: 'op', arg: 'x', min: 0, max: 1 })).not.toThrow();
    expect(() => checkNumber(-1e30, { op: 'op', arg: 'x' })).not.toThrow();
  });

  it('rejects what is out of bounds or not finite', () => {
    expect(() => checkNumber(0, { op: 'ntXent', arg: 'temperature', min: 0, exclusiveMin: true })).toThrow(
      "ntXent: 'temperature' is 0 but expected a finite number > 0.",
    );
    expect(() => checkNumber(-0.1, { op: 'op', arg: 'std', min: 0 })).toThrow(
      "op: 'std' is -0.1 but expected a finite number >= 0.",
    );
    expect(() => checkNumber(1.5, { op: 'op', arg: 't', min: 0, max: 1 })).toThrow(
      "op: 't' is 1.5 but expected a finite number >= 0 and <= 1.",
    );
    expect(() => checkNumber(1, { op: 'op', arg: 't', min: 0, max: 1, exclusiveMax: true })).toThrow(
      "op: 't' is 1 but expected a finite number >= 0 and < 1.",
    );
    expect(() => checkNumber(Number.NaN, { op: 'op', arg: 'loss' })).toThrow(
      "op: 'loss' is NaN but expected a finite number.",
    );
    expect(() => checkNumber(undefined, { op: 'op', arg: 'x', max: 2 })).toThrow(
      "op: 'x' is undefined but expected a finite number <= 2.",
    );
  });
});

describe('checkBoolean', () => {
  it('accepts true and false only', () => {
    expect(() => checkBoolean(false, { op: 'op', arg: 'flag' })).not.toThrow();
    expect(() => checkBoolean('yes', { op: 'infoNCE', arg: 'normalize' })).toThrow(
      "infoNCE: 'normalize' is 'yes' but expected true or false.",
    );
    expect(() => checkBoolean(1, { op: 'op', arg: 'flag' })).toThrow(
      "op: 'flag' is 1 but expected true or false.",
    );
  });
});

describe('checkOneOf', () => {
  it('lists the alternatives', () => {
    expect(() => checkOneOf('sum', ['mean', 'sum'], { op: 'op', arg: 'reduction' })).not.toThrow();
    expect(() => checkOneOf('max', ['mean', 'sum', 'none'], { op: 'ntXent', arg: 'reduction' })).toThrow(
      "ntXent: 'reduction' is 'max' but expected 'mean', 'sum' or 'none'.",
    );
    expect(() => checkOneOf('left', ['toLeft', 'toRight'], { op: 'op', arg: 'direction' })).toThrow(
      "op: 'direction' is 'left' but expected 'toLeft' or 'toRight'.",
    );
    expect(() => checkOneOf(3, [1, 2], { op: 'op', arg: 'n' })).toThrow("op: 'n' is 3 but expected 1 or 2.");
  });
});

describe('checkOptions', () => {
  it('reads undefined as {} and returns a plain object unchanged', () => {
    expect(checkOptions(undefined, ['a'], { op: 'op' })).toEqual({});
    const options = { a: 1 };
    expect(checkOptions(options, ['a', 'b'], { op: 'op' })).toBe(options);
    expect(checkOptions(Object.create(null) as object, [], { op: 'op' })).toEqual({});
  });

  it('rejects what is not a plain object', () => {
    expect(() => checkOptions(null as unknown as object, ['a'], { op: 'op' })).toThrow(
      "op: 'options' is null but expected an options object.",
    );
    expect(() => checkOptions([1] as unknown as object, ['a'], { op: 'op' })).toThrow(
      "op: 'options' is an array but expected an options object.",
    );
    expect(() => checkOptions(3 as unknown as object, ['a'], { op: 'op', arg: 'config' })).toThrow(
      "op: 'config' is 3 but expected an options object.",
    );
    expect(() => checkOptions(new Map() as unknown as object, ['a'], { op: 'op' })).toThrow(
      "op: 'options' is Map (not a plain object) but expected an options object.",
    );
  });

  it('rejects an unknown key, naming the allowed ones', () => {
    const e = thrown(() =>
      checkOptions({ windowsize: 7 } as object, ['windowSize', 'c1', 'c2'], { op: 'ssim' }),
    );
    expect(e.message).toBe(
      "ssim: 'options' has an unknown key 'windowsize'; the allowed keys are 'windowSize', 'c1' and 'c2'.",
    );
    expect([e.op, e.argument, e.actual]).toEqual(['ssim', 'options', "'windowsize'"]);
    expect(() => checkOptions({ a: 1 } as object, [], { op: 'op' })).toThrow(
      "op: 'options' has an unknown key 'a'; it takes no options.",
    );
  });
});
