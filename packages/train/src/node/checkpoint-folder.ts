import { ArgumentError, GenoiseError } from '@genoise/core';
import type { Checkpoint, SavedArray } from '../checkpoint/checkpoint-types';

interface Manifest {
  format: 'genoise-checkpoint';
  version: 1;
  step: number;
  config: unknown;
  createdAt: string;
  groups: Record<
    string,
    { name: string; shape: number[]; offset: number; length: number; meta?: Record<string, number> }[]
  >;
}

const CURRENT = 'checkpoint';
const PREVIOUS = 'checkpoint.old';

async function nodeFs(): Promise<{
  fs: typeof import('node:fs/promises');
  path: typeof import('node:path');
}> {
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  return { fs, path };
}

/**
 * Writes a checkpoint into `runDir/checkpoint/` atomically: everything goes to a fresh temporary folder
 * first (`state.json` + `weights.bin`, fsynced), the previous checkpoint is renamed aside, the new one
 * renamed into place, and only then the old one removed. A run killed at any moment leaves a complete
 * checkpoint: the new one, or the previous one (which {@link loadCheckpoint} falls back to).
 *
 * Node only.
 */
export async function saveCheckpoint(
  runDir: string,
  checkpoint: Omit<Checkpoint, 'format' | 'version' | 'createdAt'>,
): Promise<string> {
  const { fs, path } = await nodeFs();
  await fs.mkdir(runDir, { recursive: true });
  const target = path.join(runDir, CURRENT);
  const previous = path.join(runDir, PREVIOUS);
  const temporary = path.join(runDir, `${CURRENT}.tmp-${process.pid}-${checkpoint.step}`);
  await fs.rm(temporary, { recursive: true, force: true });
  await fs.mkdir(temporary);

  let offset = 0;
  const manifest: Manifest = {
    format: 'genoise-checkpoint',
    version: 1,
    step: checkpoint.step,
    config: checkpoint.config,
    createdAt: new Date().toISOString(),
    groups: {},
  };
  const chunks: Float32Array[] = [];
  for (const [group, arrays] of Object.entries(checkpoint.groups)) {
    manifest.groups[group] = arrays.map((a) => {
      const entry = {
        name: a.name,
        shape: [...a.shape],
        offset,
        length: a.values.length,
        ...(a.meta ? { meta: a.meta } : {}),
      };
      offset += a.values.length;
      chunks.push(a.values);
      return entry;
    });
  }
  const weights = new Float32Array(offset);
  let at = 0;
  for (const c of chunks) {
    weights.set(c, at);
    at += c.length;
  }
  for (const [file, data] of [
    ['weights.bin', new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength)],
    ['state.json', new TextEncoder().encode(JSON.stringify(manifest, null, 1))],
  ] as const) {
    const handle = await fs.open(path.join(temporary, file), 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  await fs.rm(previous, { recursive: true, force: true });
  const hadCurrent = await fs.stat(target).then(
    () => true,
    () => false,
  );
  if (hadCurrent) await fs.rename(target, previous);
  await fs.rename(temporary, target);
  await fs.rm(previous, { recursive: true, force: true });
  return target;
}

async function readFolder(dir: string): Promise<Checkpoint> {
  const { fs, path } = await nodeFs();
  const manifest = JSON.parse(await fs.readFile(path.join(dir, 'state.json'), 'utf8')) as Manifest;
  if (manifest.format !== 'genoise-checkpoint' || manifest.version !== 1) {
    throw new Error(`state.json is not a genoise checkpoint (format ${JSON.stringify(manifest.format)})`);
  }
  const bytes = await fs.readFile(path.join(dir, 'weights.bin'));
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const groups: Record<string, SavedArray[]> = {};
  for (const [group, entries] of Object.entries(manifest.groups)) {
    groups[group] = entries.map((e) => {
      if (e.offset + e.length > all.length)
        throw new Error(
          `weights.bin is truncated (${all.length} floats, '${group}/${e.name}' needs ${e.offset + e.length})`,
        );
      return {
        name: e.name,
        shape: e.shape,
        values: all.slice(e.offset, e.offset + e.length),
        ...(e.meta ? { meta: e.meta } : {}),
      };
    });
  }
  return {
    format: manifest.format,
    version: manifest.version,
    step: manifest.step,
    config: manifest.config,
    createdAt: manifest.createdAt,
    groups,
  };
}

/**
 * Reads the checkpoint of a run folder (`runDir/checkpoint/`), or the previous one when a save was
 * interrupted between its renames. Accepts the checkpoint folder itself too.
 *
 * @throws ArgumentError when there is no checkpoint; GenoiseError when it is unreadable
 */
export async function loadCheckpoint<Config = unknown>(runDir: string): Promise<Checkpoint<Config>> {
  const { fs, path } = await nodeFs();
  const candidates = [runDir, path.join(runDir, CURRENT), path.join(runDir, PREVIOUS)];
  const errors: string[] = [];
  for (const dir of candidates) {
    const exists = await fs.stat(path.join(dir, 'state.json')).then(
      () => true,
      () => false,
    );
    if (!exists) continue;
    try {
      return (await readFolder(dir)) as Checkpoint<Config>;
    } catch (error) {
      errors.push(`${dir}: ${(error as Error).message}`);
    }
  }
  if (errors.length > 0) {
    throw new GenoiseError({
      op: 'loadCheckpoint',
      argument: 'runDir',
      message: `loadCheckpoint: no readable checkpoint in '${runDir}': ${errors.join('; ')}.`,
    });
  }
  throw new ArgumentError({
    op: 'loadCheckpoint',
    argument: 'runDir',
    message: `loadCheckpoint: '${runDir}' has no checkpoint (expected ${path.join(runDir, CURRENT, 'state.json')}).`,
  });
}
