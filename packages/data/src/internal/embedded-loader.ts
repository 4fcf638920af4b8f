import { ArgumentError, checkInteger, checkOneOf, checkOptions, describeValue } from '@genoise/core';
import type { LoadReport } from '../dataset/dataset';
import { uint8Dataset } from '../dataset/uint8-dataset';
import {
  EMBEDDED_SPLIT_SEED,
  type EmbeddedDataset,
  type EmbeddedOptions,
} from '../embedded/embedded-dataset';

import { type FileRecords, parseRecords, RECORD_LENGTH, type ValueScale } from './embedded-records';
import { embeddedSplit } from './embedded-split';
import { resolvePackageRoot } from './optional-dependency';

/** What differs between the embedded sets. */
export interface EmbeddedSpec {
  readonly op: string;
  readonly packageName: string;
  readonly version: string;
  readonly folder: readonly string[];
  readonly layout: 'rows' | 'flat';
  readonly scale: ValueScale;
  readonly classNames: readonly string[];
  readonly testFraction: number;
}

/** Every valid record of a package in split order (train part, then test part), with its warnings. */
interface Parsed {
  readonly pixels: Uint8Array;
  readonly labels: Int32Array;
  readonly trainCount: number;
  readonly report: LoadReport;
  readonly warnings: readonly string[];
}

const cache = new Map<string, Promise<Parsed>>();

function addCounts(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [reason, count] of Object.entries(from)) into[reason] = (into[reason] ?? 0) + count;
}

function summary(op: string, file: string, records: FileRecords): string {
  const reasons = Object.entries(records.skipped)
    .map(([reason, count]) => `${reason}: ${count}`)
    .join(', ');
  const skipped = records.total - records.kept;
  return `${op}: skipped ${skipped} of ${records.total} records in ${file} (${reasons}).`;
}

const EMPTY: FileRecords = { pixels: new Uint8Array(0), kept: 0, total: 0, skipped: {} };

/** Reads and checks one class file; an unreadable file becomes a warning and no records. */
async function readClassFile(spec: EmbeddedSpec, file: string, warnings: string[]): Promise<FileRecords> {
  const { readFile } = await import('node:fs/promises');
  let data: unknown;
  try {
    data = (JSON.parse(await readFile(file, 'utf8')) as { data?: unknown } | null)?.data;
  } catch (error) {
    warnings.push(`${spec.op}: skipped unreadable file ${file} (${(error as Error).message}).`);
    return { ...EMPTY, skipped: { 'unreadable-file': 1 } };
  }
  if (!Array.isArray(data)) {
    warnings.push(`${spec.op}: skipped file ${file}: it has no 'data' array.`);
    return { ...EMPTY, skipped: { 'unreadable-file': 1 } };
  }
  const records = parseRecords(data, spec.layout, spec.scale);
  if (records.kept < records.total) warnings.push(summary(spec.op, file, records));
  return records;
}

/** Reads all class files once, then orders every valid record by the fixed split. */
async function parsePackage(spec: EmbeddedSpec, folder: string): Promise<Parsed> {
  const { join } = await import('node:path');
  const warnings: string[] = [];
  const skipped: Record<string, number> = {};
  const perClass: FileRecords[] = [];
  for (let c = 0; c < spec.classNames.length; c++) {
    const records = await readClassFile(spec, join(folder, `${c}.json`), warnings);
    addCounts(skipped, records.skipped);
    perClass.push(records);
  }
  const counts = perClass.map((r) => r.kept);
  const all = new Uint8Array(counts.reduce((a, b) => a + b, 0) * RECORD_LENGTH);
  const classOf = new Int32Array(all.length / RECORD_LENGTH);
  let offset = 0;
  perClass.forEach((records, c) => {
    all.set(records.pixels, offset * RECORD_LENGTH);
    classOf.fill(c, offset, offset + records.kept);
    offset += records.kept;
  });
  const { train, test } = embeddedSplit(counts, spec.testFraction, EMBEDDED_SPLIT_SEED);
  const order = new Int32Array([...train, ...test]);
  const pixels = new Uint8Array(all.length);
  const labels = new Int32Array(order.length);
  order.forEach((record, i) => {
    pixels.set(all.subarray(record * RECORD_LENGTH, (record + 1) * RECORD_LENGTH), i * RECORD_LENGTH);
    labels[i] = classOf[record]!;
  });
  const report: LoadReport = Object.freeze({ loaded: order.length, skipped: Object.freeze(skipped) });
  return { pixels, labels, trainCount: train.length, report, warnings };
}

async function filesFolder(spec: EmbeddedSpec, root: string | undefined): Promise<string> {
  const { join, resolve } = await import('node:path');
  const { stat } = await import('node:fs/promises');
  const base =
    root === undefined ? await resolvePackageRoot(spec.op, spec.packageName, spec.version) : resolve(root);
  const folder = join(base, ...spec.folder);
  const isFolder = await stat(folder).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isFolder) {
    throw new ArgumentError({
      op: spec.op,
      argument: 'root',
      message: `${spec.op}: ${folder} is not a folder; 'root' must be the root of the ${spec.packageName} package (holding ${spec.folder.join('/')}/0.json ...).`,
    });
  }
  return folder;
}

function checkEmbeddedOptions(op: string, options: EmbeddedOptions): void {
  checkOptions(options, ['split', 'limit', 'onWarning', 'root'], { op });
  checkOneOf(options.split ?? 'train', ['train', 'test', 'all'], { op, arg: 'split' });
  if (options.limit !== undefined) checkInteger(options.limit, { op, arg: 'limit', min: 1 });
  if (options.onWarning !== undefined && typeof options.onWarning !== 'function') {
    throw new ArgumentError({
      op,
      argument: 'onWarning',
      expected: 'a function',
      actual: describeValue(options.onWarning),
    });
  }
  if (options.root !== undefined && typeof options.root !== 'string') {
    throw new ArgumentError({
      op,
      argument: 'root',
      expected: 'a folder path',
      actual: describeValue(options.root),
    });
  }
}

/**
 * Loads an embedded set (Node only): parses its ten class files once per process (cached by folder),
 * reports malformed records, and returns the requested part of the fixed split.
 */
export async function loadEmbedded(
  spec: EmbeddedSpec,
  name: string,
  options: EmbeddedOptions,
): Promise<EmbeddedDataset> {
  checkEmbeddedOptions(spec.op, options);
  const { split = 'train', limit, onWarning = console.warn, root } = options;
  const folder = await filesFolder(spec, root);
  let parsed = cache.get(folder);
  if (parsed === undefined) {
    parsed = parsePackage(spec, folder);
    cache.set(folder, parsed);
    parsed.catch(() => cache.delete(folder));
  }
  const { pixels, labels, trainCount, report, warnings } = await parsed;
  for (const warning of warnings) onWarning(warning);
  const [start, end] =
    split === 'train' ? [0, trainCount] : split === 'test' ? [trainCount, labels.length] : [0, labels.length];
  const stop = limit === undefined ? end : Math.min(end, start + limit);
  const dataset = uint8Dataset({
    name: `${name}/${split}`,
    pixels: pixels.subarray(start * RECORD_LENGTH, stop * RECORD_LENGTH),
    imageShape: [28, 28, 1],
    labels: labels.slice(start, stop),
    classNames: spec.classNames,
  });
  return Object.freeze({
    ...dataset,
    numClasses: spec.classNames.length,
    classNames: dataset.classNames ?? spec.classNames,
    labels: dataset.labels ?? labels.slice(start, stop),
    split,
    report,
  });
}
