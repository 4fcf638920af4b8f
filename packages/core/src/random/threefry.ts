/**
 * Threefry-2x32 with 20 rounds (Salmon et al. 2011, "Parallel random numbers: as easy as 1, 2, 3"),
 * the counter-based generator JAX uses. A pure function of a 64-bit key and a 64-bit counter, so
 * streams are reproducible and can be split without shared state.
 *
 * @internal
 */
const ROTATIONS = [13, 15, 26, 6, 17, 29, 16, 24] as const;

function rotl(x: number, r: number): number {
  return ((x << r) | (x >>> (32 - r))) >>> 0;
}

/** One Threefry-2x32-20 block: `(k0, k1)` key, `(c0, c1)` counter; returns two uint32 words. */
export function threefry2x32(k0: number, k1: number, c0: number, c1: number): [number, number] {
  const ks0 = k0 >>> 0;
  const ks1 = k1 >>> 0;
  const ks2 = (0x1bd11bda ^ ks0 ^ ks1) >>> 0;
  const ks = [ks0, ks1, ks2];
  let x0 = (c0 + ks0) >>> 0;
  let x1 = (c1 + ks1) >>> 0;
  for (let group = 0; group < 5; group++) {
    const base = (group % 2) * 4;
    for (let r = 0; r < 4; r++) {
      x0 = (x0 + x1) >>> 0;
      x1 = rotl(x1, ROTATIONS[base + r]!);
      x1 = (x1 ^ x0) >>> 0;
    }
    x0 = (x0 + ks[(group + 1) % 3]!) >>> 0;
    x1 = (x1 + ks[(group + 2) % 3]! + group + 1) >>> 0;
  }
  return [x0, x1];
}
