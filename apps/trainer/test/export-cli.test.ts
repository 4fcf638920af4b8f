import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, temporaryDirs } from './run-cli';

const dirs = temporaryDirs();
const CHECK = join(import.meta.dirname, '..', '..', '..', 'tooling', 'keras-check', 'check.py');

/** A Python with keras and tensorflow: $GENOISE_PYTHON, the genoise venv (`.ci/run` makes it), python3. */
function kerasPython(): string | undefined {
  const venv = join(homedir(), '.cache', 'genoise', 'py', 'bin', 'python');
  for (const python of [process.env['GENOISE_PYTHON'], existsSync(venv) ? venv : undefined, 'python3']) {
    if (python === undefined) continue;
    const r = spawnSync(python, ['-c', 'import keras, tensorflow'], { timeout: 60_000 });
    if (r.status === 0) return python;
  }
  return undefined;
}

describe('genoise export --format keras (built)', () => {
  it('writes a trained encoder that Keras 3 loads and that matches tfjs on the reference batch', async () => {
    const out = await mkdtemp(join(tmpdir(), 'genoise-export-'));
    dirs.push(out);
    const trained = await run([
      'train',
      'simclr',
      '--limit',
      '256',
      '--steps',
      '3',
      '--batch',
      '32',
      '--out',
      out,
      '--no-eval',
      '--quiet',
      '--backend',
      'wasm',
    ]);
    expect(trained.code, trained.stderr).toBe(0);
    const folder = join(out, 'keras');
    const exported = await run([
      'export',
      '--format',
      'keras',
      '--checkpoint',
      out,
      '--out',
      folder,
      '--backend',
      'wasm',
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    for (const file of ['config.json', 'weights.npz', 'export.json', 'load_keras.py', 'reference.npz'])
      expect(existsSync(join(folder, file)), file).toBe(true);
    const python = kerasPython();
    if (python === undefined) {
      console.warn(
        'keras check skipped: no python3 with keras and tensorflow (set GENOISE_PYTHON, or run .ci/run)',
      );
      return;
    }
    const check = spawnSync(python, [CHECK, '--no-install', folder], { encoding: 'utf8', timeout: 300_000 });
    expect(check.status, `${check.stdout}\n${check.stderr}`).toBe(0);
  });

  it('explains a missing format or checkpoint', async () => {
    const bad = await run(['export', '--checkpoint', 'runs/x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("genoise export needs --format keras, got ''");
  });
});
