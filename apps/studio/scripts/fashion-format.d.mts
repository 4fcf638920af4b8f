export declare const MAGIC: string;
export declare const HEADER_BYTES: number;
export declare function encodeFashionSubset(subset: {
  train: { pixels: Uint8Array; labels: Uint8Array };
  test: { pixels: Uint8Array; labels: Uint8Array };
  side: number;
}): Uint8Array;
