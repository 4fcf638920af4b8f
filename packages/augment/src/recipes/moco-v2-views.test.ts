import { describe, expect, it } from 'vitest';
import { key } from '../../test/helpers';
import { mocoV2Views } from './moco-v2-views';

describe('mocoV2Views', () => {
  it('crops with min scale 0.2, jitters 0.4/0.4/0.4/0.1, blurs with p 0.5 and flips last', () => {
    const recipe = mocoV2Views({ size: 48 });
    expect(recipe.name).toBe('mocoV2');
    expect(recipe.views[0]).toBe(recipe.views[1]);
    const params = recipe.views[0].sample(key(1), 300, { height: 48, width: 48, channels: 3 }) as readonly {
      applied: Uint8Array;
    }[];
    expect(params).toHaveLength(5);
    const crop = params[0] as unknown as { height: Int32Array; width: Int32Array };
    for (let b = 0; b < 300; b++)
      expect((crop.height[b]! + 1) * (crop.width[b]! + 1)).toBeGreaterThanOrEqual(0.2 * 48 * 48);
    const jitter = params[1] as unknown as { saturation: Float32Array };
    expect(Math.min(...jitter.saturation)).toBeGreaterThanOrEqual(0.6 - 1e-6);
    expect(Object.keys(params[4]!)).toEqual(['applied']); // the flip
    expect(
      mocoV2Views({ size: 32, preset: 'small' }).views[0].sample(key(1), 2, {
        height: 32,
        width: 32,
        channels: 3,
      }),
    ).toHaveLength(4);
  });
});
