// The studio's compact Fashion-MNIST subset: one little-endian binary file the browser reads with one fetch.
//   bytes 0-3   magic "GFM1"
//   bytes 4-7   uint32 train count N
//   bytes 8-11  uint32 test count M
//   bytes 12-15 uint32 image side (28)
//   then N*784 train pixels, N train labels, M*784 test pixels, M test labels (all uint8)
// src/lib/fashion-data.ts parses it; test/fashion-data.test.ts checks the round trip.

export const MAGIC = 'GFM1';
export const HEADER_BYTES = 16;

/**
 * @param {{ train: { pixels: Uint8Array, labels: Uint8Array }, test: { pixels: Uint8Array, labels: Uint8Array }, side: number }} subset
 * @returns {Uint8Array}
 */
export function encodeFashionSubset({ train, test, side }) {
  const pixelsPerImage = side * side;
  const n = train.labels.length;
  const m = test.labels.length;
  if (train.pixels.length !== n * pixelsPerImage || test.pixels.length !== m * pixelsPerImage)
    throw new Error('encodeFashionSubset: pixel counts do not match the label counts');
  const out = new Uint8Array(HEADER_BYTES + (n + m) * (pixelsPerImage + 1));
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = MAGIC.charCodeAt(i);
  view.setUint32(4, n, true);
  view.setUint32(8, m, true);
  view.setUint32(12, side, true);
  let at = HEADER_BYTES;
  for (const part of [train.pixels, train.labels, test.pixels, test.labels]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
