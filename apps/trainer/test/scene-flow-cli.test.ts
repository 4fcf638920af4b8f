import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCheckpoint } from '@genoise/train/node';
import { describe, expect, it } from 'vitest';
import { cli, run, temporaryDirs } from './run-cli';

const dirs = temporaryDirs();

describe('genoise train sceneflow (built CLI)', () => {
  it('trains a tiny network, evaluates it against both baselines and writes the report folder', async () => {
    expect(existsSync(cli), `missing ${cli}: run pnpm build first (turbo's test task does)`).toBe(true);
    const out = await mkdtemp(join(tmpdir(), 'genoise-scene-flow-cli-'));
    dirs.push(out);
    const config = join(out, 'tiny.json');
    await writeFile(
      config,
      JSON.stringify({
        method: {
          network: { levels: 2, finestLevel: 1, widths: [4, 4], estimatorWidths: [4] },
          levelWeights: [1, 1],
        },
      }),
    );
    const result = await run([
      'train',
      'sceneflow',
      '--steps',
      '2',
      '--height',
      '32',
      '--width',
      '64',
      '--pool-size',
      '4',
      '--samples',
      '1',
      '--config',
      config,
      '--out',
      join(out, 'run'),
      '--backend',
      'wasm',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('trained 2 steps (2/2)');
    const table = await readFile(join(out, 'run', 'table.txt'), 'utf8');
    for (const column of ['D1', 'D2', 'Fl', 'SF1', 'EPE3d']) expect(table).toContain(column);
    const report = JSON.parse(await readFile(join(out, 'run', 'report.json'), 'utf8'));
    expect(report.method).toBe('sceneflow');
    expect(report.rows.map((r: { name: string }) => r.name)).toEqual([
      'trained (sceneflow, 2 steps)',
      'untrained network',
      'static scene (trained disparity, zero motion)',
    ]);
    for (const row of report.rows)
      for (const key of ['d1', 'd2', 'fl', 'sf1', 'epe3d']) {
        expect(row[key], `${row.name} ${key}`).toBeGreaterThanOrEqual(0);
        expect(Number.isFinite(row[key]), `${row.name} ${key}`).toBe(true);
      }
    const html = await readFile(join(out, 'run', 'report.html'), 'utf8');
    // 4 videos x (2 frames, truth disparity, flow and occlusion, then per network disparity, its error, flow, its error)
    expect(html.match(/data:image\/png;base64,/g)?.length).toBe(4 * (5 + 2 * 4));
    expect((await loadCheckpoint(join(out, 'run'))).step).toBe(2);
  });
});
