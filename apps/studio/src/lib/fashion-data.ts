/** The Fashion-MNIST subset the studio ships (written by scripts/prepare-data.mjs). */
export interface FashionSubset {
  readonly side: number;
  readonly train: { readonly pixels: Uint8Array; readonly labels: Int32Array };
  readonly test: { readonly pixels: Uint8Array; readonly labels: Int32Array };
}

export const FASHION_CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** Where the build puts the subset, relative to the page. */
export const FASHION_SUBSET_URL = 'data/fashion-mnist-subset.bin';

const MAGIC = 'GFM1';
const HEADER_BYTES = 16;

/**
 * Parses the subset's binary format (see scripts/fashion-format.mjs).
 *
 * @throws Error naming what is wrong when the bytes are not a subset file
 */
export function parseFashionSubset(bytes: Uint8Array): FashionSubset {
  if (bytes.length < HEADER_BYTES || String.fromCharCode(...bytes.subarray(0, 4)) !== MAGIC) {
    throw new Error(`parseFashionSubset: not a studio data file (expected the magic '${MAGIC}')`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(4, true);
  const m = view.getUint32(8, true);
  const side = view.getUint32(12, true);
  const per = side * side;
  const expected = HEADER_BYTES + (n + m) * (per + 1);
  if (bytes.length !== expected) {
    throw new Error(
      `parseFashionSubset: the file has ${bytes.length} bytes but its header (${n} train, ${m} test, ${side}x${side}) needs ${expected}`,
    );
  }
  let at = HEADER_BYTES;
  const take = (count: number): Uint8Array => {
    const part = bytes.slice(at, at + count);
    at += count;
    return part;
  };
  const trainPixels = take(n * per);
  const trainLabels = Int32Array.from(take(n));
  const testPixels = take(m * per);
  const testLabels = Int32Array.from(take(m));
  return {
    side,
    train: { pixels: trainPixels, labels: trainLabels },
    test: { pixels: testPixels, labels: testLabels },
  };
}

/** Fetches and parses the subset. */
export async function loadFashionSubset(url: string | URL = FASHION_SUBSET_URL): Promise<FashionSubset> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(
      `loadFashionSubset: ${String(url)} answered ${response.status}; run \`pnpm --filter studio prepare-data\``,
    );
  }
  return parseFashionSubset(new Uint8Array(await response.arrayBuffer()));
}

/** The first `count` examples of a split, stratified: the file is ordered by class, so take evenly from each. */
export function stratifiedIndices(labels: Int32Array, count: number, numClasses = 10): Int32Array {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  labels.forEach((label, i) => {
    byClass[label]?.push(i);
  });
  const out: number[] = [];
  for (let round = 0; out.length < Math.min(count, labels.length); round++) {
    for (const indices of byClass) {
      if (round < indices.length && out.length < count) out.push(indices[round]!);
    }
  }
  return Int32Array.from(out);
}
