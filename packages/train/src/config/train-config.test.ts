import { ArgumentError } from '@genoise/core';
import { describe, expect, it } from 'vitest';
import {
  defaultTrainConfig,
  resolveTrainConfig,
  runIdentity,
  SHARED_DEFAULTS,
  stepsOf,
  type TrainConfig,
} from './train-config';

const errorOf = (f: () => unknown): ArgumentError => {
  try {
    f();
  } catch (error) {
    expect(ArgumentError.isInstance(error)).toBe(true);
    return error as ArgumentError;
  }
  throw new Error('expected an ArgumentError');
};

describe('defaultTrainConfig', () => {
  it('has per-method defaults (REFERENCES.md, tuned for 28x28 at a short budget)', () => {
    expect(defaultTrainConfig('simclr').method['temperature']).toBe(0.2);
    expect(defaultTrainConfig('moco').method['temperature']).toBe(0.2);
    expect(defaultTrainConfig('moco').method['queueSize']).toBe(4096);
    expect(defaultTrainConfig('byol').method['baseMomentum']).toBe(0.99);
    expect(defaultTrainConfig('byol').learningRate).toBe(2e-3);
    expect(defaultTrainConfig('simclr').learningRate).toBe(3e-3);
    expect(defaultTrainConfig('barlow-twins').method['lambda']).toBe(5e-3);
    expect(defaultTrainConfig('vicreg').method).toMatchObject({
      invariance: 25,
      variance: 25,
      covariance: 1,
    });
    expect(defaultTrainConfig('stereo').method).toMatchObject({ consistency: 'lr', smoothness: 0.1 });
    expect(defaultTrainConfig('monodepth2').method).toMatchObject({ smoothness: 1e-3, minDepth: 0.1 });
    // Each method's budget and batch size; the loop's shared defaults for the rest.
    const budgets = Object.fromEntries(
      ['simclr', 'moco', 'byol', 'stereo', 'monodepth2', 'sfmlearner'].map((n) => {
        const c = defaultTrainConfig(n);
        return [n, [c.steps, c.batchSize]];
      }),
    );
    expect(budgets).toEqual({
      simclr: [1200, 256],
      moco: [1000, 256],
      byol: [800, 256],
      stereo: [400, 4],
      monodepth2: [500, 4],
      sfmlearner: [500, 4],
    });
    expect(defaultTrainConfig('simclr').logEvery).toBe(SHARED_DEFAULTS.logEvery);
  });

  it('defaults to simclr, and names the method in `method.name`', () => {
    expect(defaultTrainConfig().method.name).toBe('simclr');
    expect(resolveTrainConfig().method.name).toBe('simclr');
    expect(resolveTrainConfig({ method: { name: 'byol' } }).method.name).toBe('byol');
  });

  it('returns a fresh object each time (a caller may not mutate the registry through it)', () => {
    const a = defaultTrainConfig('moco') as { method: Record<string, unknown> };
    a.method['queueSize'] = 1;
    expect(defaultTrainConfig('moco').method['queueSize']).toBe(4096);
  });
});

