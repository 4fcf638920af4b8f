import { ArgumentError } from '@genoise/core';

/** One array of an `.npz` archive: float32 values in C (row-major) order and their shape. */
export interface NpzArray {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

const OP = 'encodeNpz';

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zip stores it. `crc32("123456789") = 0xCBF43926`. */
export function crc32(bytes: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * One `.npy` file (format 1.0): the magic `\x93NUMPY`, version 1.0, a little-endian uint16 header
 * length, the header `{'descr': '<f4', 'fortran_order': False, 'shape': (...), }` padded with spaces
 * and a newline so the data starts at a multiple of 64 bytes, then the float32 values little-endian.
 */
export function encodeNpy(array: NpzArray): Uint8Array {
  const { shape, values } = array;
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  const unpadded = 10 + header.length + 1;
  header += `${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const out = new Uint8Array(10 + header.length + values.length * 4);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0); // \x93NUMPY v1.0
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const data = new DataView(out.buffer, 10 + header.length);
  for (let i = 0; i < values.length; i++) data.setFloat32(4 * i, values[i]!, true);
  return out;
}

/**
 * A NumPy `.npz` archive of float32 arrays: an uncompressed zip holding `<key>.npy` per entry, as
 * `numpy.savez` writes it, so `numpy.load(path)[key]` returns the array. Browser-safe (bytes only).
 *
 * @param arrays - key to array; keys are zip member names without `.npy` (`/` allowed)
 * @returns the archive's bytes
 * @throws ArgumentError when a key is empty or not ASCII, when an array's size does not match its
 *   shape, or when the archive would pass 4 GiB (zip64 is not written)
 * @example
 * ```ts
 * const bytes = encodeNpz({ 'dense/kernel': { shape: [2, 3], values: new Float32Array(6) } });
 * // numpy.load('weights.npz')['dense/kernel'].shape == (2, 3)
 * ```
 */
export function encodeNpz(arrays: Readonly<Record<string, NpzArray>>): Uint8Array {
  const files: { name: Uint8Array; data: Uint8Array; crc: number; offset: number }[] = [];
  let offset = 0;
  for (const [key, array] of Object.entries(arrays)) {
    if (key.length === 0 || !/^[\x20-\x7e]+$/.test(key)) {
      throw new ArgumentError({
        op: OP,
        argument: 'arrays',
        expected: 'keys of printable ASCII',
        actual: JSON.stringify(key),
      });
    }
    const size = array.shape.reduce((a, b) => a * b, 1);
    if (size !== array.values.length) {
      throw new ArgumentError({
        op: OP,
        argument: `arrays['${key}']`,
        expected: `${size} values for shape [${array.shape.join(',')}]`,
        actual: `${array.values.length} values`,
      });
    }
    const name = new TextEncoder().encode(`${key}.npy`);
    const data = encodeNpy(array);
    files.push({ name, data, crc: crc32(data), offset });
    offset += 30 + name.length + data.length;
  }
  const centralSize = files.reduce((n, f) => n + 46 + f.name.length, 0);
  if (offset + centralSize + 22 > 0xffffffff || files.length > 0xffff) {
    throw new ArgumentError({
      op: OP,
      argument: 'arrays',
      expected: 'at most 4 GiB and 65535 arrays',
      actual: `${offset} bytes in ${files.length} arrays`,
    });
  }
  const out = new Uint8Array(offset + centralSize + 22);
  const view = new DataView(out.buffer);
  const DOS_DATE = (1 << 5) | 1; // 1980-01-01, a fixed time: the same weights give the same bytes
  for (const f of files) {
    const p = f.offset;
    view.setUint32(p, 0x04034b50, true); // local file header
    view.setUint16(p + 4, 20, true); // version needed: 2.0
    view.setUint16(p + 6, 0, true); // flags
    view.setUint16(p + 8, 0, true); // method: stored
    view.setUint16(p + 10, 0, true); // time
    view.setUint16(p + 12, DOS_DATE, true);
    view.setUint32(p + 14, f.crc, true);
    view.setUint32(p + 18, f.data.length, true); // compressed size
    view.setUint32(p + 22, f.data.length, true); // uncompressed size
    view.setUint16(p + 26, f.name.length, true);
    view.setUint16(p + 28, 0, true); // extra length
    out.set(f.name, p + 30);
    out.set(f.data, p + 30 + f.name.length);
  }
  let p = offset;
  for (const f of files) {
    view.setUint32(p, 0x02014b50, true); // central directory header
    view.setUint16(p + 4, 20, true); // version made by
    view.setUint16(p + 6, 20, true); // version needed
    view.setUint16(p + 8, 0, true);
    view.setUint16(p + 10, 0, true);
    view.setUint16(p + 12, 0, true);
    view.setUint16(p + 14, DOS_DATE, true);
    view.setUint32(p + 16, f.crc, true);
    view.setUint32(p + 20, f.data.length, true);
    view.setUint32(p + 24, f.data.length, true);
    view.setUint16(p + 28, f.name.length, true);
    // extra, comment, disk number, internal and external attributes: 0
    view.setUint32(p + 42, f.offset, true);
    out.set(f.name, p + 46);
    p += 46 + f.name.length;
  }
  view.setUint32(p, 0x06054b50, true); // end of central directory
  view.setUint16(p + 8, files.length, true);
  view.setUint16(p + 10, files.length, true);
  view.setUint32(p + 12, centralSize, true);
  view.setUint32(p + 16, offset, true);
  return out;
}
