import * as tf from '@tensorflow/tfjs-core';
import { ArgumentError } from '../errors/errors';

/**
 * Wraps `fn` as a public op: every call runs in a tidy scope named `name` (intermediates are freed,
 * returned tensors are kept and owned by the caller), a Promise-returning body is refused, and errors
 * thrown by `fn` (shape checks, typed errors) pass through unchanged with `name` as the wrapper's
 * function name, so the stack reads `at ssimLoss (...)`.
 *
 * @param name - the op's public name, used for the tidy scope, the profiler and stack frames
 * @param fn - a synchronous function of tensors and options returning a tensor container
 * @returns a function with the same signature
 * @throws ArgumentError when `fn` returns a Promise (detected on the first such call)
 * @example
 * ```ts
 * export const squaredNorm = defineOp('squaredNorm', (x: tf.Tensor) => x.square().sum(-1));
 * ```
 */
export function defineOp<Args extends unknown[], Out extends tf.TensorContainer>(
  name: string,
  fn: (...args: Args) => Out,
): (...args: Args) => Out {
  if (typeof name !== 'string' || name.length === 0) {
    throw new ArgumentError({
      op: 'defineOp',
      argument: 'name',
      expected: 'a non-empty string',
      actual: String(name),
    });
  }
  if (typeof fn !== 'function') {
    throw new ArgumentError({ op: 'defineOp', argument: 'fn', expected: 'a function', actual: typeof fn });
  }
  if (fn.constructor?.name === 'AsyncFunction') {
    throw new ArgumentError({
      op: 'defineOp',
      argument: 'fn',
      message: `defineOp: '${name}' is an async function; ops must be synchronous (read data outside the op with await t.data()).`,
    });
  }
  const wrapped = {
    [name]: (...args: Args): Out =>
      tf.tidy(name, () => {
        const out = fn(...args);
        if (
          out !== null &&
          typeof out === 'object' &&
          typeof (out as { then?: unknown }).then === 'function'
        ) {
          throw new ArgumentError({
            op: name,
            message: `defineOp: '${name}' returned a Promise; ops must be synchronous (read data outside the op with await t.data()).`,
          });
        }
        return out;
      }),
  }[name]!;
  return wrapped;
}
