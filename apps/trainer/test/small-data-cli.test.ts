import { mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { run, temporaryDirs } from './run-cli';

const dirs = temporaryDirs();

/** A folder of 3 classes x 20 grey 16x16 PNGs: bars at a class-specific angle, shifted per image. */
async function smallFolder(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'genoise-small-'));
  dirs.push(root);
  for (const [c, name] of ['horizontal', 'vertical', 'diagonal'].entries()) {
    await mkdir(join(root, name));
    for (let i = 0; i < 20; i++) {
      const pixels = Buffer.alloc(16 * 16);
      for (let y = 0; y < 16; y++)
        for (let x = 0; x < 16; x++) {
          const t = c === 0 ? y : c === 1 ? x : x + y;
          pixels[y * 16 + x] = (t + i) % 4 < 2 ? 230 : 20;
        }
      await sharp(pixels, { raw: { width: 16, height: 16, channels: 1 } })
        .png()
        .toFile(join(root, name, `${i}.png`));
    }
  }
  return root;
}

describe('genoise CLI on small data (issue 9 bugs)', () => {
  it('trains on a folder of fewer than 200 images: the kNN clamps k to the bank and the report says so', async () => {
    const data = await smallFolder();
    const out = await mkdtemp(join(tmpdir(), 'genoise-small-run-'));
    dirs.push(out);
    const args = ['train', 'simclr', '--data', data, '--size', '16', '--channels', '1'];
    const result = await run([
      ...args,
      '--steps',
      '3',
      '--batch',
      '8',
      '--out',
      out,
      '--quiet',
      '--backend',
      'wasm',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('split 48 train / 12 test');
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(report.bankSize).toBe(48);
    expect(report.k).toBe(48);
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain('k was clamped to 48');
    for (const row of report.rows) expect(row.knnTop1).toBeGreaterThanOrEqual(0);
  });

  it('--resume on a folder without a checkpoint says so before loading data or measuring baselines', async () => {
    const out = await mkdtemp(join(tmpdir(), 'genoise-empty-run-'));
    dirs.push(out);
    const result = await run(['train', 'simclr', '--resume', '--out', out, '--backend', 'wasm']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`--resume: '${out}' has no checkpoint to resume from`);
    expect(result.stdout).not.toContain('baselines');
    expect(result.stdout).not.toContain('fashion-mnist');
    expect(await readdir(out)).toEqual([]);
  });
});
