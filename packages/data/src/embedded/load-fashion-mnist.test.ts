import { createKey } from '@genoise/core';
import { expectNoLeaks } from '@genoise/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { INFINITY, recordByte, writeFakePackage } from '../../test/fake-embedded-package';
import { take } from '../dataset/take';
import { FASHION_MNIST_CLASS_NAMES } from './class-names';
import { EMBEDDED_SPLIT_SEED, type EmbeddedDataset } from './embedded-dataset';
import { loadFashionMnist } from './load-fashion-mnist';

const GOOD_PER_CLASS = 7;
const row = (value: unknown, length = 784): unknown[] => new Array(length).fill(value);
const withOne = (value: unknown): unknown[] => {
  const r = row(5);
  r[100] = value;
  return r;
};

/** Class files of 7 good rows each; class 0 and 1 also carry one bad row per reason. */
function fashionText(c: number): string {
  const rows: unknown[] = Array.from({ length: GOOD_PER_CLASS }, (_, r) => row(recordByte(c, r)));
  if (c === 0) rows.splice(2, 0, [], row(1, 783), withOne(INFINITY), withOne(256), null);
  if (c === 1) rows.push(withOne(1.5), withOne('7'), withOne(-1));
  return JSON.stringify({ data: rows });
}

/** The record identity (class, row) of each example, from its first byte. */
function identities(d: EmbeddedDataset): number[] {
  return Array.from({ length: d.size }, (_, i) => d.pixels[i * 784]!);
}

