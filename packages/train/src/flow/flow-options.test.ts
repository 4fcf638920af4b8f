import { ArgumentError } from '@genoise/core';
import { describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../config/train-config';

const unflowAt = (method: Record<string, unknown>) =>
  resolveTrainConfig({ method: { name: 'unflow', ...method } } as never);

describe('checkUnflow: every weighted loss output fits its stencils', () => {
  it('rejects a census patch larger than its output, naming the level weight', () => {
    // 32x32 with 4 levels: the outputs are 32, 8 (level 2), 4 (level 3) and 2 px (level 4) per side. The
    // level-3 output (index 2) has radius 2, a 5x5 patch on a 4x4 map.
    let error: unknown;
    try {
      unflowAt({ height: 32, width: 32 });
    } catch (caught) {
      error = caught;
    }
    expect(ArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("'method.levelWeights[2]' is 3.9");
    expect((error as Error).message).toContain('census patch needs 5');
  });

  it('accepts the same size once those outputs weigh 0, and the 64x64 defaults', () => {
    expect(() => unflowAt({ height: 32, width: 32, levelWeights: [12.7, 4.35, 0, 0] })).not.toThrow();
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
