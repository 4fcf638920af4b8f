import { ArgumentError } from '@genoise/core';
import { describe, expect, it } from 'vitest';
import { parseIntrinsics, scaleIntrinsics } from './parse-intrinsics';

describe('parseIntrinsics', () => {
  it('reads JSON fx/fy/cx/cy with size and baseline, a JSON K matrix, and text with 4 or 9 numbers', () => {
    const a = parseIntrinsics(
      '{"fx": 200, "fy": 210, "cx": 99.5, "cy": 49.5, "width": 200, "height": 100, "baseline": 0.5}',
    );
    expect(Array.from(a.K)).toEqual([200, 0, 99.5, 0, 210, 49.5, 0, 0, 1]);
    expect([a.width, a.height, a.baseline]).toEqual([200, 100, 0.5]);
    const b = parseIntrinsics('{"K": [[700, 0, 600], [0, 710, 180], [0, 0, 1]]}');
    expect(Array.from(b.K)).toEqual([700, 0, 600, 0, 710, 180, 0, 0, 1]);
    expect(b.width).toBeUndefined();
    expect(Array.from(parseIntrinsics('# fx fy cx cy\n200, 210 99.5 49.5\n').K)).toEqual([
      200, 0, 99.5, 0, 210, 49.5, 0, 0, 1,
    ]);
    expect(Array.from(parseIntrinsics('700 0 600\n0 710 180\n0 0 1').K)).toEqual([
      700, 0, 600, 0, 710, 180, 0, 0, 1,
    ]);
  });

  it('fails naming the source for bad files', () => {
    expect(() => parseIntrinsics('1 2 3', 'cam/K.txt')).toThrow(
      'parseIntrinsics: cam/K.txt: expected 4 numbers (fx fy cx cy) or 9 (a 3x3 matrix, row-major), found 3.',
    );
    expect(() => parseIntrinsics('{"fx": 1}', 'a.json')).toThrow(ArgumentError);
    expect(() => parseIntrinsics('-5 0 1\n0 5 1\n0 0 1', 'k')).toThrow(
      /K must be \[fx, s, cx, 0, fy, cy, 0, 0, 1\]/,
    );
    expect(() => parseIntrinsics('{"fx": 1,', 'b.json')).toThrow(/b.json: invalid JSON/);
  });

  it('scales K for a stretched resize with pixel centres at integers', () => {
    // a 200x100 image resized to 100x50: the centre (99.5, 49.5) maps to (49.5, 24.5)
    const K = scaleIntrinsics(Float32Array.of(200, 0, 99.5, 0, 210, 49.5, 0, 0, 1), [100, 200], [50, 100]);
    expect(Array.from(K)).toEqual([100, 0, 49.5, 0, 105, 24.5, 0, 0, 1]);
  });
});