describe('loadFashionMnist on a fake package', () => {
  let root: string;
  const warnings: string[] = [];
  let train: EmbeddedDataset;
  let test: EmbeddedDataset;
  let all: EmbeddedDataset;

  beforeAll(async () => {
    root = await writeFakePackage(['src', 'clothes'], fashionText);
    const onWarning = (message: string) => warnings.push(message);
    train = await loadFashionMnist({ root, onWarning });
    test = await loadFashionMnist({ root, split: 'test', onWarning: () => undefined });
    all = await loadFashionMnist({ root, split: 'all', onWarning: () => undefined });
  });

  it('counts and skips malformed rows by reason, one warning line per file', () => {
    expect(train.report).toEqual({
      loaded: 70,
      skipped: {
        empty: 1,
        'wrong-length': 1,
        'non-finite': 1,
        'out-of-range': 2,
        'not-an-array': 1,
        'non-integer': 1,
        'non-numeric': 1,
      },
    });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /^loadFashionMnist: skipped 5 of 12 records in .*0\.json \(empty: 1, wrong-length: 1, non-finite: 1, out-of-range: 1, not-an-array: 1\)\.$/,
    );
    expect(warnings[1]).toMatch(
      /^loadFashionMnist: skipped 3 of 10 records in .*1\.json \(non-integer: 1, non-numeric: 1, out-of-range: 1\)\.$/,
    );
  });

  it('splits each class 6/1 (last 1/7), disjoint, train then test in "all"', () => {
    expect([train.size, test.size, all.size]).toEqual([60, 10, 70]);
    for (let c = 0; c < 10; c++) {
      expect(train.labels.filter((l) => l === c)).toHaveLength(6);
      expect(test.labels.filter((l) => l === c)).toHaveLength(1);
    }
    const trainIds = identities(train);
    const testIds = identities(test);
    expect(trainIds.filter((id) => testIds.includes(id))).toEqual([]);
    const every = Array.from({ length: 10 }, (_, c) =>
      Array.from({ length: 7 }, (_, r) => recordByte(c, r)),
    ).flat();
    expect([...trainIds, ...testIds].sort((a, b) => a - b)).toEqual(every.sort((a, b) => a - b));
    expect(identities(all)).toEqual([...trainIds, ...testIds]);
    // Every example keeps its class: record byte 10c + r + 1 with r < 7 identifies c.
    expect(trainIds.map((id) => Math.floor((id - 1) / 10))).toEqual(Array.from(train.labels));
  });

  it('is stable: a fresh copy of the package (no shared cache) gives the same split', async () => {
    const copy = await writeFakePackage(['src', 'clothes'], fashionText);
    const again = await loadFashionMnist({ root: copy, onWarning: () => undefined });
    expect(identities(again)).toEqual(identities(train));
    expect(again.labels).toEqual(train.labels);
    expect(EMBEDDED_SPLIT_SEED).toBe(20170825);
  });

  it('limits to a class-balanced prefix', async () => {
    const ten = await loadFashionMnist({ root, limit: 10, onWarning: () => undefined });
    expect(Array.from(ten.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(identities(ten)).toEqual(identities(train).slice(0, 10));
    const capped = await loadFashionMnist({ root, split: 'test', limit: 1000, onWarning: () => undefined });
    expect(capped.size).toBe(10);
  });

  it('decodes bytes to float32 [n,28,28,1] in [0,1] without leaks', async () => {
    expect(train.imageShape).toEqual([28, 28, 1]);
    expect(train.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
    const x = train.images([0]);
    expect(x.shape).toEqual([1, 28, 28, 1]);
    expect(x.dtype).toBe('float32');
    const values = await x.data();
    x.dispose();
    expect(new Set(values)).toEqual(new Set([Math.fround(identities(train)[0]! / 255)]));
    await expectNoLeaks(() => train.images([0, 1, 2]));
  });

  it('warns about and skips a missing or unparsable file, and goes on', async () => {
    const broken = await writeFakePackage(['src', 'clothes'], (c) =>
      c === 3 ? undefined : c === 4 ? '{"data": [[1,2' : fashionText(c),
    );
    const lines: string[] = [];
    const d = await loadFashionMnist({ root: broken, split: 'all', onWarning: (m) => lines.push(m) });
    expect(d.report.skipped['unreadable-file']).toBe(2);
    expect(d.report.loaded).toBe(56);
    expect(lines.filter((l) => l.startsWith('loadFashionMnist: skipped unreadable file'))).toHaveLength(2);
    expect(lines.some((l) => l.includes('3.json'))).toBe(true);
    expect(lines.some((l) => l.includes('4.json'))).toBe(true);
  });

  it('uses console.warn by default', async () => {
    const original = console.warn;
    const lines: unknown[] = [];
    console.warn = (message: unknown) => lines.push(message);
    try {
      await loadFashionMnist({ root, limit: 1 });
    } finally {
      console.warn = original;
    }
    expect(lines).toHaveLength(2);
  });

  it('rejects bad options', async () => {
    await expect(loadFashionMnist({ root, split: 'val' as never })).rejects.toThrow(
      `loadFashionMnist: 'split' is 'val' but expected 'train', 'test' or 'all'.`,
    );
    await expect(loadFashionMnist({ root, limit: 0 })).rejects.toThrow(
      "loadFashionMnist: 'limit' is 0 but expected an integer >= 1.",
    );
    await expect(loadFashionMnist({ root: '/nonexistent/genoise' })).rejects.toThrow(
      "loadFashionMnist: /nonexistent/genoise/src/clothes is not a folder; 'root' must be the root of the fashion-mnist package",
    );
  });
});

describe('loadFashionMnist on the installed package (70,000 images)', () => {
  let train: EmbeddedDataset;
  let test: EmbeddedDataset;
  const warnings: string[] = [];

  beforeAll(async () => {
    train = await loadFashionMnist({ onWarning: (m) => warnings.push(m) });
    test = await loadFashionMnist({ split: 'test', onWarning: () => undefined });
  });

  it('has 60,000 / 10,000 examples, 6,000 / 1,000 per class, and two empty rows in class 0', () => {
    expect([train.size, test.size]).toEqual([60000, 10000]);
    const perClass = (d: EmbeddedDataset) =>
      Array.from({ length: 10 }, (_, c) => d.labels.filter((l) => l === c).length);
    expect(perClass(train)).toEqual(new Array(10).fill(6000));
    expect(perClass(test)).toEqual(new Array(10).fill(1000));
    expect(train.report).toEqual({ loaded: 70000, skipped: { empty: 2 } });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/skipped 2 of 7002 records in .*clothes.0\.json \(empty: 2\)/);
    expect(train.name).toBe('fashion-mnist/train');
  });

  it('gives float32 images in [0, 1] that use the full range', async () => {
    const x = train.images(Array.from({ length: 100 }, (_, i) => i));
    const values = await x.data();
    x.dispose();
    expect(x.shape).toEqual([100, 28, 28, 1]);
    expect(Math.min(...values)).toBe(0);
    expect(Math.max(...values)).toBe(1);
  });

  it('works with take (stratified)', () => {
    const small = take(test, 50, createKey(0));
    expect(Array.from({ length: 10 }, (_, c) => small.labels!.filter((l) => l === c).length)).toEqual(
      new Array(10).fill(5),
    );
  });
});
