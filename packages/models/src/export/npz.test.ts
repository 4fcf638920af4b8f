import { ArgumentError } from '@genoise/core';
import { describe, expect, it } from 'vitest';
import { crc32, encodeNpy, encodeNpz } from './npz';

const ascii = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

/** A naive zip reader: walks the local headers, then checks the central directory against them. */
function readZip(bytes: Uint8Array): { name: string; data: Uint8Array; crc: number }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: { name: string; data: Uint8Array; crc: number; offset: number }[] = [];
  let p = 0;
  while (view.getUint32(p, true) === 0x04034b50) {
    expect(view.getUint16(p + 8, true)).toBe(0); // stored
    const size = view.getUint32(p + 18, true);
    expect(view.getUint32(p + 22, true)).toBe(size);
    const nameLength = view.getUint16(p + 26, true);
    const extra = view.getUint16(p + 28, true);
    const name = ascii(bytes.subarray(p + 30, p + 30 + nameLength));
    const start = p + 30 + nameLength + extra;
    entries.push({
      name,
      data: bytes.subarray(start, start + size),
      crc: view.getUint32(p + 14, true),
      offset: p,
    });
    p = start + size;
  }
  const centralStart = p;
  for (const e of entries) {
    expect(view.getUint32(p, true)).toBe(0x02014b50);
    expect(view.getUint32(p + 16, true)).toBe(e.crc);
    expect(view.getUint32(p + 42, true)).toBe(e.offset);
    const nameLength = view.getUint16(p + 28, true);
    expect(ascii(bytes.subarray(p + 46, p + 46 + nameLength))).toBe(e.name);
    p += 46 + nameLength;
  }
  expect(view.getUint32(p, true)).toBe(0x06054b50);
  expect(view.getUint16(p + 10, true)).toBe(entries.length);
  expect(view.getUint32(p + 12, true)).toBe(p - centralStart);
  expect(view.getUint32(p + 16, true)).toBe(centralStart);
  expect(p + 22).toBe(bytes.length);
  return entries;
}

describe('crc32', () => {
  it('gives the standard check values', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(new Uint8Array([0]))).toBe(0xd202ef8d);
  });
});

describe('encodeNpy', () => {
  it('writes the 1.0 header padded to 64 bytes, then little-endian float32 values', () => {
    const bytes = encodeNpy({ shape: [2, 3], values: Float32Array.from([1, -2, 0.5, 3, 4, 5]) });
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 78, 85, 77, 80, 89, 1, 0]);
    const headerLength = bytes[8]! + 256 * bytes[9]!;
    expect((10 + headerLength) % 64).toBe(0);
    const header = ascii(bytes.subarray(10, 10 + headerLength));
    expect(header.trimEnd()).toBe("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
    expect(header.endsWith('\n')).toBe(true);
    const data = new DataView(bytes.buffer, 10 + headerLength);
    expect([0, 1, 2, 3, 4, 5].map((i) => data.getFloat32(4 * i, true))).toEqual([1, -2, 0.5, 3, 4, 5]);
    expect(bytes.length).toBe(10 + headerLength + 24);
  });

  it('writes a one-dimensional shape as a one-tuple and a scalar as ()', () => {
    const header = (shape: number[], n: number): string => {
      const b = encodeNpy({ shape, values: new Float32Array(n) });
      return ascii(b.subarray(10, 10 + b[8]! + 256 * b[9]!)).trimEnd();
    };
    expect(header([4], 4)).toContain("'shape': (4,)");
    expect(header([], 1)).toContain("'shape': ()");
  });
});

describe('encodeNpz', () => {
  it('stores one .npy per key, with matching CRCs and a consistent central directory', () => {
    const arrays = {
      'dense/kernel': { shape: [2, 2], values: Float32Array.from([1, 2, 3, 4]) },
      'dense/bias': { shape: [2], values: Float32Array.from([0.25, -1]) },
    };
    const entries = readZip(encodeNpz(arrays));
    expect(entries.map((e) => e.name)).toEqual(['dense/kernel.npy', 'dense/bias.npy']);
    for (const [e, array] of entries.map((e, i) => [e, Object.values(arrays)[i]!] as const)) {
      expect(e.crc).toBe(crc32(e.data));
      expect(Array.from(e.data)).toEqual(Array.from(encodeNpy(array)));
    }
  });

  it('gives the same bytes for the same arrays (a fixed timestamp)', () => {
    const arrays = { a: { shape: [1], values: Float32Array.from([7]) } };
    expect(Array.from(encodeNpz(arrays))).toEqual(Array.from(encodeNpz(arrays)));
  });

  it('refuses a size that does not match the shape, and empty keys', () => {
    expect(() => encodeNpz({ a: { shape: [2, 2], values: new Float32Array(3) } })).toThrow(
      "encodeNpz: 'arrays['a']' is 3 values but expected 4 values for shape [2,2].",
    );
    expect(() => encodeNpz({ '': { shape: [1], values: new Float32Array(1) } })).toThrow(ArgumentError);
  });
});
