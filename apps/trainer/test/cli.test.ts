import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCheckpoint, readMetrics } from '@genoise/train/node';
import { describe, expect, it } from 'vitest';
import { cli, run, temporaryDirs } from './run-cli';

const dirs = temporaryDirs();

describe('genoise CLI (built)', () => {
  it('prints usage and rejects bad flags with exit code 2', async () => {
    expect(existsSync(cli), `missing ${cli}: run pnpm build first (turbo's test task does)`).toBe(true);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('genoise train <method> [flags]');
    expect(help.stdout).toContain('vicreg');
    const bad = await run(['train', 'dino']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("got 'dino'");
  });

  it('Ctrl-C leaves a loadable checkpoint and --resume continues with the same step count', async () => {
    const out = await mkdtemp(join(tmpdir(), 'genoise-cli-'));
    dirs.push(out);
    const args = [
      'train',
      'simclr',
      '--limit',
      '1024',
      '--steps',
      '16',
      '--batch',
      '64',
      '--out',
      out,
      '--no-eval',
      '--backend',
      'wasm',
    ];
    const first = await run(args, /step [4-9]\/16/);
    expect(first.code).toBe(130);
    expect(first.stderr).toContain('stopping after this step and writing a checkpoint');
    expect(first.stdout).toContain(`interrupted: continue with  genoise train simclr --out ${out} --resume`);
    const saved = await loadCheckpoint(out);
    expect(saved.step).toBeGreaterThanOrEqual(4);
    expect(saved.step).toBeLessThan(16);

    const second = await run([...args, '--resume']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`trained ${16 - saved.step} steps (16/16)`);
    expect((await loadCheckpoint(out)).step).toBe(16);
    const steps = (await readMetrics<{ step: number }>(out)).map((m) => m.step);
    expect(steps).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(JSON.parse(await readFile(join(out, 'config.json'), 'utf8')).steps).toBe(16);
  });
});
