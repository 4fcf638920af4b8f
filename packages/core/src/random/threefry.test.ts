import { describe, expect, it } from 'vitest';
import { threefry2x32 } from './threefry';

// Known-answer vectors of Threefry-2x32-20 from the Random123 distribution (kat_vectors), also used
// by JAX's test_threefry_2x32.
describe('threefry2x32', () => {
  it('matches the Random123 known-answer vectors', () => {
    expect(threefry2x32(0, 0, 0, 0)).toEqual([0x6b200159, 0x99ba4efe]);
    expect(threefry2x32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff)).toEqual([0x1cb996fc, 0xbb002be7]);
    expect(threefry2x32(0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3)).toEqual([0xc4923a9c, 0x483df7a0]);
  });
});
