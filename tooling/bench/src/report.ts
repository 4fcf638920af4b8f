/**
 * Benchmark reporting: a plain-text table on stdout and a JSON file in `bench-results/` at the
 * repository root (gitignored).
 *
 * @packageDocumentation
 */

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One table row: column name to value. */
export type Row = Record<string, string | number | null>;

/** The repository root: the nearest folder above `from` holding `pnpm-workspace.yaml`. */
export function repoRoot(from: string = process.cwd()): string {
  let dir = from;
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) return from;
    dir = parent;
  }
  return dir;
}

/** Formats rows as an aligned text table. */
export function formatTable(rows: readonly Row[]): string {
  const first = rows[0];
  if (first === undefined) return '(no rows)';
  const columns = Object.keys(first);
  const cell = (v: string | number | null | undefined): string =>
    v === null || v === undefined
      ? '-'
      : typeof v === 'number'
        ? Number.isInteger(v)
          ? `${v}`
          : v.toFixed(2)
        : v;
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]): string => values.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ');
  return [
    line(columns),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(columns.map((c) => cell(r[c])))),
  ].join('\n');
}

/**
 * Prints `rows` as a table and writes `{ name, date, environment, notes, rows, ...extra }` to
 * `bench-results/<name>.json`.
 */
export function report(
  name: string,
  rows: readonly Row[],
  notes: readonly string[] = [],
  extra: Readonly<Record<string, unknown>> = {},
): string {
  console.log(`\n${name}\n${formatTable(rows)}`);
  for (const note of notes) console.log(`note: ${note}`);
  const dir = join(repoRoot(), 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  const environment = { node: process.version, platform: process.platform, arch: process.arch };
  writeFileSync(
    file,
    `${JSON.stringify({ name, date: new Date().toISOString(), environment, notes, rows, ...extra }, null, 2)}\n`,
  );
  console.log(`wrote ${file}`);
  return file;
}

/** The median of `values` (NaN when empty). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Uniform values in `[-1, 1)` from a seeded 32-bit LCG. */
export function seeded(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let state = seed >>> 0;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 4294967296) * 2 - 1;
  }
  return out;
}
