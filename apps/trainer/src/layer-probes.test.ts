import { describe, expect, it } from 'vitest';
import { formatLayerTable, type LayerProbeResult, layerChartSvg, layerTableHtml } from './layer-probes';

const results: LayerProbeResult[] = [
  {
    name: 'pretrained',
    layers: [
      { name: 'stage1', dim: 2048, trainAccuracy: 0.9, testAccuracy: 0.8 },
      { name: 'stage2', dim: 1024, trainAccuracy: 0.95, testAccuracy: 0.85 },
      { name: 'pooled', dim: 64, trainAccuracy: 0.8, testAccuracy: 0.75 },
    ],
  },
  { name: 'raw pixels', layers: [{ name: 'pixels', dim: 784, trainAccuracy: 0.85, testAccuracy: 0.8 }] },
];

describe('the layer-wise table and figure', () => {
  it('puts one row per representation and one column per layer, "-" where a layer is absent', () => {
    const lines = formatLayerTable(results).split('\n');
    expect(lines[0]).toMatch(/linear probe by layer\s+stage1\s+stage2\s+pooled\s+pixels/);
    expect(lines[2]).toMatch(/pretrained\s+80\.0%\s+85\.0%\s+75\.0%\s+-/);
    expect(lines[3]).toMatch(/raw pixels\s+-\s+-\s+-\s+80\.0%/);
    expect(layerTableHtml(results)).toContain('stage2 (1024)');
  });

  it('draws a line through the layers of each multi-layer representation and a level line for raw pixels', () => {
    const svg = layerChartSvg(results);
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(1);
    expect(svg).toContain('>stage2<');
  });
});
