/** `k / 255` in float32 for every byte `k`: the same values as core's `fromUint8`. */
const BYTE_TO_UNIT = (() => {
  const table = new Float32Array(256);
  for (let k = 0; k < 256; k++) table[k] = k / 255;
  return table;
})();

/**
 * Gathers the examples `indices` of `pixels` (`exampleLength` bytes each) into a new Float32Array in
 * [0, 1]. The indices must already be checked.
 */
export function gatherUnitFloats(
  pixels: Uint8Array,
  exampleLength: number,
  indices: ArrayLike<number>,
): Float32Array {
  const out = new Float32Array(indices.length * exampleLength);
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i]! * exampleLength;
    const to = i * exampleLength;
    for (let j = 0; j < exampleLength; j++) out[to + j] = BYTE_TO_UNIT[pixels[from + j]!]!;
  }
  return out;
}
