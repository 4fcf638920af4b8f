/** Pixels per embedded example: 28 x 28 x 1. */
export const RECORD_LENGTH = 784;

/**
 * How a file stores values: `'bytes'` integers 0..255 (Fashion-MNIST), `'unit'` numbers in [0, 1]
 * (MNIST: `byte / 255` rounded to three decimals, so `round(v * 255)` recovers the byte exactly).
 */
export type ValueScale = 'bytes' | 'unit';

/** Records kept from one file, and the skipped ones by reason. */
export interface FileRecords {
  /** `kept * 784` bytes. */
  readonly pixels: Uint8Array;
  readonly kept: number;
  readonly total: number;
  readonly skipped: Record<string, number>;
}

/**
 * Checks one record and writes its bytes at `out[at..]`; returns why it is malformed, or `undefined`
 * when it is good. The first problem found wins. One pass: a bad record's partial bytes are
 * overwritten by the next good one.
 */
function writeRecord(
  values: ArrayLike<unknown>,
  scale: ValueScale,
  out: Uint8Array,
  at: number,
): string | undefined {
  if (values.length === 0) return 'empty';
  if (values.length !== RECORD_LENGTH) return 'wrong-length';
  const bytes = scale === 'bytes';
  const max = bytes ? 255 : 1;
  for (let i = 0; i < RECORD_LENGTH; i++) {
    const v = values[i];
    if (typeof v !== 'number') return 'non-numeric';
    if (!Number.isFinite(v)) return 'non-finite';
    if (bytes && !Number.isInteger(v)) return 'non-integer';
    if (v < 0 || v > max) return 'out-of-range';
    out[at + i] = bytes ? v : Math.round(v * 255);
  }
  return undefined;
}

/** Splits a flat array into 784-value records; a trailing partial record is kept (and flagged later). */
function flatRecords(data: readonly unknown[]): ArrayLike<unknown>[] {
  const records: ArrayLike<unknown>[] = [];
  for (let at = 0; at < data.length; at += RECORD_LENGTH) records.push(data.slice(at, at + RECORD_LENGTH));
  return records;
}

/**
 * Checks and converts the records of one parsed file: `layout: 'rows'` is `number[][]`, one row a
 * record (Fashion-MNIST); `'flat'` is one `number[]` cut into 784-value records (MNIST). Malformed
 * records are counted by reason (`not-an-array`, `empty`, `wrong-length`, `non-numeric`,
 * `non-finite`, `non-integer`, `out-of-range`) and skipped.
 */
export function parseRecords(
  data: readonly unknown[],
  layout: 'rows' | 'flat',
  scale: ValueScale,
): FileRecords {
  const records = layout === 'rows' ? data : flatRecords(data);
  const pixels = new Uint8Array(records.length * RECORD_LENGTH);
  const skipped: Record<string, number> = {};
  let kept = 0;
  for (const record of records) {
    const problem =
      Array.isArray(record) || ArrayBuffer.isView(record)
        ? writeRecord(record as ArrayLike<unknown>, scale, pixels, kept * RECORD_LENGTH)
        : 'not-an-array';
    if (problem !== undefined) {
      skipped[problem] = (skipped[problem] ?? 0) + 1;
      continue;
    }
    kept++;
  }
  return { pixels: pixels.subarray(0, kept * RECORD_LENGTH), kept, total: records.length, skipped };
}
