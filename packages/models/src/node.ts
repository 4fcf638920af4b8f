// @genoise/models/node: saveModel and loadModel that also read and write model folders through
// node:fs. The main entry's saveModel/loadModel are browser-safe (tf.io URLs and handlers).

export {
  type WriteKerasExportOptions,
  type WrittenKerasExport,
  writeKerasExport,
} from './export/write-keras-export';
export { loadModel, saveModel } from './io/model-folder';
