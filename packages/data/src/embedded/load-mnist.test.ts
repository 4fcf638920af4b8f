import { beforeAll, describe, expect, it } from 'vitest';
import { INFINITY, recordByte, writeFakePackage } from '../../test/fake-embedded-package';
import { MNIST_CLASS_NAMES } from './class-names';
import type { EmbeddedDataset } from './embedded-dataset';
import { loadMnist } from './load-mnist';

const GOOD_PER_DIGIT = 5;
/** A record in the package's encoding: byte / 255 rounded to three decimals. */
const record = (byte: number): number[] => new Array(784).fill(Math.round((byte / 255) * 1000) / 1000);
const withOne = (value: unknown): unknown[] => {
  const r: unknown[] = record(10);
  r[400] = value;
  return r;
};

/** Digit files of 5 good records; digit 2 adds one bad record per reason and a trailing partial one. */
function mnistText(c: number): string {
  const records: unknown[][] = Array.from({ length: GOOD_PER_DIGIT }, (_, r) => record(recordByte(c, r)));
  if (c === 2) records.splice(1, 0, withOne(1.5), withOne(-0.004), withOne('a'), withOne(INFINITY));
  const flat = records.flat();
  if (c === 2) flat.push(...new Array(100).fill(0));
  return JSON.stringify({ data: flat });
}

describe('loadMnist on a fake package', () => {
  let root: string;
  const warnings: string[] = [];
  let train: EmbeddedDataset;
  let test: EmbeddedDataset;

  beforeAll(async () => {
    root = await writeFakePackage(['src', 'digits'], mnistText);
    train = await loadMnist({ root, onWarning: (m) => warnings.push(m) });
    test = await loadMnist({ root, split: 'test', onWarning: () => undefined });
  });

  it('counts and skips malformed records, one warning line per file', () => {
    expect(train.report).toEqual({
      loaded: 50,
      skipped: { 'out-of-range': 2, 'non-numeric': 1, 'non-finite': 1, 'wrong-length': 1 },
    });
    expect(warnings).toEqual([
      expect.stringMatching(
        /^loadMnist: skipped 5 of 10 records in .*2\.json \(out-of-range: 2, non-numeric: 1, non-finite: 1, wrong-length: 1\)\.$/,
      ),
    ]);
  });

  it('splits each digit 4/1 (last 20%), disjoint', () => {
    expect([train.size, test.size]).toEqual([40, 10]);
    const ids = (d: EmbeddedDataset) => Array.from({ length: d.size }, (_, i) => d.pixels[i * 784]!);
    const trainIds = ids(train);
    expect(ids(test).filter((id) => trainIds.includes(id))).toEqual([]);
    for (let c = 0; c < 10; c++) expect(test.labels.filter((l) => l === c)).toHaveLength(1);
  });

  it('recovers the exact bytes from the three-decimal values and decodes to byte / 255', async () => {
    const ids = Array.from({ length: train.size }, (_, i) => train.pixels[i * 784]!);
    const expected = Array.from({ length: 10 }, (_, c) =>
      Array.from({ length: 5 }, (_, r) => recordByte(c, r)),
    ).flat();
    expect(expected.filter((b) => !ids.includes(b)).length).toBe(10); // the 10 test records
    const x = train.images([0]);
    const values = await x.data();
    x.dispose();
    expect(x.dtype).toBe('float32');
    expect(new Set(values)).toEqual(new Set([Math.fround(ids[0]! / 255)]));
  });
});

describe('loadMnist on the installed package (10,000 digits)', () => {
  let train: EmbeddedDataset;
  let test: EmbeddedDataset;
  const warnings: string[] = [];

  beforeAll(async () => {
    train = await loadMnist({ onWarning: (m) => warnings.push(m) });
    test = await loadMnist({ split: 'test', onWarning: (m) => warnings.push(m) });
  });

  it('has 8,000 / 2,000 examples with no malformed record and a balanced split', () => {
    expect([train.size, test.size]).toEqual([8000, 2000]);
    expect(train.report).toEqual({ loaded: 10000, skipped: {} });
    expect(warnings).toEqual([]);
    expect(train.classNames).toEqual(MNIST_CLASS_NAMES);
    for (let c = 0; c < 10; c++) {
      const inTrain = train.labels.filter((l) => l === c).length;
      const inTest = test.labels.filter((l) => l === c).length;
      expect(inTest).toBe(Math.round((inTrain + inTest) * 0.2));
    }
  });

  it('holds grey levels (not binarised) that are whole multiples of 1/255 in [0, 1]', async () => {
    const x = train.images(Array.from({ length: 200 }, (_, i) => i));
    const values = await x.data();
    x.dispose();
    const levels = new Set(values);
    expect(levels.size).toBeGreaterThan(100);
    expect(Math.min(...levels)).toBe(0);
    expect(Math.max(...levels)).toBe(1);
    for (const v of levels) expect(Math.abs(v * 255 - Math.round(v * 255))).toBeLessThan(1e-4);
  });
});
