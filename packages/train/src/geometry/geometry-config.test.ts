import { describe, expect, it } from 'vitest';
import { defaultGeometryConfig, GEOMETRY_METHOD_NAMES, resolveGeometryConfig } from './geometry-config';

describe('geometry config', () => {
  it('uses the papers loss weights per recipe', () => {
    expect(GEOMETRY_METHOD_NAMES).toEqual(['stereo', 'monodepth2', 'sfmlearner']);
    const stereo = defaultGeometryConfig('stereo');
    expect([stereo.alpha, stereo.smoothness, stereo.lrWeight, stereo.consistency]).toEqual([
      0.85,
      0.1,
      1,
      'lr',
    ]);
    expect(stereo.maxDisparity).toBe(0.3);
    const mono = defaultGeometryConfig('monodepth2');
    expect([mono.smoothness, mono.minDepth, mono.maxDepth, mono.scales]).toEqual([1e-3, 0.1, 100, 4]);
    expect(defaultGeometryConfig('sfmlearner').smoothness).toBe(1e-3);
  });

  it('merges overrides one level deep and validates them', () => {
    const config = resolveGeometryConfig({
      method: 'monodepth2',
      steps: 7,
      depthNet: { encoderWidths: [8, 8, 8, 8, 8] },
    });
    expect(config.steps).toBe(7);
    expect(config.depthNet.decoderWidths).toEqual(defaultGeometryConfig('monodepth2').depthNet.decoderWidths);
    expect(() => resolveGeometryConfig({ height: 70 })).toThrow(
      "resolveGeometryConfig: 'height' is 70 but expected a multiple of 32.",
    );
    expect(() => resolveGeometryConfig({ consistency: 'both' as never })).toThrow("'consistency'");
    expect(() => resolveGeometryConfig({ batch: 3 } as never)).toThrow("'batch'");
    expect(() => resolveGeometryConfig({ method: 'dino' as never })).toThrow(
      'stereo | monodepth2 | sfmlearner',
    );
  });
});
