import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The Ray sweep driver shipped with the trainer (Python; Ray installs itself on first use). */
export const SWEEP_DRIVER = fileURLToPath(new URL('../sweep/genoise_sweep.py', import.meta.url));

/**
 * `genoise sweep [args]`: runs `python3 sweep/genoise_sweep.py [args]` (a grid of methods x seeds x
 * options, each a `genoise train` process scheduled by Ray) with the terminal passed through.
 */
export function sweepCommand(args: readonly string[]): Promise<number> {
  if (!existsSync(SWEEP_DRIVER)) throw new Error(`the sweep driver is missing: ${SWEEP_DRIVER}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.env['PYTHON'] ?? 'python3', [SWEEP_DRIVER, ...args], {
      stdio: 'inherit',
      env: {
        ...process.env,
        GENOISE_TRAINER:
          process.env['GENOISE_TRAINER'] ?? fileURLToPath(new URL('./cli.js', import.meta.url)),
      },
    });
    child.on('error', (error) =>
      reject(
        new Error(`could not start python3 for the sweep (${error.message}); install Python 3 or set PYTHON`),
      ),
    );
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1)));
  });
}