describe('resolveTrainConfig', () => {
  it('merges nested method options field by field and replaces arrays', () => {
    const c = resolveTrainConfig({ epochs: 3, method: { name: 'moco', queueSize: 512 } });
    expect(c.epochs).toBe(3);
    expect(c.method).toMatchObject({ name: 'moco', queueSize: 512, momentum: 0.99, temperature: 0.2 });

    const d = resolveTrainConfig({
      method: { name: 'simclr', projection: { outputDim: 32 }, encoder: { widths: [8] } },
    });
    expect(d.method['projection']).toEqual({ hiddenDim: 256, outputDim: 32 });
    // The array is replaced, not merged index by index; the encoder's other fields stay.
    expect(d.method['encoder']).toEqual({ name: 'small-convnet', widths: [8], downsampling: 'strideOnly' });
    expect(defaultTrainConfig('simclr').method['projection']).toEqual({ hiddenDim: 256, outputDim: 64 });
  });

  it('trains for `epochs` when given without `steps`, and keeps `steps` when both are given', () => {
    expect(defaultTrainConfig('simclr').steps).toBe(1200);
    expect(resolveTrainConfig({ epochs: 3 }).steps).toBeUndefined();
    expect(resolveTrainConfig({ epochs: 3, steps: 7 }).steps).toBe(7);
    expect(resolveTrainConfig({ method: { name: 'stereo' }, epochs: 2 }).steps).toBeUndefined();
    expect(resolveTrainConfig({ batchSize: 8 }).steps).toBe(1200);
  });

  it('names the invalid shared field', () => {
    expect(() => resolveTrainConfig({ batchSize: 0 })).toThrow(
      "resolveTrainConfig: 'batchSize' is 0 but expected an integer >= 1.",
    );
    expect(() => resolveTrainConfig({ steps: 1.5 })).toThrow("'steps' is 1.5 but expected an integer >= 1");
    expect(() => resolveTrainConfig({ learningRate: -1 })).toThrow(
      "resolveTrainConfig: 'learningRate' is -1 but expected a finite number > 0.",
    );
    expect(() => resolveTrainConfig({ schedule: 'linear' as never })).toThrow(
      "resolveTrainConfig: 'schedule' is 'linear' but expected 'cosine' or 'step'.",
    );
    expect(() => resolveTrainConfig({ warmupFraction: 1 })).toThrow("'warmupFraction' is 1");
    expect(errorOf(() => resolveTrainConfig({ seed: -1 })).argument).toBe('seed');
  });

  it('names the invalid method option as `method.<field>`', () => {
    expect(() => resolveTrainConfig({ method: { name: 'moco', queueSize: 0 } })).toThrow(
      "resolveTrainConfig: 'method.queueSize' is 0 but expected an integer >= 1.",
    );
    expect(() => resolveTrainConfig({ method: { name: 'simclr', temperature: 0 } })).toThrow(
      "resolveTrainConfig: 'method.temperature' is 0",
    );
    expect(() => resolveTrainConfig({ method: { name: 'byol', baseMomentum: 1 } })).toThrow(
      "resolveTrainConfig: 'method.baseMomentum' is 1 but expected a finite number >= 0 and < 1.",
    );
    expect(() =>
      resolveTrainConfig({ method: { name: 'simclr', views: { cropScale: [0.9, 0.2] } } }),
    ).toThrow(
      "resolveTrainConfig: 'method.views.cropScale' is [0.9,0.2] but expected [min, max] with 0 < min <= max <= 1.",
    );
    expect(() => resolveTrainConfig({ method: { name: 'vicreg', covariance: -1 } })).toThrow(
      "'method.covariance' is -1",
    );
    expect(() => resolveTrainConfig({ method: { name: 'stereo', height: 48 } })).toThrow(
      "resolveTrainConfig: 'method.height' is 48 but expected a multiple of 32.",
    );
    expect(() => resolveTrainConfig({ method: { name: 'stereo', consistency: 'both' } })).toThrow(
      `resolveTrainConfig: 'method.consistency' is "both" but expected 'naive' | 'no-lr' | 'lr'.`,
    );
    expect(() =>
      resolveTrainConfig({ method: { name: 'monodepth2', depthNet: { encoderWidths: [8, 8] } } }),
    ).toThrow("'method.depthNet.encoderWidths' is [8,8] but expected 5 positive integers");
    expect(() => resolveTrainConfig({ batchSize: 1 })).toThrow("'batchSize' is 1 but expected at least 2");
  });

  it('rejects unknown fields, at the top and inside the method (another method’s options too)', () => {
    expect(() => resolveTrainConfig({ colour: 1 } as never)).toThrow(
      "resolveTrainConfig: 'colour' is an unknown field but expected one of seed, steps,",
    );
    expect(() => resolveTrainConfig({ method: { name: 'moco', temprature: 0.1 } })).toThrow(
      "resolveTrainConfig: 'method.temprature' is an unknown field",
    );
    expect(() => resolveTrainConfig({ method: { name: 'simclr', queueSize: 64 } })).toThrow(
      "'method.queueSize' is an unknown field",
    );
    expect(() =>
      resolveTrainConfig({ method: { name: 'simclr', projection: { width: 3 } } } as never),
    ).toThrow("'method.projection.width' is an unknown field but expected one of hiddenDim, outputDim.");
    expect(() => resolveTrainConfig([] as never)).toThrow("'overrides' is [] but expected an object");
  });

  it('names the registered methods for an unknown one', () => {
    const error = errorOf(() => resolveTrainConfig({ method: { name: 'dino' } }));
    expect(error.argument).toBe('method.name');
    expect(error.message).toBe(
      `resolveTrainConfig: 'method.name' is "dino" but expected simclr | moco | byol | simsiam | barlow-twins | vicreg | rotation | jigsaw | relative-location | inpainting | colorization | dae | stereo | monodepth2 | sfmlearner | unflow | sceneflow.`,
    );
  });
});

describe('stepsOf', () => {
  it('counts steps, dropping the last partial batch', () => {
    const c = resolveTrainConfig({ batchSize: 100, epochs: 2 });
    expect(stepsOf(c, 1050)).toEqual({ stepsPerEpoch: 10, totalSteps: 20 });
    expect(stepsOf(resolveTrainConfig({ batchSize: 100, steps: 7 }), 1050)).toEqual({
      stepsPerEpoch: 10,
      totalSteps: 7,
    });
    expect(stepsOf(c, 100)).toEqual({ stepsPerEpoch: 1, totalSteps: 2 });
    expect(() => stepsOf(c, 50)).toThrow(
      "fit: 'batchSize' is 100 but expected at most the dataset size (50).",
    );
  });

  it('gives an endless stream one epoch of `steps`, and needs `steps` for it', () => {
    expect(stepsOf({ steps: 9, epochs: 1, batchSize: 4 }, undefined)).toEqual({
      stepsPerEpoch: 9,
      totalSteps: 9,
    });
    expect(() => stepsOf({ steps: undefined, epochs: 2, batchSize: 4 }, undefined, 'train')).toThrow(
      "train: the data is an endless stream, so the config needs 'steps' (it has only 'epochs').",
    );
  });
});

describe('runIdentity', () => {
  const base = resolveTrainConfig({ method: { name: 'moco' } });
  const id = (c: TrainConfig) => runIdentity(c);

  it('ignores the budget, schedule and cadence (a resume may change them)', () => {
    expect(
      id(resolveTrainConfig({ method: { name: 'moco' }, steps: 5, learningRate: 1e-4, logEvery: 7 })),
    ).toBe(id(base));
  });

  it('changes with the method, seed, batch size and architecture', () => {
    const others = [
      resolveTrainConfig({ method: { name: 'simclr' } }),
      resolveTrainConfig({ method: { name: 'moco' }, seed: 1 }),
      resolveTrainConfig({ method: { name: 'moco' }, batchSize: 128 }),
      resolveTrainConfig({ method: { name: 'moco', queueSize: 1024 } }),
      resolveTrainConfig({ method: { name: 'moco', projection: { outputDim: 32 } } }),
      resolveTrainConfig({ method: { name: 'moco', encoder: { widths: [8, 16] } } }),
    ];
    const ids = new Set([id(base), ...others.map(id)]);
    expect(ids.size).toBe(others.length + 1);
  });
});
