import { describe, expect, it } from 'vitest';
import { key } from '../../test/helpers';
import { byolViews } from './byol-views';

describe('byolViews', () => {
  it('view 1 blurs always and never solarizes; view 2 blurs with p 0.1 and solarizes with p 0.2', () => {
    const recipe = byolViews({ size: 64 });
    expect(recipe.name).toBe('byol');
    const size = { height: 80, width: 80, channels: 3 };
    const one = recipe.views[0].sample(key(1), 500, size) as readonly { applied: Uint8Array }[];
    const two = recipe.views[1].sample(key(1), 500, size) as readonly { applied: Uint8Array }[];
    const rate = (p: { applied: Uint8Array }) => p.applied.reduce((a, v) => a + v, 0) / 500;
    expect(one).toHaveLength(5);
    expect(two).toHaveLength(6);
    expect(rate(one[4]!)).toBe(1);
    expect(Math.abs(rate(two[4]!) - 0.1)).toBeLessThan(0.05);
    expect(Math.abs(rate(two[5]!) - 0.2)).toBeLessThan(0.06);
    const jitter = one[2] as unknown as { saturation: Float32Array; hue: Float32Array };
    expect(Math.max(...jitter.saturation)).toBeLessThanOrEqual(1.2); // saturation 0.2
    expect(Math.max(...jitter.hue.map(Math.abs))).toBeLessThanOrEqual(0.1);
  });

  it("small drops the blur and keeps view 2's solarization", () => {
    const recipe = byolViews({ size: 32, preset: 'small', scale: [0.2, 1] });
    expect(recipe.views[0].sample(key(2), 4, { height: 32, width: 32, channels: 3 })).toHaveLength(4);
    expect(recipe.views[1].sample(key(2), 4, { height: 32, width: 32, channels: 3 })).toHaveLength(5);
  });
});
