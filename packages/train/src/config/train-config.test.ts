import { ArgumentError } from '@genoise/core';
import { describe, expect, it } from 'vitest';
import { defaultTrainConfig, resolveTrainConfig, stepsOf } from './train-config';

describe('train config', () => {
  it('has per-method defaults (REFERENCES.md, tuned for 28x28 at a short budget)', () => {
    expect(defaultTrainConfig('simclr').temperature).toBe(0.2);
    expect(defaultTrainConfig('moco').temperature).toBe(0.2);
    expect(defaultTrainConfig('byol').byol.baseMomentum).toBe(0.99);
  });

  it('merges nested overrides one level deep', () => {
    const c = resolveTrainConfig({ method: 'moco', epochs: 3, moco: { queueSize: 512 } });
    expect(c.method).toBe('moco');
    expect(c.epochs).toBe(3);
    expect(c.moco).toEqual({ queueSize: 512, momentum: 0.99 });
  });

  it('names the invalid field', () => {
    expect(() => resolveTrainConfig({ batchSize: 0 })).toThrow(
      "resolveTrainConfig: 'batchSize' is 0 but expected a positive integer.",
    );
    expect(() => resolveTrainConfig({ views: { cropScale: [0.9, 0.2] } })).toThrow(ArgumentError);
    expect(() => resolveTrainConfig({ method: 'dino' as never })).toThrow(ArgumentError);
    expect(() => resolveTrainConfig({ colour: 1 } as never)).toThrow(
      "resolveTrainConfig: 'colour' is an unknown field",
    );
  });

  it('counts steps, dropping the last partial batch', () => {
    const c = resolveTrainConfig({ batchSize: 100, epochs: 2 });
    expect(stepsOf(c, 1050)).toEqual({ stepsPerEpoch: 10, totalSteps: 20 });
    expect(stepsOf(resolveTrainConfig({ batchSize: 100, steps: 7 }), 1050).totalSteps).toBe(7);
    expect(() => stepsOf(c, 50)).toThrow(ArgumentError);
  });
});
