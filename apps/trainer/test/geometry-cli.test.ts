import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCheckpoint, readMetrics } from '@genoise/train';
import { afterAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'dist', 'cli.js');
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Runs the built CLI; `interruptWhen` sends SIGINT once stderr matches it. */
function run(
  args: string[],
  interruptWhen?: RegExp,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: join(here, '..'),
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      if (interruptWhen && !sent && interruptWhen.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
  });
}

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
    expect(JSON.parse(await readFile(join(out, 'config.json'), 'utf8')).consistency).toBe('lr');
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
