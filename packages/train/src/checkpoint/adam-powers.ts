import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs 4.22's `AdamOptimizer.setWeights` recomputes `beta^(t+1)` with `pow`, while training multiplies
 * it step by step in float32; the two differ in the last bit, enough to break a bit-exact resume. This
 * sets them to the float32 running products an uninterrupted run would hold.
 */
export function exactAdamPowers(optimizer: tf.Optimizer, step: number): void {
  const adam = optimizer as unknown as {
    beta1?: number;
    beta2?: number;
    accBeta1?: tf.Variable;
    accBeta2?: tf.Variable;
  };
  if (adam.beta1 === undefined || adam.beta2 === undefined || !adam.accBeta1 || !adam.accBeta2) return;
  let acc1 = Math.fround(adam.beta1);
  let acc2 = Math.fround(adam.beta2);
  for (let i = 0; i < step; i++) {
    acc1 = Math.fround(acc1 * Math.fround(adam.beta1));
    acc2 = Math.fround(acc2 * Math.fround(adam.beta2));
  }
  tf.tidy(() => {
    adam.accBeta1!.assign(tf.scalar(acc1));
    adam.accBeta2!.assign(tf.scalar(acc2));
  });
}
