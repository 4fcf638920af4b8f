import { ArgumentError } from '@genoise/core';
import { describe, expect, it } from 'vitest';
import { checkPyramidRun, checkSyntheticPool, positiveIntegers } from './pyramid-options';

const net = { levels: 4, finestLevel: 2, maxDisplacement: 4, widths: [8, 8, 8, 8], estimatorWidths: [8] };
const size = { height: 64, width: 128 };

/** The ArgumentError `run` throws, or undefined. */
function errorOf(run: () => void): ArgumentError | undefined {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ArgumentError);
    return e as ArgumentError;
  }
  return undefined;
}

describe('pyramid run options', () => {
  it('accepts a valid network and input, and names the offending field under its own prefix', () => {
    expect(errorOf(() => checkPyramidRun(size, net, 'flowNet'))).toBeUndefined();
    expect(errorOf(() => checkPyramidRun(size, { ...net, levels: 7 }, 'network'))?.message).toContain(
      'method.network.levels',
    );
    expect(errorOf(() => checkPyramidRun(size, { ...net, finestLevel: 5 }, 'flowNet'))?.message).toContain(
      'method.flowNet.finestLevel',
    );
    expect(errorOf(() => checkPyramidRun(size, { ...net, widths: [8, 8, 8] }, 'flowNet'))?.message).toContain(
      'method.flowNet.widths',
    );
    // 2^4 = 16 must divide both sides.
    expect(errorOf(() => checkPyramidRun({ height: 72, width: 128 }, net, 'flowNet'))?.message).toContain(
      'method.height',
    );
  });

  it('checks lists of positive integers and the synthetic pool bounds', () => {
    expect(errorOf(() => positiveIntegers([1, 2], 'x'))).toBeUndefined();
    expect(errorOf(() => positiveIntegers([], 'x'))?.message).toContain('x');
    expect(errorOf(() => positiveIntegers([1, 0.5], 'x'))?.message).toContain('x');
    expect(errorOf(() => checkSyntheticPool({ poolSize: 0, samples: 8, movingObjects: 8 }))).toBeUndefined();
    expect(
      errorOf(() => checkSyntheticPool({ poolSize: -1, samples: 2, movingObjects: 0 }))?.message,
    ).toContain('method.poolSize');
    expect(
      errorOf(() => checkSyntheticPool({ poolSize: 4, samples: 9, movingObjects: 0 }))?.message,
    ).toContain('method.samples');
    expect(
      errorOf(() => checkSyntheticPool({ poolSize: 4, samples: 2, movingObjects: 9 }))?.message,
    ).toContain('method.movingObjects');
  });
});
