import { ArgumentError } from '@genoise/core';
import { describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../config/train-config';
import { unflowScheduledWeights } from './flow-options';

const unflowAt = (method: Record<string, unknown>) =>
  resolveTrainConfig({ method: { name: 'unflow', ...method } } as never);

describe('checkUnflow: every weighted loss output fits its stencils', () => {
  it('rejects a census patch larger than its output, naming the level weight', () => {
    // 32x32 with 4 levels: the outputs are 32, 8 (level 2), 4 (level 3) and 2 px (level 4) per side. The
    // level-3 output (index 2) has radius 2, a 5x5 patch on a 4x4 map.
    let error: unknown;
    try {
      unflowAt({ height: 32, width: 32, dataTerm: 'census' });
    } catch (caught) {
      error = caught;
    }
    expect(ArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("'method.levelWeights[2]' is 3.9");
    expect((error as Error).message).toContain('census patch needs 5');
  });

  it('accepts the same size once those outputs weigh 0, and the 64x64 defaults', () => {
    expect(() =>
      unflowAt({ height: 32, width: 32, dataTerm: 'census', levelWeights: [12.7, 4.35, 0, 0] }),
    ).not.toThrow();
    expect(() => unflowAt({})).not.toThrow();
  });

  it('needs 3 px per side for the smoothness with the photometric data term', () => {
    expect(() =>
      unflowAt({ height: 32, width: 32, dataTerm: 'photometric', levelWeights: [1, 1, 1, 0] }),
    ).not.toThrow();
    expect(() =>
      unflowAt({ height: 32, width: 32, dataTerm: 'photometric', levelWeights: [1, 1, 1, 1] }),
    ).toThrow('smoothness needs 3');
  });
});

describe('unflowScheduledWeights', () => {
  const options = { smoothness: 3, consistency: 0.2, occlusionMask: true, regularizerWarmup: 0.4 };
  it('trains the data term alone for the warm-up, then ramps the regularisers over a quarter of it', () => {
    // 100 steps, warm-up 40: off before step 40; at 40 + 5 half-way (the ramp is 10 steps); full from 50.
    expect(unflowScheduledWeights(options, 0, 100)).toEqual({
      smoothness: 0,
      consistency: 0,
      occlusionMask: false,
    });
    expect(unflowScheduledWeights(options, 39, 100)).toEqual({
      smoothness: 0,
      consistency: 0,
      occlusionMask: false,
    });
    expect(unflowScheduledWeights(options, 40, 100)).toEqual({
      smoothness: 0,
      consistency: 0,
      occlusionMask: true,
    });
    const half = unflowScheduledWeights(options, 45, 100);
    expect(half.smoothness).toBeCloseTo(1.5, 12);
    expect(half.consistency).toBeCloseTo(0.1, 12);
    expect(unflowScheduledWeights(options, 50, 100)).toEqual({
      smoothness: 3,
      consistency: 0.2,
      occlusionMask: true,
    });
    expect(unflowScheduledWeights(options, 99, 100)).toEqual({
      smoothness: 3,
      consistency: 0.2,
      occlusionMask: true,
    });
  });

  it('is UnFlow unchanged without a warm-up, and never turns on a mask the options turned off', () => {
    expect(unflowScheduledWeights({ ...options, regularizerWarmup: 0 }, 0, 100)).toEqual({
      smoothness: 3,
      consistency: 0.2,
      occlusionMask: true,
    });
    expect(unflowScheduledWeights({ ...options, occlusionMask: false }, 80, 100).occlusionMask).toBe(false);
  });

  it('rejects a warm-up of the whole run', () => {
    expect(() => unflowAt({ regularizerWarmup: 1 })).toThrow("'method.regularizerWarmup' is 1");
  });
});
