import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** `20261206-013000`: the time part of a default run folder's name. */
export function stamp(date = new Date()): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}

/** The run folder: `--out`, or `runs/<method>-<data>-<time>`. */
export function runFolder(out: string | undefined, method: string, data: string): string {
  return resolve(out ?? join('runs', `${method}-${data.replace(/[^a-z0-9-]+/gi, '_')}-${stamp()}`));
}

/** Writes `text` to `path` atomically (a temporary file, then a rename). */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

/** Creates the folder and writes `config.json` (not on a resume: the checkpoint's config is the run's). */
export async function openRunFolder(runDir: string, config: unknown, resume: boolean): Promise<void> {
  await mkdir(runDir, { recursive: true });
  if (!resume) await writeAtomic(join(runDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
}

/** Writes the run's outputs: `table.txt`, `report.json` and `report.html`. */
export async function writeReport(
  runDir: string,
  report: { table: string; json: object; html: string },
): Promise<void> {
  await writeAtomic(join(runDir, 'table.txt'), `${report.table}\n`);
  await writeAtomic(join(runDir, 'report.json'), `${JSON.stringify(report.json, null, 2)}\n`);
  await writeAtomic(join(runDir, 'report.html'), report.html);
}
