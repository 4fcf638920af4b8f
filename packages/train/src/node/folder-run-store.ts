import type { RunStore } from '../checkpoint/run-store';
import { loadCheckpoint, saveCheckpoint } from './checkpoint-folder';
import { appendMetrics, truncateMetrics } from './metrics-log';

/**
 * A {@link RunStore} in a run folder: the checkpoint in `runDir/checkpoint/` (written atomically, the
 * previous one kept until the new one is in place, so a run killed at any moment leaves one intact) and
 * the metrics in `runDir/metrics.jsonl`. Node only.
 *
 * @example
 * ```ts
 * import { folderRunStore } from '@genoise/train/node';
 * const result = await train(config, data, { store: folderRunStore('runs/a') });
 * ```
 */
export function folderRunStore(runDir: string): RunStore {
  return {
    location: runDir,
    async load() {
      const [{ stat }, { join }] = await Promise.all([import('node:fs/promises'), import('node:path')]);
      const exists = async (dir: string) =>
        stat(join(runDir, dir, 'state.json')).then(
          () => true,
          () => false,
        );
      if (!(await exists('checkpoint')) && !(await exists('checkpoint.old')) && !(await exists('.')))
        return undefined;
      return loadCheckpoint(runDir);
    },
    save: async (checkpoint) => {
      await saveCheckpoint(runDir, checkpoint);
    },
    appendMetrics: (record) => appendMetrics(runDir, record),
    truncateMetrics: (step) => truncateMetrics(runDir, step),
  };
}
