import { describe, expect, it } from 'vitest';
import { ArgumentError, BackendError, DTypeError, GenoiseError, ShapeError } from './errors';

describe('typed errors', () => {
  it('carry op, argument, expected and actual and render them as one sentence', () => {
    const e = new ShapeError({ op: 'ssim', argument: 'x', expected: '[B,H,W,C]', actual: '[32,32,3]' });
    expect(e.message).toBe("ssim: 'x' is [32,32,3] but expected [B,H,W,C].");
    expect(e).toMatchObject({
      name: 'ShapeError',
      op: 'ssim',
      argument: 'x',
      expected: '[B,H,W,C]',
      actual: '[32,32,3]',
    });
    expect(e).toBeInstanceOf(Error);
  });

  it('keep an explicit message', () => {
    expect(new ArgumentError({ op: 'ntXent', argument: 'temperature', message: 'custom.' }).message).toBe(
      'custom.',
    );
  });

  it('isInstance tells the kinds apart and works across copies (Symbol.for marker)', () => {
    const errors = [
      new ShapeError({ op: 'a' }),
      new DTypeError({ op: 'a' }),
      new ArgumentError({ op: 'a' }),
      new BackendError({ op: 'a' }),
    ];
    const checks = [
      ShapeError.isInstance,
      DTypeError.isInstance,
      ArgumentError.isInstance,
      BackendError.isInstance,
    ];
    errors.forEach((e, i) => {
      expect(GenoiseError.isInstance(e)).toBe(true);
      checks.forEach((check, j) => {
        expect(check(e)).toBe(i === j);
      });
    });
    // A look-alike made by "another copy": same global symbols, different class.
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('genoise.error')]: true,
      [Symbol.for('genoise.error.kind')]: 'ShapeError',
    });
    expect(ShapeError.isInstance(foreign)).toBe(true);
    expect(GenoiseError.isInstance(new Error('plain'))).toBe(false);
    expect(GenoiseError.isInstance(null)).toBe(false);
  });
});
