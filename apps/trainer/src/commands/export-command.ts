import { join } from 'node:path';
import { describeBackend, initBackend } from '@genoise/core';
import { writeKerasExport } from '@genoise/models/node';
import type { TrainFlags } from '../args';
import { restoreEncoder } from '../restore-encoder';

/** Test images stored with an export as its reference batch (the tfjs outputs Keras must reproduce). */
export const REFERENCE_IMAGES = 8;

/**
 * `genoise export --format keras --checkpoint <run> [--out <folder>]`: the run's encoder as a folder
 * Keras 3 loads (built-in layers, `weights.npz`, `load_keras.py`), with a reference batch of test images
 * and the encoder's outputs on it, so `python3 tooling/keras-check/check.py <folder>` can compare.
 */
export async function exportCommand(format: 'keras', runDir: string, flags: TrainFlags): Promise<number> {
  const info = await initBackend(flags.backend ? { prefer: flags.backend } : {});
  console.log(describeBackend(info));
  const { method, config, step, data } = await restoreEncoder(runDir, flags.data);
  const images = data.test.images(
    Array.from({ length: Math.min(REFERENCE_IMAGES, data.test.size) }, (_, i) => i),
  );
  try {
    const folder = flags.out ?? join(runDir, format);
    const written = await writeKerasExport(method.encoder!, folder, { reference: images });
    console.log(
      `exported the ${config.method.name} encoder (${step} steps) for Keras 3 to ${written.folder}`,
    );
    console.log(`  python3 ${join(written.folder, 'load_keras.py')}   # builds and saves model.keras`);
    console.log(
      `  python3 tooling/keras-check/check.py ${written.folder}   # compares Keras with tfjs on the reference batch`,
    );
    return 0;
  } finally {
    images.dispose();
    method.dispose();
  }
}
