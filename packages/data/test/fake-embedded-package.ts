import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The byte every pixel of good record `r` of class `c` holds in a fake package: unique per record. */
export const recordByte = (c: number, r: number): number => 10 * c + r + 1;

/** A placeholder replaced by `1e999` (which JSON.parse reads as Infinity) in the written text. */
export const INFINITY = '__INFINITY__';

/**
 * Writes a fake embedded package (`<root>/package.json`, `<root>/<folder>/<c>.json`) in a new temp
 * folder. `fileText(c)` returns each class file's JSON text, or `undefined` to leave the file out.
 */
export async function writeFakePackage(
  folder: readonly string[],
  fileText: (c: number) => string | undefined,
): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'genoise-data-'));
  await mkdir(join(root, ...folder), { recursive: true });
  await writeFile(join(root, 'package.json'), '{"name":"fake","version":"0.0.0"}');
  for (let c = 0; c < 10; c++) {
    const text = fileText(c);
    if (text !== undefined)
      await writeFile(join(root, ...folder, `${c}.json`), text.replaceAll(`"${INFINITY}"`, '1e999'));
  }
  return root;
}
