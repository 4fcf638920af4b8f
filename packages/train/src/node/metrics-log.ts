/**
 * Metrics as JSON lines in `runDir/metrics.jsonl`, one object per logged step. Node only.
 */

/** Appends one JSON line to `runDir/metrics.jsonl`. */
export async function appendMetrics(runDir: string, record: object): Promise<void> {
  const [{ appendFile, mkdir }, { join }] = await Promise.all([
    import('node:fs/promises'),
    import('node:path'),
  ]);
  await mkdir(runDir, { recursive: true });
  await appendFile(join(runDir, 'metrics.jsonl'), `${JSON.stringify(record)}\n`);
}

/** Reads `runDir/metrics.jsonl` (an empty list when absent). */
export async function readMetrics<T = Record<string, unknown>>(runDir: string): Promise<T[]> {
  const [{ readFile }, { join }] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  const text = await readFile(join(runDir, 'metrics.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as T);
}

/**
 * Drops the lines logged after `step` (used on resume, so the log continues from the checkpoint
 * without duplicates from the steps that were lost).
 */
export async function truncateMetrics(runDir: string, step: number): Promise<void> {
  const [{ writeFile, mkdir }, { join }] = await Promise.all([
    import('node:fs/promises'),
    import('node:path'),
  ]);
  const kept = (await readMetrics<{ step?: number }>(runDir)).filter((r) => (r.step ?? 0) <= step);
  await mkdir(runDir, { recursive: true });
  await writeFile(join(runDir, 'metrics.jsonl'), kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
}
