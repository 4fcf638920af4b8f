import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCheckpoint, readMetrics } from '@genoise/train/node';
import { describe, expect, it } from 'vitest';
import { cli, run, temporaryDirs } from './run-cli';

const dirs = temporaryDirs();

describe('genoise train stereo (built CLI)', () => {
  it('trains, evaluates against both baselines and writes the report folder', async () => {
    expect(existsSync(cli), `missing ${cli}: run pnpm build first (turbo's test task does)`).toBe(true);
    const out = await mkdtemp(join(tmpdir(), 'genoise-geometry-cli-'));
    dirs.push(out);
    const result = await run(['train', 'stereo', '--steps', '4', '--out', out, '--backend', 'wasm']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('trained 4 steps (4/4)');
    const table = await readFile(join(out, 'table.txt'), 'utf8');
    expect(table).toContain('abs_rel');
    expect(table).toContain('untrained network');
    expect(table).toContain('constant depth (median ground truth)');
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(report.method).toBe('stereo');
    expect(report.rows.map((r: { name: string }) => r.name)).toEqual([
      'trained (stereo, 4 steps)',
      'untrained network',
      'constant depth (median ground truth)',
    ]);
    for (const row of report.rows)
      for (const key of ['abs_rel', 'sq_rel', 'rmse', 'rmse_log', 'a1', 'a2', 'a3'])
        expect(Number.isFinite(row[key]), `${row.name} ${key}`).toBe(true);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html.match(/data:image\/png;base64,/g)?.length).toBe(16); // 4 images x (input, truth, trained, untrained)
    expect(JSON.parse(await readFile(join(out, 'config.json'), 'utf8')).method.consistency).toBe('lr');
    expect((await loadCheckpoint(out)).step).toBe(4);
    expect((await readMetrics<{ step: number }>(out)).map((m) => m.step)).toEqual([1, 2, 3, 4]);
  });

  it('Ctrl-C leaves a checkpoint and --resume finishes the run', async () => {
    const out = await mkdtemp(join(tmpdir(), 'genoise-geometry-cli-'));
    dirs.push(out);
    const args = [
      'train',
      'stereo',
      '--steps',
      '6',
      '--consistency',
      'naive',
      '--out',
      out,
      '--backend',
      'wasm',
      '--no-eval',
    ];
    const first = await run(args, /step [2-4]\/6/);
    expect(first.code).toBe(130);
    expect(first.stdout).toContain(`interrupted: continue with  genoise train stereo --out ${out} --resume`);
    const saved = await loadCheckpoint(out);
    expect(saved.step).toBeGreaterThanOrEqual(2);
    expect(saved.step).toBeLessThan(6);
    const second = await run([...args, '--resume']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`trained ${6 - saved.step} steps (6/6)`);
    expect((await readMetrics<{ step: number }>(out)).map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
