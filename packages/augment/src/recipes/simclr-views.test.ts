import { describe, expect, it } from 'vitest';
import { key } from '../../test/helpers';
import { simclrViews } from './simclr-views';

/** The stage names and options a recipe view resolves to, read from its sampled params. */
const stageNames = (params: readonly unknown[]) =>
  params.map((p) =>
    Object.keys(p as object)
      .sort()
      .join(','),
  );

describe('simclrViews', () => {
  it('imagenet: crop, flip, jitter (s = 1), grayscale, blur; both views the same pipeline', () => {
    const recipe = simclrViews({ size: 96 });
    expect(recipe.name).toBe('simclr');
    expect(recipe.views[0]).toBe(recipe.views[1]);
    const params = recipe.views[0].sample(key(1), 400, { height: 128, width: 128, channels: 3 }) as readonly {
      applied: Uint8Array;
    }[];
    expect(params).toHaveLength(5);
    const rate = (i: number) => params[i]!.applied.reduce((a, v) => a + v, 0) / 400;
    expect(rate(0)).toBe(1); // crop always
    expect(Math.abs(rate(1) - 0.5)).toBeLessThan(0.08); // flip 0.5
    expect(Math.abs(rate(2) - 0.8)).toBeLessThan(0.07); // jitter 0.8
    expect(Math.abs(rate(3) - 0.2)).toBeLessThan(0.07); // grayscale 0.2
    expect(Math.abs(rate(4) - 0.5)).toBeLessThan(0.08); // blur 0.5
    const jitter = params[2] as unknown as { brightness: Float32Array; hue: Float32Array };
    expect(Math.min(...jitter.brightness)).toBeGreaterThanOrEqual(0.2 - 1e-6); // 1 - 0.8
    expect(Math.max(...jitter.brightness)).toBeLessThanOrEqual(1.8);
    expect(Math.max(...jitter.hue.map(Math.abs))).toBeLessThanOrEqual(0.2);
    const blur = params[4] as unknown as { kernelSize: number; sigma: Float32Array };
    expect(blur.kernelSize).toBe(9); // 96 // 10 = 9, radius 4
    expect(Math.min(...blur.sigma)).toBeGreaterThanOrEqual(0.1);
  });

  it('small: s = 0.5 and no blur; the crop scale can be overridden', () => {
    const recipe = simclrViews({ size: 28, preset: 'small', scale: [0.3, 1] });
    const params = recipe.views[0].sample(key(2), 200, {
      height: 28,
      width: 28,
      channels: 1,
    }) as readonly unknown[];
    expect(stageNames(params)).toHaveLength(4);
    const jitter = params[2] as { brightness: Float32Array; hue: Float32Array };
    expect(Math.min(...jitter.brightness)).toBeGreaterThanOrEqual(0.6 - 1e-6);
    expect(Math.max(...jitter.brightness)).toBeLessThanOrEqual(1.4);
    expect(Math.max(...jitter.hue.map(Math.abs))).toBeLessThanOrEqual(0.1);
    const crop = params[0] as { height: Int32Array; width: Int32Array };
    for (let b = 0; b < 200; b++)
      expect((crop.height[b]! + 1) * (crop.width[b]! + 1)).toBeGreaterThanOrEqual(0.3 * 784);
  });

  it('flip: false never mirrors (digits are not mirror-invariant); every recipe takes it', async () => {
    const { byolViews } = await import('./byol-views');
    const { mocoV2Views } = await import('./moco-v2-views');
    // [recipe, index of the flip stage in its pipeline]
    for (const [recipe, at] of [
      [simclrViews({ size: 28, preset: 'small', flip: false }), 1],
      [byolViews({ size: 28, preset: 'small', flip: false }), 1],
      [mocoV2Views({ size: 28, preset: 'small', flip: false }), 3],
    ] as const) {
      for (const view of recipe.views) {
        const params = view.sample(key(3), 300, { height: 28, width: 28, channels: 1 }) as readonly {
          applied: Uint8Array;
        }[];
        expect(params[at]!.applied.reduce((a, v) => a + v, 0)).toBe(0);
      }
      const flipping = (
        recipe.name === 'simclr' ? simclrViews : recipe.name === 'byol' ? byolViews : mocoV2Views
      )({
        size: 28,
        preset: 'small',
      });
      const params = flipping.views[0].sample(key(3), 300, {
        height: 28,
        width: 28,
        channels: 1,
      }) as readonly {
        applied: Uint8Array;
      }[];
      expect(params[at]!.applied.reduce((a, v) => a + v, 0)).toBeGreaterThan(100); // the default flips
    }
    expect(() => simclrViews({ size: 28, flip: 'no' as never })).toThrow(
      `simclrViews: 'flip' is 'no' but expected true or false.`,
    );
  });

  it('validates its options', () => {
    expect(() => simclrViews({ size: 0 })).toThrow("simclrViews: 'size' is 0 but expected an integer >= 1.");
    expect(() => simclrViews({ size: 32, preset: 'tiny' as never })).toThrow(
      "simclrViews: 'preset' is 'tiny' but expected 'imagenet' or 'small'.",
    );
    expect(() => simclrViews({ size: 32, scale: [0.5, 0.2] })).toThrow(
      /randomResizedCrop: 'scale' is \[0.5,0.2\]/,
    );
  });
});
