import { describe, expect, it } from 'vitest';
import { formatRepresentationTable, lineChartSvg, reportHtml, scatterSvg } from './report';

describe('report', () => {
  const rows = [
    { name: 'pretrained (simclr)', featureDim: 128, knnTop1: 0.8123, linearTop1: 0.8456 },
    { name: 'raw pixels', featureDim: 784, knnTop1: 0.85, linearTop1: undefined },
  ];

  it('aligns the table', () => {
    expect(formatRepresentationTable(rows).split('\n')).toEqual([
      'representation       dim  kNN top-1  linear top-1',
      '-------------------  ---  ---------  ------------',
      'pretrained (simclr)  128      81.2%         84.6%',
      'raw pixels           784      85.0%             —',
    ]);
  });

  it('draws a polyline through every point, scaled into the box', () => {
    const svg = lineChartSvg(
      [
        [0, 2],
        [1, 1],
        [2, 0],
      ],
      { width: 100, height: 100 },
    );
    // pad 40: x maps [0,2] -> [40,60], y maps [0,2] -> [60,40].
    expect(svg).toContain('d="M40.0,40.0L50.0,50.0L60.0,60.0"');
  });

  it('colours scatter points by class and escapes names', () => {
    const svg = scatterSvg(Float32Array.of(0, 0, 1, 1), [0, 1], ['<a>', 'b']);
    expect(svg.match(/<circle/g)).toHaveLength(2);
    expect(svg).toContain('fill="#1f77b4"');
    expect(svg).toContain('fill="#ff7f0e"');
    expect(svg).toContain('&lt;a&gt;');
    const html = reportHtml({
      title: '<t>',
      summary: ['s'],
      sections: [{ heading: 'Embeddings', html: svg }],
    });
    expect(html).toContain('<h1>&lt;t&gt;</h1>');
    expect(html).toContain('<h2>Embeddings</h2><svg');
  });
});
