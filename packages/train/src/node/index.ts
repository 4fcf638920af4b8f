export { loadCheckpoint, saveCheckpoint } from './checkpoint-folder';
export { folderRunStore } from './folder-run-store';
export { appendMetrics, readMetrics, truncateMetrics } from './metrics-log';
