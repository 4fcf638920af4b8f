import { expectNoLeaks } from '@genoise/vitest';
import { describe, expect, it } from 'vitest';
import { imageBatch, renderCache, toBytes } from './image-pool';

describe('image pool', () => {
  it('keeps images as bytes and returns them as a float batch within half a byte step', async () => {
    const a = Float32Array.from({ length: 2 * 3 * 3 }, (_, i) => i / 17);
    const b = Float32Array.from({ length: 2 * 3 * 3 }, (_, i) => 1.2 - i / 9); // clamps to [0, 1]
    await expectNoLeaks(async () => {
      const batch = imageBatch([toBytes(a), toBytes(b)], 2, 3);
      expect(batch.shape).toEqual([2, 2, 3, 3]);
      const values = await batch.data();
      batch.dispose();
      for (const [k, image] of [a, b].entries())
        for (const [i, v] of image.entries())
          expect(Math.abs(values[k * 18 + i]! - Math.min(1, Math.max(0, v)))).toBeLessThanOrEqual(
            0.5 / 255 + 1e-7,
          );
    });
  });

  it('renders each index of a pool once, and keeps only the last 4 batches of a stream', () => {
    const rendered: number[] = [];
    const record = (i: number) => {
      rendered.push(i);
      return i * 10;
    };
    const pool = renderCache(record, { poolSize: 8, batchSize: 2 });
    for (const i of [0, 1, 2, 0, 1, 7, 2]) expect(pool(i)).toBe(i * 10);
    expect(rendered).toEqual([0, 1, 2, 7]);
    rendered.length = 0;
    const stream = renderCache(record, { poolSize: 0, batchSize: 1 });
    for (const i of [0, 1, 2, 3, 4, 0, 4]) stream(i);
    // Index 0 was evicted when 4 arrived (keep = 4 · batchSize = 4); 4 is still cached.
    expect(rendered).toEqual([0, 1, 2, 3, 4, 0]);
  });
});
