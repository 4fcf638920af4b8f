import * as tf from '@tensorflow/tfjs-core';

function disposeAll(value: unknown): void {
  if (value instanceof tf.Tensor) value.dispose();
  else if (Array.isArray(value)) value.forEach(disposeAll);
  else if (value !== null && typeof value === 'object') Object.values(value).forEach(disposeAll);
}

/**
 * Runs `fn`, disposes the tensors it returns (a tensor, or arrays/objects of them), and asserts that
 * `tf.memory().numTensors` and the backend's data buffers are back where they were. Returns the number
 * of tensors `fn` returned.
 *
 * @example
 * ```ts
 * await expectNoLeaks(() => ssimLoss(x, y));
 * ```
 */
export async function expectNoLeaks(fn: () => unknown): Promise<number> {
  const before = tf.memory();
  const result = await fn();
  let returned = 0;
  const count = (v: unknown): void => {
    if (v instanceof tf.Tensor) returned++;
    else if (Array.isArray(v)) v.forEach(count);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(count);
  };
  count(result);
  disposeAll(result);
  const after = tf.memory();
  if (after.numTensors !== before.numTensors || after.numDataBuffers !== before.numDataBuffers) {
    throw new Error(
      `expectNoLeaks: ${after.numTensors - before.numTensors} tensors and ${after.numDataBuffers - before.numDataBuffers} ` +
        `data buffers leaked on backend '${tf.getBackend()}' (before ${before.numTensors}/${before.numDataBuffers}, ` +
        `after ${after.numTensors}/${after.numDataBuffers}, ${returned} returned tensors disposed)`,
    );
  }
  return returned;
}
